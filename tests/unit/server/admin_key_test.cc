// An admin API key an operator chooses (atio serve --admin-key-file): what
// may be one, and that the first start stores exactly it.
#include "server_test_support.h"

namespace atio::server::testing {
namespace {

TEST(ApiKeySecret, ThirtyTwoTo512CharactersThatTravelInABearerHeader) {
  EXPECT_TRUE(auth::check_api_key_secret(std::string(32, 'a')).is_ok());
  EXPECT_TRUE(auth::check_api_key_secret(std::string(512, 'Z')).is_ok());
  EXPECT_TRUE(auth::check_api_key_secret("atio_0123456789abcdef-._~+/=ABCDEFGHIJ").is_ok());
  EXPECT_EQ(auth::check_api_key_secret(std::string(31, 'a')).code(), Code::kInvalidArgument);
  EXPECT_EQ(auth::check_api_key_secret(std::string(513, 'a')).code(), Code::kInvalidArgument);
  for (char bad : {' ', '"', ',', ';', '\t', '\x7f', '\xc3'}) {
    std::string key(40, 'a');
    key[20] = bad;
    const Status s = auth::check_api_key_secret(key);
    EXPECT_EQ(s.code(), Code::kInvalidArgument) << static_cast<int>(bad);
    EXPECT_NE(s.message().find("character 21"), std::string::npos) << s.message();
  }
}

class AdminKeyTest : public ServerTest {};

TEST_F(AdminKeyTest, TheFirstStartStoresTheChosenKeyAndLaterStartsMakeNone) {
  // A store of its own: the fixture's already holds the tester's key.
  auto fresh = store::open_sqlite_store({.path = (dir_ / "fresh.db").string()});
  ASSERT_TRUE(fresh.is_ok()) << fresh.status().to_string();
  auth::ApiKeys keys(**fresh);
  const std::string chosen = "atio_" + std::string(64, '7');
  auto made = keys.ensure_admin_key(chosen);
  ASSERT_TRUE(made.is_ok()) << made.status().to_string();
  EXPECT_EQ(*made, chosen);
  auto who = keys.check(chosen);
  ASSERT_TRUE(who.is_ok()) << who.status().to_string();
  EXPECT_EQ(who->role, "admin");
  auto again = keys.ensure_admin_key("atio_" + std::string(64, '8'));
  ASSERT_TRUE(again.is_ok());
  EXPECT_EQ(*again, "");
  EXPECT_FALSE(keys.check("atio_" + std::string(64, '8')).is_ok());
  (*fresh)->close();
}

}  // namespace
}  // namespace atio::server::testing
