// The whole route table, walked: every route declares its permission, and
// each route that needs one refuses anonymous callers (401) and every role
// that lacks it (403), and lets every role that has it through. A route
// added without a declared permission fails this walk.
#include <map>
#include <set>
#include <vector>

#include "atio/server/auth/permissions.h"
#include "server_test_support.h"

namespace atio::server::testing {
namespace {

// A target for `pattern` with every parameter filled in.
std::string fill(const std::string& pattern) {
  std::string out;
  for (std::size_t i = 0; i < pattern.size();) {
    if (pattern[i] == '{') {
      out += "no-such-object";
      i = pattern.find('}', i) + 1;
    } else {
      out += pattern[i++];
    }
  }
  return out;
}

class RoutePermissionsTest : public ServerTest {
 protected:
  void SetUp() override {
    ServerTest::SetUp();
    for (auth::Role r : auth::all_roles()) {
      const std::string role(auth::role_name(r));
      auto key = api_keys_->create({"walker-" + role, role});
      ASSERT_TRUE(key.is_ok());
      role_keys_[role] = *key;
    }
  }

  Response send(const Router& router, const Route& route, const std::string& key) {
    Request r;
    r.method = route.method;
    r.target = fill(route.pattern);
    r.body = "{}";
    r.remote = "127.0.0.1";
    if (!key.empty()) r.headers["authorization"] = "Bearer " + key;
    auto p = std::make_shared<std::promise<Response>>();
    auto f = p->get_future();
    router.dispatch(std::move(r), [p](Response res) { p->set_value(std::move(res)); });
    if (f.wait_for(std::chrono::seconds(20)) != std::future_status::ready) return Response{0};
    return f.get();
  }

  // What is wrong with the protection of each route of `router`, one line
  // per problem; empty when every route is as it must be.
  std::vector<std::string> walk(const Router& router) {
    std::vector<std::string> problems;
    for (const Route& route : router.routes()) {
      const std::string where = route.method + " " + route.pattern + ": ";
      if (route.permission == Permission::kUndeclared) {
        problems.push_back(where + "declares no permission (Route::permission)");
        continue;
      }
      if (route.auth != Auth::kApiKey) {
        if (route.permission != Permission::kNone) {
          problems.push_back(where + "a route without an API key or session declares " +
                             std::string(auth::permission_name(route.permission)));
        }
        continue;
      }
      if (route.permission == Permission::kNone) {
        problems.push_back(where + "needs a caller but declares no permission it needs");
        continue;
      }
      const Response anonymous = send(router, route, "");
      if (anonymous.status != 401) {
        problems.push_back(where + "answered " + std::to_string(anonymous.status) +
                           " to an anonymous caller");
      }
      for (const auto& [role, key] : role_keys_) {
        const bool allowed = auth::role_has(role, route.permission);
        const Response r = send(router, route, key);
        if (!allowed && (r.status != 403 || error_code(r) != "permission_denied")) {
          problems.push_back(where + "answered " + std::to_string(r.status) + " to " + role +
                             ", which lacks " +
                             std::string(auth::permission_name(route.permission)));
        }
        if (allowed && (r.status == 401 || r.status == 403)) {
          problems.push_back(where + "refused " + role + " (" + std::to_string(r.status) +
                             "), which has " +
                             std::string(auth::permission_name(route.permission)));
        }
      }
    }
    return problems;
  }

  std::map<std::string, std::string> role_keys_;
};

TEST_F(RoutePermissionsTest, EveryRouteOfTheTableIsProtectedByItsPermission) {
  const std::vector<std::string> problems = walk(*router_);
  for (const auto& p : problems) ADD_FAILURE() << p;
  // The walk covered the table: every permission a role can hold guards
  // some route.
  std::set<Permission> used;
  for (const Route& r : router_->routes()) used.insert(r.permission);
  for (Permission p : auth::all_permissions()) {
    EXPECT_TRUE(used.count(p)) << auth::permission_name(p) << " guards no route";
  }
  EXPECT_GE(router_->routes().size(), 50u);
}

TEST_F(RoutePermissionsTest, ARouteWithoutADeclaredPermissionFailsTheWalkAndServesNoOne) {
  Router router(*authenticator_, store_.get());
  add_api_routes(router, ctx_);
  bool ran = false;
  router.add({.method = "GET",
              .pattern = "/api/v1/forgotten",
              .handler = sync_handler([&ran](Request&) {
                ran = true;
                return json_response(200, bj::object{});
              })});
  const std::vector<std::string> problems = walk(router);
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_NE(problems[0].find("GET /api/v1/forgotten: declares no permission"), std::string::npos)
      << problems[0];
  // At run time it fails closed, even for an administrator.
  const Response r = send(router, router.routes().back(), role_keys_["admin"]);
  EXPECT_EQ(r.status, 500);
  EXPECT_FALSE(ran);
}

TEST_F(RoutePermissionsTest, ARouteThatAsksForACallerButNoPermissionFailsTheWalk) {
  Router router(*authenticator_, store_.get());
  router.add({.method = "GET",
              .pattern = "/api/v1/vague",
              .permission = Permission::kNone,
              .handler = sync_handler([](Request&) { return json_response(200, bj::object{}); })});
  const std::vector<std::string> problems = walk(router);
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_NE(problems[0].find("needs a caller but declares no permission"), std::string::npos);
  // And no role passes it.
  EXPECT_EQ(send(router, router.routes().back(), role_keys_["admin"]).status, 403);
}

TEST_F(RoutePermissionsTest, RefusalsAreAuditedWithTheCallerAndItsRole) {
  const Route* users = nullptr;
  for (const Route& r : router_->routes()) {
    if (r.method == "POST" && r.pattern == "/api/v1/users") users = &r;
  }
  ASSERT_NE(users, nullptr);
  ASSERT_EQ(send(*router_, *users, role_keys_["analyst"]).status, 403);
  auto head = store_->audit_head();
  ASSERT_TRUE(head.is_ok());
  auto rec = store_->get_audit(head->seq);
  ASSERT_TRUE(rec.is_ok() && rec->has_value());
  EXPECT_EQ((*rec)->action, "user.create");
  EXPECT_EQ((*rec)->outcome, "denied");
  EXPECT_EQ((*rec)->actor_kind, "key");
  EXPECT_EQ((*rec)->actor_name, "walker-analyst");
  EXPECT_EQ((*rec)->role, "analyst");
}

}  // namespace
}  // namespace atio::server::testing
