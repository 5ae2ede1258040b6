// Users, sessions and API key roles in the store, on every backend (and
// SQLite's migration 6).
#include <gtest/gtest.h>

#include <filesystem>

#include "atio/core/ids.h"
#include "backend_test.h"
#include "support/sqlite_file.h"

namespace atio::store {
namespace {

class UsersStoreTest : public BackendTest {
 protected:
  void reopen() {
    store_->close();
    store_.reset();
    open();
  }
  static UserRecord user(const std::string& name, const std::string& role = "viewer") {
    UserRecord u;
    u.id = uuid_v4();
    u.name = name;
    u.password_hash = "$argon2id$placeholder";
    u.role = role;
    u.created_at_ms = 1000;
    return u;
  }

};
ATIO_ON_EVERY_BACKEND(UsersStoreTest);

class SqliteUsersStoreTest : public UsersStoreTest {};
ATIO_ON_SQLITE_ONLY(SqliteUsersStoreTest);

TEST_P(UsersStoreTest, UsersAreFoundByIdAndByNameInAnyCase) {
  UserRecord u = user("Alice", "analyst");
  ASSERT_TRUE(store_->write({CreateUser{u}}).is_ok());
  auto by_id = store_->get_user(u.id);
  ASSERT_TRUE(by_id.is_ok() && by_id->has_value());
  EXPECT_EQ((*by_id)->name, "Alice");
  EXPECT_EQ((*by_id)->role, "analyst");
  EXPECT_FALSE((*by_id)->disabled);
  for (const char* n : {"Alice", "alice", "ALICE"}) {
    auto by_name = store_->find_user(n);
    ASSERT_TRUE(by_name.is_ok() && by_name->has_value()) << n;
    EXPECT_EQ((*by_name)->id, u.id);
  }
  auto none = store_->find_user("alicia");
  ASSERT_TRUE(none.is_ok());
  EXPECT_FALSE(none->has_value());
}

TEST_P(UsersStoreTest, ATakenNameInAnyCaseIsAlreadyExistsAndNothingOfTheBatchIsWritten) {
  ASSERT_TRUE(store_->write({CreateUser{user("bob")}}).is_ok());
  ApiKeyRecord k;
  k.id = uuid_v4();
  k.name = "with the failing user";
  k.key_hash = "ab";
  Status s = store_->write({PutApiKey{k}, CreateUser{user("BOB")}});
  EXPECT_EQ(s.code(), Code::kAlreadyExists);
  auto keys = store_->list_api_keys();
  ASSERT_TRUE(keys.is_ok());
  EXPECT_TRUE(keys->empty());
  auto users = store_->list_users();
  ASSERT_TRUE(users.is_ok());
  EXPECT_EQ(users->size(), 1u);
}

TEST_P(UsersStoreTest, UpdateChangesOnlyWhatIsGiven) {
  UserRecord u = user("carol", "viewer");
  ASSERT_TRUE(store_->write({CreateUser{u}, RecordLogin{u.id, 5000}}).is_ok());
  ASSERT_TRUE(store_->write({UpdateUser{u.id, std::nullopt, "author", std::nullopt}}).is_ok());
  ASSERT_TRUE(store_->write({UpdateUser{u.id, std::nullopt, std::nullopt, true}}).is_ok());
  auto got = store_->get_user(u.id);
  ASSERT_TRUE(got.is_ok() && got->has_value());
  EXPECT_EQ((*got)->role, "author");
  EXPECT_TRUE((*got)->disabled);
  EXPECT_EQ((*got)->password_hash, u.password_hash);
  EXPECT_EQ((*got)->last_login_at_ms, 5000);
  EXPECT_EQ((*got)->created_at_ms, 1000);
  ASSERT_TRUE(store_->write({UpdateUser{u.id, std::string("$argon2id$new"), std::nullopt,
                                        std::nullopt}}).is_ok());
  got = store_->get_user(u.id);
  EXPECT_EQ((*got)->password_hash, "$argon2id$new");
  EXPECT_EQ((*got)->role, "author");
  EXPECT_EQ(store_->write({UpdateUser{"no-such-id", std::nullopt, "admin", std::nullopt}}).code(),
            Code::kNotFound);
}

TEST_P(UsersStoreTest, SessionsAreFoundByTokenHashAndEndOneByOneOrPerUserOrWhenExpired) {
  UserRecord u = user("dave");
  ASSERT_TRUE(store_->write({CreateUser{u}}).is_ok());
  auto session = [&](const std::string& hash, std::int64_t expires) {
    SessionRecord s;
    s.id = uuid_v4();
    s.token_hash = hash;
    s.user_id = u.id;
    s.created_at_ms = 0;
    s.expires_at_ms = expires;
    s.source_ip = "10.0.0.1";
    return s;
  };
  SessionRecord a = session("hash-a", 100), b = session("hash-b", 1000),
                c = session("hash-c", 2000);
  ASSERT_TRUE(store_->write({PutSession{a}, PutSession{b}, PutSession{c}}).is_ok());
  auto found = store_->find_session("hash-b");
  ASSERT_TRUE(found.is_ok() && found->has_value());
  EXPECT_EQ((*found)->id, b.id);
  EXPECT_EQ((*found)->user_id, u.id);
  EXPECT_EQ((*found)->expires_at_ms, 1000);
  EXPECT_EQ((*found)->source_ip, "10.0.0.1");

  ASSERT_TRUE(store_->write({DeleteExpiredSessions{500}}).is_ok());
  EXPECT_FALSE(store_->find_session("hash-a")->has_value());
  EXPECT_TRUE(store_->find_session("hash-b")->has_value());
  ASSERT_TRUE(store_->write({DeleteSession{b.id}}).is_ok());
  EXPECT_FALSE(store_->find_session("hash-b")->has_value());
  EXPECT_TRUE(store_->find_session("hash-c")->has_value());
  ASSERT_TRUE(store_->write({DeleteUserSessions{u.id}}).is_ok());
  EXPECT_FALSE(store_->find_session("hash-c")->has_value());
}

TEST_P(UsersStoreTest, KeysKeepRoleExpiryOwnerAndTheirFirstRevocation) {
  ApiKeyRecord k;
  k.id = uuid_v4();
  k.name = "ci";
  k.key_hash = "hash-1";
  k.created_at_ms = 10;
  k.role = "analyst";
  k.expires_at_ms = 99;
  k.owner_user_id = "user-1";
  ASSERT_TRUE(store_->write({PutApiKey{k}}).is_ok());
  auto got = store_->find_api_key("hash-1");  // cached from here on
  ASSERT_TRUE(got.is_ok() && got->has_value());
  EXPECT_EQ((*got)->role, "analyst");
  EXPECT_EQ((*got)->expires_at_ms, 99);
  EXPECT_EQ((*got)->owner_user_id, "user-1");
  EXPECT_EQ((*got)->revoked_at_ms, 0);
  ASSERT_TRUE(store_->write({RevokeApiKey{k.id, 500}}).is_ok());
  // The revocation is seen at once, through the cache too.
  EXPECT_EQ((*store_->find_api_key("hash-1"))->revoked_at_ms, 500);
  ASSERT_TRUE(store_->write({RevokeApiKey{k.id, 900}}).is_ok());
  EXPECT_EQ((*store_->get_api_key(k.id))->revoked_at_ms, 500);
  EXPECT_EQ(store_->write({RevokeApiKey{"no-such-key", 1}}).code(), Code::kNotFound);
}

TEST_P(SqliteUsersStoreTest, MigrationSixMakesTheKeysOfBeforeAdminKeysThatNeverExpire) {
  // The database as migration 5 left it, with a key of that time.
  store_->close();
  store_.reset();
  atio::testing::drop_all_but(location_,
                              {"playbooks", "executions", "api_keys", "hooks", "schedules",
                               "step_journal", "assets", "settings", "sightings", "audit",
                               "audit_checkpoints"});
  sql("DROP INDEX api_keys_by_owner;"
      "ALTER TABLE api_keys DROP COLUMN role; ALTER TABLE api_keys DROP COLUMN expires_at;"
      "ALTER TABLE api_keys DROP COLUMN revoked_at; ALTER TABLE api_keys DROP COLUMN owner_user_id;"
      "INSERT INTO api_keys(id, name, key_hash, created_at) VALUES('old', 'admin', 'h', 1);"
      "PRAGMA user_version = 5;");
  open();
  auto k = store_->find_api_key("h");
  ASSERT_TRUE(k.is_ok() && k->has_value());
  EXPECT_EQ((*k)->role, "admin");
  EXPECT_EQ((*k)->expires_at_ms, 0);
  EXPECT_EQ((*k)->revoked_at_ms, 0);
  EXPECT_EQ((*k)->owner_user_id, "");
  ASSERT_TRUE(store_->write({CreateUser{user("erin")}}).is_ok());
  reopen();
  EXPECT_TRUE(store_->find_user("erin")->has_value());
}

}  // namespace
}  // namespace atio::store
