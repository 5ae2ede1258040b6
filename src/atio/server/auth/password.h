// Password hashing for users: argon2id through libsodium's crypto_pwhash_str,
// whose output string names the algorithm, its parameters and a random salt,
// so a hash made with other parameters still verifies.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "atio/core/status.h"

namespace atio::server::auth {

// How hard each hash is to compute. The defaults are libsodium's
// "interactive" limits (2 passes over 64 MiB): a login costs tens of
// milliseconds, a guess in an offline attack as much. Tests may lower them.
struct PasswordCost {
  unsigned long long ops;
  std::size_t mem_bytes;
  static PasswordCost interactive();
  static PasswordCost minimum();  // the cheapest libsodium allows: for tests only
};

inline constexpr std::size_t kMinPasswordLength = 12;    // bytes
inline constexpr std::size_t kMaxPasswordLength = 1024;  // bytes

// kInvalidArgument naming the rule when `password` is shorter than
// kMinPasswordLength, longer than kMaxPasswordLength, or holds a NUL byte.
Status check_password_rules(std::string_view password);

// The argon2id hash string of `password` (checked by check_password_rules).
// kResourceExhausted when the memory for hashing cannot be had.
Result<std::string> hash_password(std::string_view password,
                                  PasswordCost cost = PasswordCost::interactive());

// True when `password` matches `hash` (a crypto_pwhash_str string). False
// for a wrong password and for a hash that is not one.
bool verify_password(std::string_view hash, std::string_view password);

// Spends the time of one verification against a fixed hash, for a login
// with an unknown user name, so that response times do not tell which names
// exist.
void verify_password_decoy(std::string_view password);

}  // namespace atio::server::auth
