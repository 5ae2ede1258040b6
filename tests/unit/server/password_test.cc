// Password hashes: argon2id strings that libsodium itself accepts, salted,
// verified only by the right password; the length rules.
#include "atio/server/auth/password.h"

#include <gtest/gtest.h>
#include <sodium.h>

#include <string>

namespace atio::server::auth {
namespace {

const PasswordCost kCheap = PasswordCost::minimum();

TEST(Password, HashIsAnArgon2idStringThatVerifiesOnlyTheRightPassword) {
  auto h = hash_password("correct horse battery", kCheap);
  ASSERT_TRUE(h.is_ok()) << h.status().to_string();
  EXPECT_EQ(h->rfind("$argon2id$", 0), 0u) << *h;
  EXPECT_TRUE(verify_password(*h, "correct horse battery"));
  EXPECT_FALSE(verify_password(*h, "correct horse batterY"));
  EXPECT_FALSE(verify_password(*h, "correct horse battery "));
  EXPECT_FALSE(verify_password(*h, ""));
}

TEST(Password, LibsodiumVerifiesOurHashAndWeVerifyItsHash) {
  ASSERT_GE(sodium_init(), 0);
  const std::string pw = "a passphrase of some length";
  auto ours = hash_password(pw, kCheap);
  ASSERT_TRUE(ours.is_ok());
  EXPECT_EQ(crypto_pwhash_str_verify(ours->c_str(), pw.data(), pw.size()), 0);
  // A hash made by libsodium directly, with other parameters (its default
  // algorithm, moderate cost): the string carries them.
  char theirs[crypto_pwhash_STRBYTES];
  ASSERT_EQ(crypto_pwhash_str(theirs, pw.data(), pw.size(), crypto_pwhash_OPSLIMIT_MIN + 1,
                              crypto_pwhash_MEMLIMIT_MIN * 2),
            0);
  EXPECT_TRUE(verify_password(theirs, pw));
  EXPECT_FALSE(verify_password(theirs, pw + "x"));
}

TEST(Password, EveryHashHasItsOwnSalt) {
  auto a = hash_password("same password twice", kCheap);
  auto b = hash_password("same password twice", kCheap);
  ASSERT_TRUE(a.is_ok() && b.is_ok());
  EXPECT_NE(*a, *b);
  EXPECT_TRUE(verify_password(*a, "same password twice"));
  EXPECT_TRUE(verify_password(*b, "same password twice"));
}

TEST(Password, TheDefaultCostIsLibsodiumsInteractiveArgon2id) {
  auto h = hash_password("interactive cost check");
  ASSERT_TRUE(h.is_ok());
  // m is in KiB, t the passes (the argon2 string format).
  const std::string expected = "$argon2id$v=19$m=" +
                               std::to_string(crypto_pwhash_MEMLIMIT_INTERACTIVE / 1024) +
                               ",t=" + std::to_string(crypto_pwhash_OPSLIMIT_INTERACTIVE) + ",";
  EXPECT_EQ(h->rfind(expected, 0), 0u) << *h;
}

TEST(Password, RulesRefuseShortLongAndNulPasswords) {
  EXPECT_EQ(check_password_rules(std::string(kMinPasswordLength - 1, 'a')).code(),
            Code::kInvalidArgument);
  EXPECT_TRUE(check_password_rules(std::string(kMinPasswordLength, 'a')).is_ok());
  EXPECT_TRUE(check_password_rules(std::string(kMaxPasswordLength, 'a')).is_ok());
  EXPECT_EQ(check_password_rules(std::string(kMaxPasswordLength + 1, 'a')).code(),
            Code::kInvalidArgument);
  EXPECT_EQ(check_password_rules(std::string("twelve chars\0more", 17)).code(),
            Code::kInvalidArgument);
  EXPECT_FALSE(hash_password("short", kCheap).is_ok());
}

TEST(Password, SomethingThatIsNotAHashVerifiesNothing) {
  EXPECT_FALSE(verify_password("", "anything at all"));
  EXPECT_FALSE(verify_password("$argon2id$garbage", "anything at all"));
  EXPECT_FALSE(verify_password(std::string(500, '$'), "anything at all"));
}

}  // namespace
}  // namespace atio::server::auth
