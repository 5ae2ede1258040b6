// Logging in and out: the cookie's attributes, the CSRF token on changes,
// expiry, disabled users, rate limiting, and the audit record of every
// attempt.
#include <boost/json/parse.hpp>

#include "accounts_test_support.h"

namespace atio::server::testing {
namespace {

class SessionsApiTest : public AccountsTest {};

TEST_F(SessionsApiTest, LoginSetsAStrictHttpOnlyCookieAndAnswersTheCsrfToken) {
  const std::string id = create_user("alice", "analyst");
  Login l = login("alice");
  ASSERT_EQ(l.response.status, 200) << l.response.body;
  const std::string cookie = header(l.response, "Set-Cookie");
  EXPECT_NE(cookie.find("HttpOnly"), std::string::npos) << cookie;
  EXPECT_NE(cookie.find("SameSite=Strict"), std::string::npos) << cookie;
  EXPECT_NE(cookie.find("Path=/"), std::string::npos) << cookie;
  EXPECT_NE(cookie.find("Max-Age=28800"), std::string::npos) << cookie;  // 8 hours
  EXPECT_EQ(cookie.find("Secure"), std::string::npos) << "no TLS, no Secure: " << cookie;
  EXPECT_GE(l.token.size(), 64u);
  EXPECT_FALSE(l.csrf.empty());
  EXPECT_NE(l.csrf, l.token);
  const bj::value b = body(l.response);
  EXPECT_EQ(b.at("user").at("id"), bj::value(id));
  EXPECT_EQ(b.at("user").at("role"), "analyst");
  // The store keeps neither the token nor anything it can be read from.
  auto sessions = store_->find_session(l.token);
  ASSERT_TRUE(sessions.is_ok());
  EXPECT_FALSE(sessions->has_value());
}

TEST_F(SessionsApiTest, SecureCookiesWhenConfiguredForTls) {
  ctx_.accounts.sessions.secure_cookie = true;
  create_user("alice", "viewer");
  Login l = login("alice");
  ASSERT_EQ(l.response.status, 200);
  EXPECT_NE(header(l.response, "Set-Cookie").find("; Secure"), std::string::npos);
}

TEST_F(SessionsApiTest, TheSessionActsAsItsUserWithTheUsersRole) {
  const std::string id = create_user("alice", "analyst");
  Login l = login("alice");
  Response me = send({"GET", "/api/v1/me", "", "", l.token});
  ASSERT_EQ(me.status, 200) << me.body;
  const bj::value b = body(me);
  EXPECT_EQ(b.at("kind"), "user");
  EXPECT_EQ(b.at("id"), bj::value(id));
  EXPECT_EQ(b.at("role"), "analyst");
  EXPECT_EQ(b.at("session").at("csrf_token"), bj::value(l.csrf));
  bool runs = false;
  for (const auto& p : b.at("permissions").as_array()) runs = runs || p == "execution.run";
  EXPECT_TRUE(runs);
  // Allowed and refused by role.
  EXPECT_EQ(send({"GET", "/api/v1/playbooks", "", "", l.token}).status, 200);
  Response users = send({"GET", "/api/v1/users", "", "", l.token});
  EXPECT_EQ(users.status, 403);
  EXPECT_EQ(error_code(users), "permission_denied");
}

TEST_F(SessionsApiTest, ChangesWithTheCookieNeedTheCsrfTokenReadsDoNot) {
  create_user("alice", "analyst");
  Login l = login("alice");
  const std::string key_body = R"({"name": "script", "role": "viewer"})";
  Response missing = send({"POST", "/api/v1/apikeys", key_body, "", l.token});
  EXPECT_EQ(missing.status, 403) << missing.body;
  EXPECT_NE(missing.body.find("X-CSRF-Token"), std::string::npos);
  Response wrong = send({"POST", "/api/v1/apikeys", key_body, "", l.token, l.csrf + "0"});
  EXPECT_EQ(wrong.status, 403);
  // Another session's token does not do either.
  create_user("bob", "analyst");
  Login other = login("bob");
  EXPECT_EQ(send({"POST", "/api/v1/apikeys", key_body, "", l.token, other.csrf}).status, 403);
  Response ok = send({"POST", "/api/v1/apikeys", key_body, "", l.token, l.csrf});
  EXPECT_EQ(ok.status, 201) << ok.body;
  // An API key needs no CSRF token.
  EXPECT_EQ(call("POST", "/api/v1/apikeys", key_body).status, 201);
}

TEST_F(SessionsApiTest, WrongPasswordsAndUnknownNamesGetTheSameAnswerAndAreAudited) {
  create_user("alice", "analyst");
  Response wrong = login("alice", "not the password at all").response;
  Response unknown = login("mallory", "not the password at all").response;
  EXPECT_EQ(wrong.status, 401);
  EXPECT_EQ(unknown.status, 401);
  EXPECT_EQ(wrong.body, unknown.body);
  EXPECT_EQ(header(wrong, "Set-Cookie"), "");
  store::AuditRecord r = last_record();
  EXPECT_EQ(r.action, "auth.login");
  EXPECT_EQ(r.outcome, "denied");
  EXPECT_EQ(r.actor, "anonymous");
  EXPECT_EQ(r.object_type, "user");
  EXPECT_EQ(r.object_id, "mallory");
  EXPECT_EQ(r.source_ip, "10.0.0.1");
  EXPECT_EQ(bj::parse(r.detail).at("reason"), "unknown_user");
  EXPECT_EQ(r.detail.find("not the password"), std::string::npos);
}

TEST_F(SessionsApiTest, ASuccessfulLoginIsAuditedAsTheUser) {
  const std::string id = create_user("alice", "author");
  ASSERT_EQ(login("ALICE").response.status, 200);  // names ignore case
  store::AuditRecord r = last_record();
  EXPECT_EQ(r.action, "auth.login");
  EXPECT_EQ(r.outcome, "success");
  EXPECT_EQ(r.actor, id);
  EXPECT_EQ(r.actor_kind, "user");
  EXPECT_EQ(r.actor_name, "alice");
  EXPECT_EQ(r.role, "author");
  EXPECT_EQ(r.object_id, id);
  auto u = store_->get_user(id);
  ASSERT_TRUE(u.is_ok() && u->has_value());
  EXPECT_GT((*u)->last_login_at_ms, 0);
}

TEST_F(SessionsApiTest, WhatAUserDoesIsAuditedAsTheUserWithItsRole) {
  const std::string id = create_user("alice", "author");
  Login l = login("alice");
  const bj::object doc = lua_playbook(new_playbook_id());
  Response r = send({"POST", "/api/v1/playbooks", json::dump(doc), "", l.token, l.csrf});
  ASSERT_EQ(r.status, 201) << r.body;
  store::AuditRecord rec = last_record();
  EXPECT_EQ(rec.action, "playbook.create");
  EXPECT_EQ(rec.actor, id);
  EXPECT_EQ(rec.actor_kind, "user");
  EXPECT_EQ(rec.actor_name, "alice");
  EXPECT_EQ(rec.role, "author");
}

TEST_F(SessionsApiTest, FiveFailuresAMinuteThen429WithRetryAfterEvenForTheRightPassword) {
  create_user("alice", "analyst");
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(login("alice", "wrong password " + std::to_string(i)).response.status, 401);
  }
  Response limited = login("alice").response;
  EXPECT_EQ(limited.status, 429) << limited.body;
  const int retry = std::stoi(header(limited, "Retry-After"));
  EXPECT_GT(retry, 0);
  EXPECT_LE(retry, 60);
  store::AuditRecord r = last_record();
  EXPECT_EQ(r.action, "auth.login");
  EXPECT_EQ(r.outcome, "failure");
  EXPECT_EQ(bj::parse(r.detail).at("reason"), "rate_limited");
  // The same name from another address is limited too; another name from
  // another address is not.
  EXPECT_EQ(login("alice", "a long enough password", "10.0.0.2").response.status, 429);
  create_user("bob", "viewer");
  EXPECT_EQ(login("bob", "a long enough password", "10.0.0.2").response.status, 200);
  // A minute later the right password works again.
  advance_clock(61'000);
  EXPECT_EQ(login("alice").response.status, 200);
}

TEST_F(SessionsApiTest, OneAddressGuessingManyNamesIsLimited) {
  for (int i = 0; i < 5; ++i) login("user" + std::to_string(i), "some wrong password", "10.9.9.9");
  create_user("carol", "viewer");
  EXPECT_EQ(login("carol", "a long enough password", "10.9.9.9").response.status, 429);
  EXPECT_EQ(login("carol", "a long enough password", "10.9.9.8").response.status, 200);
}

TEST_F(SessionsApiTest, LogoutEndsTheSessionAndClearsTheCookie) {
  create_user("alice", "viewer");
  Login l = login("alice");
  // Without its CSRF token a logout is refused (no forced logout by another site).
  EXPECT_EQ(send({"DELETE", "/api/v1/session", "", "", l.token}).status, 403);
  Response out = send({"DELETE", "/api/v1/session", "", "", l.token, l.csrf});
  ASSERT_EQ(out.status, 204) << out.body;
  EXPECT_NE(header(out, "Set-Cookie").find("atio_session=;"), std::string::npos);
  EXPECT_NE(header(out, "Set-Cookie").find("Max-Age=0"), std::string::npos);
  EXPECT_EQ(last_record().action, "auth.logout");
  EXPECT_EQ(send({"GET", "/api/v1/me", "", "", l.token}).status, 401);
  // With an API key there is no session to end.
  EXPECT_EQ(call("DELETE", "/api/v1/session").status, 409);
}

TEST_F(SessionsApiTest, ASessionExpiresAfterItsLifetime) {
  create_user("alice", "viewer");
  Login l = login("alice");
  advance_clock(ctx_.accounts.sessions.ttl_ms - 1000);
  EXPECT_EQ(send({"GET", "/api/v1/me", "", "", l.token}).status, 200);
  advance_clock(1000);
  Response r = send({"GET", "/api/v1/me", "", "", l.token});
  EXPECT_EQ(r.status, 401);
  EXPECT_NE(r.body.find("expired"), std::string::npos);
}

TEST_F(SessionsApiTest, DisablingAUserEndsItsSessionsAndRefusesItsLogins) {
  const std::string id = create_user("alice", "viewer");
  Login l = login("alice");
  Response r = call_json("PATCH", "/api/v1/users/" + id, bj::object{{"disabled", true}});
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(send({"GET", "/api/v1/me", "", "", l.token}).status, 401);
  Response again = login("alice").response;
  EXPECT_EQ(again.status, 401);
  EXPECT_EQ(bj::parse(last_record().detail).at("reason"), "user_disabled");
  ASSERT_EQ(call_json("PATCH", "/api/v1/users/alice", bj::object{{"disabled", false}}).status, 200);
  EXPECT_EQ(login("alice").response.status, 200);
}

TEST_F(SessionsApiTest, ARoleChangeTakesEffectOnTheOpenSession) {
  const std::string id = create_user("alice", "viewer");
  Login l = login("alice");
  EXPECT_EQ(send({"GET", "/api/v1/audit", "", "", l.token}).status, 403);
  ASSERT_EQ(call_json("PATCH", "/api/v1/users/" + id, bj::object{{"role", "auditor"}}).status, 200);
  EXPECT_EQ(send({"GET", "/api/v1/audit", "", "", l.token}).status, 200);
}

TEST_F(SessionsApiTest, APasswordResetEndsTheSessionsAndOnlyTheNewPasswordWorks) {
  const std::string id = create_user("alice", "viewer");
  Login l = login("alice");
  Response r = call_json("POST", "/api/v1/users/alice/password",
                         bj::object{{"password", "a brand new password"}});
  ASSERT_EQ(r.status, 204) << r.body;
  store::AuditRecord rec = last_record();
  EXPECT_EQ(rec.action, "user.password");
  EXPECT_EQ(rec.object_id, id);
  EXPECT_EQ(rec.detail.find("brand new"), std::string::npos);
  EXPECT_EQ(send({"GET", "/api/v1/me", "", "", l.token}).status, 401);
  EXPECT_EQ(login("alice").response.status, 401);
  EXPECT_EQ(login("alice", "a brand new password").response.status, 200);
}

}  // namespace
}  // namespace atio::server::testing
