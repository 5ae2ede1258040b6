// The secret store over a real SQLite store: values go in sealed, come back
// only through reveal(), lists carry no value, names and values follow their
// rules, and an update keeps the creation time.
#include "atio/secrets/secret_store.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "atio/core/ids.h"
#include "atio/store/sqlite/sqlite_store.h"
#include "support/sqlite_file.h"

namespace atio::secrets {
namespace {

namespace bj = boost::json;
namespace fs = std::filesystem;

class SecretStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("atio-secrets-" + uuid_v4());
    fs::create_directories(dir_);
    store::SqliteOptions o;
    o.path = (dir_ / "atio.db").string();
    o.synchronous = "normal";
    auto r = store::open_sqlite_store(o);
    ASSERT_TRUE(r.is_ok()) << r.status().to_string();
    store_ = std::move(r).value();
    secrets_ = std::make_unique<SecretStore>(*store_, Vault::with_key(std::string(32, '\x01')));
  }
  void TearDown() override {
    secrets_.reset();
    if (store_) store_->close();
    store_.reset();
    fs::remove_all(dir_);
  }
  Status put(const std::string& name, const bj::value& v, std::int64_t now = 1000) {
    auto op = secrets_->put_op(name, v, "for tests", "key:admin", now);
    if (!op.is_ok()) return op.status();
    return store_->write({std::move(*op)});
  }
  fs::path dir_;
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<SecretStore> secrets_;
};

TEST_F(SecretStoreTest, RevealsWhatWasPutAndNothingElseShowsIt) {
  const std::string plain = "Zq8-unguessable-misp-key";
  ASSERT_TRUE(put("misp", bj::value(plain)).is_ok());
  ASSERT_TRUE(put("basic", bj::object{{"user_id", "admin"}, {"password", "pw-Zq8"}}).is_ok());
  EXPECT_EQ(*secrets_->reveal("misp"), bj::value(plain));
  EXPECT_EQ(secrets_->reveal("basic")->at("password"), "pw-Zq8");
  EXPECT_EQ(secrets_->reveal("nope").status().code(), Code::kNotFound);
  auto list = secrets_->list();
  ASSERT_TRUE(list.is_ok());
  ASSERT_EQ(list->size(), 2u);
  EXPECT_EQ((*list)[0].name, "basic");
  for (const auto& r : *list) EXPECT_TRUE(r.sealed.empty());
  store_->close();
  // The database file holds no plaintext.
  for (const auto& e : fs::directory_iterator(dir_)) {
    std::ifstream in(e.path(), std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    EXPECT_EQ(ss.str().find(plain), std::string::npos) << e.path();
    EXPECT_EQ(ss.str().find("pw-Zq8"), std::string::npos) << e.path();
  }
}

// Each use is a security-relevant read: audited first, and refused when the
// record cannot be written.
TEST_F(SecretStoreTest, EveryUseIsAuditedAndAnUnauditableUseRevealsNothing) {
  ASSERT_TRUE(put("iris", bj::value("t0ken")).is_ok());
  ASSERT_TRUE(secrets_->reveal("iris", "execution e1 step s1").is_ok());
  store::AuditFilter f;
  f.action = "secret.use";
  auto uses = store_->list_audit(f);
  ASSERT_TRUE(uses.is_ok());
  ASSERT_EQ(uses->size(), 1u);
  EXPECT_EQ((*uses)[0].object_id, "iris");
  EXPECT_EQ((*uses)[0].actor_kind, "system");
  EXPECT_NE((*uses)[0].detail.find("execution e1 step s1"), std::string::npos);
  EXPECT_EQ((*uses)[0].detail.find("t0ken"), std::string::npos);
  atio::testing::run_sql((dir_ / "atio.db").string(),
                         "CREATE TRIGGER no_audit BEFORE INSERT ON audit BEGIN"
                         " SELECT RAISE(ABORT, 'audit refused'); END;");
  auto refused = secrets_->reveal("iris", "execution e2 step s1");
  ASSERT_FALSE(refused.is_ok());
  EXPECT_NE(refused.status().message().find("could not be audited"), std::string::npos);
}

TEST_F(SecretStoreTest, UpdateKeepsCreationTime) {
  ASSERT_TRUE(put("iris", bj::value("one"), 1000).is_ok());
  ASSERT_TRUE(put("iris", bj::value("two"), 5000).is_ok());
  auto r = store_->get_secret("iris");
  ASSERT_TRUE(r.is_ok() && *r);
  EXPECT_EQ((*r)->created_at_ms, 1000);
  EXPECT_EQ((*r)->updated_at_ms, 5000);
  EXPECT_EQ(*secrets_->reveal("iris"), bj::value("two"));
}

TEST_F(SecretStoreTest, NamesAndValuesFollowTheirRules) {
  EXPECT_NE(put("", bj::value("x")).message().find("name"), std::string::npos);
  EXPECT_NE(put("-x", bj::value("x")).message().find("start with"), std::string::npos);
  EXPECT_NE(put("a b", bj::value("x")).message().find("only"), std::string::npos);
  EXPECT_NE(put(std::string(129, 'a'), bj::value("x")).message().find("128"), std::string::npos);
  EXPECT_TRUE(put("a.b_c-9", bj::value("x")).is_ok());
  EXPECT_NE(put("v", bj::value("")).message().find("value"), std::string::npos);
  EXPECT_NE(put("v", bj::value(42)).message().find("value"), std::string::npos);
  EXPECT_NE(put("v", bj::object{{"password", 1}}).message().find("value.password"),
            std::string::npos);
  EXPECT_EQ(store_->write({store::DeleteSecret{"nope"}}).code(), Code::kNotFound);
}

}  // namespace
}  // namespace atio::secrets
