#include "atio/server/router.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <stdexcept>

#include "atio/core/json.h"
#include "atio/server/errors.h"

namespace atio::server {
namespace {

class KeyIsK final : public Authenticator {
 public:
  Result<Principal> authenticate(const Request& r) const override {
    if (r.header("x-api-key") != "k") return Status(Code::kUnauthenticated, "wrong key");
    return Principal{"api-key", "1", "tester", "admin"};
  }
};

Response run(const Router& router, const std::string& method, const std::string& target,
             bool with_key = true) {
  Request r;
  r.method = method;
  r.target = target;
  if (with_key) r.headers["x-api-key"] = "k";
  Response out;
  router.dispatch(std::move(r), [&out](Response res) { out = std::move(res); });
  return out;
}

// Echoes the matched parameters and the principal.
Handler echo() {
  return sync_handler([](Request& r) {
    bj::object params;
    for (const auto& [k, v] : r.params) params[k] = v;
    bj::object query;
    for (const auto& [k, v] : r.query) query[k] = v;
    return json_response(200, bj::object{{"params", params},
                                         {"query", query},
                                         {"who", r.principal.name}});
  });
}

class RouterTest : public ::testing::Test {
 protected:
  RouterTest() : router_(keys_) {
    const Permission read = Permission::kPlaybookRead;
    router_.add({.method = "GET",
                 .pattern = "/open",
                 .auth = Auth::kNone,
                 .permission = Permission::kNone,
                 .handler = echo()});
    router_.add({.method = "GET",
                 .pattern = "/things/{id}",
                 .permission = read,
                 .handler = echo()});
    router_.add({.method = "DELETE",
                 .pattern = "/things/{id}",
                 .permission = read,
                 .handler = echo()});
    router_.add({.method = "GET",
                 .pattern = "/things/special",
                 .permission = read,
                 .handler = echo()});
    router_.add({.method = "POST",
                 .pattern = "/runs/{id}/steps/{key+}/answer",
                 .permission = read,
                 .handler = echo()});
    router_.add({.method = "GET",
                 .pattern = "/boom",
                 .permission = read,
                 .handler = sync_handler([](Request&) -> Response {
                   throw std::runtime_error("kaputt");
                 })});
  }
  KeyIsK keys_;
  Router router_;
};

bj::value parsed(const Response& r) { return *json::parse(r.body); }

TEST_F(RouterTest, PublicRouteNeedsNoKey) {
  EXPECT_EQ(run(router_, "GET", "/open", false).status, 200);
}

TEST_F(RouterTest, MissingOrWrongKeyIs401WithJsonError) {
  Response r = run(router_, "GET", "/things/1", false);
  EXPECT_EQ(r.status, 401);
  EXPECT_EQ(parsed(r).at("error").at("code"), "unauthenticated");
  bool www = false;
  for (const auto& [k, v] : r.headers) www = www || k == "WWW-Authenticate";
  EXPECT_TRUE(www);
  EXPECT_EQ(parsed(run(router_, "GET", "/things/1")).at("who"), "tester");
}

TEST_F(RouterTest, PathParametersArePercentDecoded) {
  Response r = run(router_, "GET", "/things/a%20b?x=1&y=%2F");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(parsed(r).at("params").at("id"), "a b");
  EXPECT_EQ(parsed(r).at("query").at("y"), "/");
}

TEST_F(RouterTest, LiteralSegmentBeatsParameter) {
  Response r = run(router_, "GET", "/things/special");
  EXPECT_TRUE(parsed(r).at("params").as_object().empty());
}

TEST_F(RouterTest, StepKeysMayHoldSlashesEncodedOrNot) {
  Response encoded = run(router_, "POST", "/runs/e1/steps/while--a%2F0%2Faction--b/answer");
  EXPECT_EQ(parsed(encoded).at("params").at("key"), "while--a/0/action--b");
  Response raw = run(router_, "POST", "/runs/e1/steps/while--a/0/action--b/answer");
  EXPECT_EQ(parsed(raw).at("params").at("key"), "while--a/0/action--b");
  EXPECT_EQ(parsed(raw).at("params").at("id"), "e1");
}

TEST_F(RouterTest, UnknownPathIs404AndWrongMethodIs405WithAllow) {
  EXPECT_EQ(run(router_, "GET", "/nope").status, 404);
  Response r = run(router_, "PUT", "/things/1");
  EXPECT_EQ(r.status, 405);
  std::string allow;
  for (const auto& [k, v] : r.headers) {
    if (k == "Allow") allow = v;
  }
  EXPECT_EQ(allow, "GET, DELETE");
}

TEST_F(RouterTest, HandlerExceptionIs500) {
  Response r = run(router_, "GET", "/boom");
  EXPECT_EQ(r.status, 500);
  EXPECT_NE(r.body.find("kaputt"), std::string::npos);
}

TEST(Errors, EveryCodeHasAStatus) {
  EXPECT_EQ(http_status(Code::kInvalidArgument), 400);
  EXPECT_EQ(http_status(Code::kUnauthenticated), 401);
  EXPECT_EQ(http_status(Code::kPermissionDenied), 403);
  EXPECT_EQ(http_status(Code::kNotFound), 404);
  EXPECT_EQ(http_status(Code::kAlreadyExists), 409);
  EXPECT_EQ(http_status(Code::kConflict), 409);
  EXPECT_EQ(http_status(Code::kPayloadTooLarge), 413);
  EXPECT_EQ(http_status(Code::kResourceExhausted), 429);
  EXPECT_EQ(http_status(Code::kUnavailable), 503);
  EXPECT_EQ(http_status(Code::kIo), 500);
  EXPECT_EQ(http_status(Code::kInternal), 500);
}

TEST(Errors, BodyNamesCodeMessageAndFields) {
  Response r = error_response(Status(Code::kResourceExhausted, "full"), {{"/a", "rule"}});
  EXPECT_EQ(r.status, 429);
  bj::value b = *json::parse(r.body);
  EXPECT_EQ(b.at("error").at("code"), "resource_exhausted");
  EXPECT_EQ(b.at("error").at("errors").at(0).at("pointer"), "/a");
  bool retry = false;
  for (const auto& [k, v] : r.headers) retry = retry || (k == "Retry-After" && v == "1");
  EXPECT_TRUE(retry);
}

}  // namespace
}  // namespace atio::server
