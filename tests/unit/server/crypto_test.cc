#include "atio/server/auth/crypto.h"

#include <gtest/gtest.h>

namespace atio::server::auth {
namespace {

TEST(Crypto, Sha256KnownVector) {
  EXPECT_EQ(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(Crypto, HmacSha256Rfc4231Case2) {
  EXPECT_EQ(hmac_sha256_hex("Jefe", "what do ya want for nothing?"),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

TEST(Crypto, ConstantTimeEqual) {
  EXPECT_TRUE(constant_time_equal("abc", "abc"));
  EXPECT_FALSE(constant_time_equal("abc", "abd"));
  EXPECT_FALSE(constant_time_equal("abc", "abcd"));
}

TEST(Crypto, SecretsAreLongAndDistinct) {
  std::string a = new_secret("atio_"), b = new_secret("atio_");
  EXPECT_EQ(a.size(), 5u + 64u);
  EXPECT_NE(a, b);
}

}  // namespace
}  // namespace atio::server::auth
