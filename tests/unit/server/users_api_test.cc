// /api/v1/users: what an administrator can do with users, and what the API
// never shows.
#include <boost/json/parse.hpp>

#include <algorithm>

#include "accounts_test_support.h"

namespace atio::server::testing {
namespace {

class UsersApiTest : public AccountsTest {};

TEST_F(UsersApiTest, CreateListAndGetNeverShowThePasswordHash) {
  const std::string id = create_user("alice", "auditor");
  Response list = call("GET", "/api/v1/users");
  ASSERT_EQ(list.status, 200);
  const bj::value listed = body(list);
  const bj::array& users = listed.at("users").as_array();
  ASSERT_EQ(users.size(), 1u);
  EXPECT_EQ(users[0].at("name"), "alice");
  EXPECT_EQ(users[0].at("role"), "auditor");
  EXPECT_EQ(users[0].at("disabled"), false);
  EXPECT_TRUE(users[0].at("last_login_at").is_null());
  EXPECT_EQ(list.body.find("argon2"), std::string::npos);
  EXPECT_EQ(call("GET", "/api/v1/users/" + id).status, 200);
  EXPECT_EQ(body(call("GET", "/api/v1/users/alice")).at("id"), bj::value(id));
  EXPECT_EQ(call("GET", "/api/v1/users/nobody").status, 404);
  // The record names the new user; never the password.
  store::AuditRecord r = last_record();
  EXPECT_EQ(r.action, "user.create");
  EXPECT_EQ(r.object_id, id);
  EXPECT_EQ(bj::parse(r.detail).at("role"), "auditor");
  EXPECT_EQ(r.detail.find("password"), std::string::npos);
  // Stored as an argon2id hash.
  auto u = store_->get_user(id);
  ASSERT_TRUE(u.is_ok() && u->has_value());
  EXPECT_EQ((*u)->password_hash.rfind("$argon2id$", 0), 0u);
}

TEST_F(UsersApiTest, NamesAreUniqueWithoutRegardToCase) {
  create_user("alice", "viewer");
  Response r = call_json("POST", "/api/v1/users", bj::object{{"name", "Alice"}, {"role", "viewer"},
                                                             {"password", "another password!"}});
  EXPECT_EQ(r.status, 409) << r.body;
}

TEST_F(UsersApiTest, EveryProblemOfANewUserIsNamed) {
  Response r = call_json("POST", "/api/v1/users", bj::object{{"name", "a b"}, {"role", "root"},
                                                             {"password", "short"}});
  EXPECT_EQ(r.status, 422);
  std::vector<std::string> p = pointers(r);
  std::sort(p.begin(), p.end());
  EXPECT_EQ(p, (std::vector<std::string>{"/name", "/password", "/role"}));
  r = call_json("POST", "/api/v1/users", bj::object{{"name", "x"}});
  EXPECT_EQ(r.status, 422);
  EXPECT_EQ(call("GET", "/api/v1/users").body.find("\"x\""), std::string::npos);
}

TEST_F(UsersApiTest, RoleChangesAndDisablingAreAuditedWithBeforeAndAfter) {
  const std::string id = create_user("alice", "viewer");
  Response r = call_json("PATCH", "/api/v1/users/" + id, bj::object{{"role", "author"}});
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(body(r).at("role"), "author");
  store::AuditRecord rec = last_record();
  EXPECT_EQ(rec.action, "user.update");
  const bj::value d = bj::parse(rec.detail);
  EXPECT_EQ(d.at("role").at("before"), "viewer");
  EXPECT_EQ(d.at("role").at("after"), "author");
  EXPECT_EQ(call_json("PATCH", "/api/v1/users/" + id, bj::object{{"role", "boss"}}).status, 422);
  EXPECT_EQ(call_json("PATCH", "/api/v1/users/" + id, bj::object{}).status, 422);
  // The password of a user is never changed by an update.
  EXPECT_EQ(call_json("PATCH", "/api/v1/users/" + id,
                      bj::object{{"password", "sneaky password"}}).status,
            422);
  EXPECT_EQ(login("alice").response.status, 200);
}

TEST_F(UsersApiTest, AnAdministratorCannotLockThemselvesOut) {
  const std::string id = create_user("root-user", "admin");
  Login l = login("root-user");
  Response r = send({"PATCH", "/api/v1/users/" + id, R"({"disabled": true})", "", l.token, l.csrf});
  EXPECT_EQ(r.status, 409) << r.body;
  r = send({"PATCH", "/api/v1/users/" + id, R"({"role": "viewer"})", "", l.token, l.csrf});
  EXPECT_EQ(r.status, 409);
  EXPECT_EQ(send({"GET", "/api/v1/users", "", "", l.token}).status, 200);
}

}  // namespace
}  // namespace atio::server::testing
