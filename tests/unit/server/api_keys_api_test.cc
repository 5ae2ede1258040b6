// API keys through /api/v1/apikeys: shown once, stored hashed, scoped to a
// role no greater than their creator's, expiring, revocable, tied to their
// owner.
#include "atio/server/auth/crypto.h"
#include "accounts_test_support.h"

namespace atio::server::testing {
namespace {

class ApiKeysApiTest : public AccountsTest {
 protected:
  // Creates a key with `with` (an API key) and returns the answer.
  Response create_key(const std::string& with, const bj::object& spec) {
    return send({"POST", "/api/v1/apikeys", json::dump(spec), with});
  }
  std::string secret(const Response& r) { return std::string(body(r).at("key").as_string()); }
  std::string id_of(const Response& r) { return std::string(body(r).at("id").as_string()); }
};

TEST_F(ApiKeysApiTest, AKeyIsShownOnceStoredHashedAndActsWithItsRole) {
  Response r = create_key(key_, bj::object{{"name", "soc-script"}, {"role", "analyst"}});
  ASSERT_EQ(r.status, 201) << r.body;
  const std::string k = secret(r);
  EXPECT_EQ(body(r).at("role"), "analyst");
  EXPECT_EQ(body(r).at("status"), "active");
  EXPECT_TRUE(body(r).at("expires_at").is_null());
  auto stored = store_->get_api_key(id_of(r));
  ASSERT_TRUE(stored.is_ok() && stored->has_value());
  EXPECT_EQ((*stored)->key_hash, auth::sha256_hex(k));  // only the hash is kept
  // The audit record never holds the key.
  store::AuditRecord rec = last_record();
  EXPECT_EQ(rec.action, "apikey.create");
  EXPECT_EQ(rec.object_id, id_of(r));
  EXPECT_EQ(rec.detail.find(k), std::string::npos);
  // Listed without the secret.
  Response list = call("GET", "/api/v1/apikeys");
  EXPECT_EQ(list.body.find(k), std::string::npos);
  EXPECT_EQ(list.body.find("key_hash"), std::string::npos);
  // It is an analyst: runs, but cannot write playbooks.
  Response me = send({"GET", "/api/v1/me", "", k});
  EXPECT_EQ(body(me).at("role"), "analyst");
  EXPECT_EQ(body(me).at("kind"), "key");
  EXPECT_EQ(send({"POST", "/api/v1/playbooks", json::dump(lua_playbook(new_playbook_id())), k})
                .status,
            403);
  // Its records name it with its role.
  EXPECT_EQ(last_record().actor_kind, "key");
  EXPECT_EQ(last_record().role, "analyst");
  EXPECT_EQ(last_record().outcome, "denied");
}

TEST_F(ApiKeysApiTest, ARevokedKeyIsRefusedAtOnceAndListedAsRevoked) {
  Response r = create_key(key_, bj::object{{"name", "leaked"}, {"role", "viewer"}});
  const std::string k = secret(r);
  EXPECT_EQ(send({"GET", "/api/v1/playbooks", "", k}).status, 200);  // now cached
  Response revoke = call("DELETE", "/api/v1/apikeys/" + id_of(r));
  ASSERT_EQ(revoke.status, 204) << revoke.body;
  Response refused = send({"GET", "/api/v1/playbooks", "", k});
  EXPECT_EQ(refused.status, 401);
  EXPECT_NE(refused.body.find("revoked"), std::string::npos);
  bool listed = false;
  const bj::value keys = body(call("GET", "/api/v1/apikeys"));
  for (const auto& e : keys.at("api_keys").as_array()) {
    if (e.at("id") == bj::value(id_of(r))) {
      listed = true;
      EXPECT_EQ(e.at("status"), "revoked");
      EXPECT_FALSE(e.at("revoked_at").is_null());
    }
  }
  EXPECT_TRUE(listed);
  EXPECT_EQ(call("DELETE", "/api/v1/apikeys/no-such-key").status, 404);
}

TEST_F(ApiKeysApiTest, AnExpiringKeyWorksUntilItsExpiry) {
  Response r = create_key(key_, bj::object{{"name", "temp"}, {"role", "viewer"},
                                           {"expires_in", "1h"}});
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_FALSE(body(r).at("expires_at").is_null());
  const std::string k = secret(r);
  advance_clock(3'600'000 - 5'000);
  EXPECT_EQ(send({"GET", "/api/v1/me", "", k}).status, 200);
  advance_clock(5'000);
  Response refused = send({"GET", "/api/v1/me", "", k});
  EXPECT_EQ(refused.status, 401);
  EXPECT_NE(refused.body.find("expired"), std::string::npos);
  const bj::value keys = body(call("GET", "/api/v1/apikeys"));
  for (const auto& e : keys.at("api_keys").as_array()) {
    if (e.at("id") == bj::value(id_of(r))) EXPECT_EQ(e.at("status"), "expired");
  }
}

TEST_F(ApiKeysApiTest, BadExpiriesAreNamed) {
  Response r = create_key(key_, bj::object{{"name", "x"}, {"expires_in", "soon"}});
  EXPECT_EQ(r.status, 422);
  EXPECT_EQ(pointers(r), std::vector<std::string>{"/expires_in"});
  r = create_key(key_, bj::object{{"name", "x"}, {"expires_at", "2001-01-01T00:00:00Z"}});
  EXPECT_EQ(pointers(r), std::vector<std::string>{"/expires_at"});
  r = create_key(key_, bj::object{{"name", "x"}, {"role", "root"}});
  EXPECT_EQ(pointers(r), std::vector<std::string>{"/role"});
}

TEST_F(ApiKeysApiTest, AKeyMayNotGrantMoreThanItsCreatorHas) {
  const std::string author =
      secret(create_key(key_, bj::object{{"name", "a"}, {"role", "author"}}));
  for (const char* role : {"admin", "analyst", "auditor"}) {
    Response r = create_key(author, bj::object{{"name", "b"}, {"role", role}});
    EXPECT_EQ(r.status, 403) << role << ": " << r.body;
    EXPECT_EQ(pointers(r), std::vector<std::string>{"/role"});
  }
  Response same = create_key(author, bj::object{{"name", "c"}});  // the creator's own role
  ASSERT_EQ(same.status, 201);
  EXPECT_EQ(body(same).at("role"), "author");
  EXPECT_EQ(create_key(author, bj::object{{"name", "d"}, {"role", "viewer"}}).status, 201);
}

TEST_F(ApiKeysApiTest, AKeyMadeWithAnExpiringKeyDoesNotOutliveIt) {
  const std::string short_lived = secret(
      create_key(key_, bj::object{{"name", "short"}, {"role", "admin"}, {"expires_in", "1h"}}));
  Response longer = create_key(short_lived, bj::object{{"name", "long"}, {"expires_in", "2h"}});
  EXPECT_EQ(longer.status, 422) << longer.body;
  Response unspecified = create_key(short_lived, bj::object{{"name", "inherits"}});
  ASSERT_EQ(unspecified.status, 201);
  auto k = store_->get_api_key(id_of(unspecified));
  auto parent = store_->find_api_key(auth::sha256_hex(short_lived));
  ASSERT_TRUE(k.is_ok() && k->has_value() && parent.is_ok() && parent->has_value());
  EXPECT_EQ((*k)->expires_at_ms, (*parent)->expires_at_ms);
}

TEST_F(ApiKeysApiTest, AUsersKeysAreTheirsToSeeAndStopWithTheUser) {
  const std::string alice = create_user("alice", "analyst");
  create_user("bob", "analyst");
  Login a = login("alice");
  Login b = login("bob");
  Response made =
      send({"POST", "/api/v1/apikeys", R"({"name": "alice-cli"})", "", a.token, a.csrf});
  ASSERT_EQ(made.status, 201) << made.body;
  EXPECT_EQ(body(made).at("owner_user_id"), bj::value(alice));
  const std::string k = secret(made);
  // Bob sees none of Alice's keys and cannot revoke them; the admin sees all.
  EXPECT_TRUE(body(send({"GET", "/api/v1/apikeys", "", "", b.token}))
                  .at("api_keys").as_array().empty());
  EXPECT_EQ(send({"DELETE", "/api/v1/apikeys/" + id_of(made), "", "", b.token, b.csrf}).status,
            404);
  const bj::value own = body(send({"GET", "/api/v1/apikeys", "", "", a.token}));
  EXPECT_EQ(own.at("api_keys").as_array().size(), 1u);
  EXPECT_GE(body(call("GET", "/api/v1/apikeys")).at("api_keys").as_array().size(), 2u);
  // The key acts for Alice: its audit records name the key, Alice is its owner.
  Response me = send({"GET", "/api/v1/me", "", k});
  EXPECT_EQ(body(me).at("user_id"), bj::value(alice));
  // Lowering Alice's role stops a key that grants more than she now has.
  ASSERT_EQ(call_json("PATCH", "/api/v1/users/alice", bj::object{{"role", "viewer"}}).status, 200);
  EXPECT_EQ(send({"GET", "/api/v1/me", "", k}).status, 401);
  ASSERT_EQ(call_json("PATCH", "/api/v1/users/alice", bj::object{{"role", "analyst"}}).status, 200);
  EXPECT_EQ(send({"GET", "/api/v1/me", "", k}).status, 200);
  // Disabling Alice stops her keys.
  ASSERT_EQ(call_json("PATCH", "/api/v1/users/alice", bj::object{{"disabled", true}}).status, 200);
  EXPECT_EQ(send({"GET", "/api/v1/me", "", k}).status, 401);
}

}  // namespace
}  // namespace atio::server::testing
