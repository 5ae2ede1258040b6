#include "atio/server/auth/password.h"

#include <sodium.h>

#include <cstring>

namespace atio::server::auth {

namespace {

bool sodium_ready() {
  static const bool ok = sodium_init() >= 0;
  return ok;
}

}  // namespace

PasswordCost PasswordCost::interactive() {
  return {crypto_pwhash_OPSLIMIT_INTERACTIVE, crypto_pwhash_MEMLIMIT_INTERACTIVE};
}

PasswordCost PasswordCost::minimum() {
  return {crypto_pwhash_OPSLIMIT_MIN, crypto_pwhash_MEMLIMIT_MIN};
}

Status check_password_rules(std::string_view password) {
  if (password.size() < kMinPasswordLength) {
    return Status(Code::kInvalidArgument, "a password needs at least " +
                                              std::to_string(kMinPasswordLength) + " characters");
  }
  if (password.size() > kMaxPasswordLength) {
    return Status(Code::kInvalidArgument, "a password may have at most " +
                                              std::to_string(kMaxPasswordLength) + " bytes");
  }
  if (password.find('\0') != std::string_view::npos) {
    return Status(Code::kInvalidArgument, "a password may not contain a NUL character");
  }
  return Status();
}

Result<std::string> hash_password(std::string_view password, PasswordCost cost) {
  ATIO_RETURN_IF_ERROR(check_password_rules(password));
  if (!sodium_ready()) return Status(Code::kInternal, "libsodium could not be initialised");
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str_alg(out, password.data(), password.size(), cost.ops, cost.mem_bytes,
                            crypto_pwhash_ALG_ARGON2ID13) != 0) {
    return Status(Code::kResourceExhausted, "not enough memory to hash the password");
  }
  return std::string(out);
}

bool verify_password(std::string_view hash, std::string_view password) {
  if (!sodium_ready()) return false;
  // crypto_pwhash_str_verify reads a NUL-terminated string of at most
  // crypto_pwhash_STRBYTES - 1 characters.
  if (hash.empty() || hash.size() >= crypto_pwhash_STRBYTES) return false;
  if (password.size() > kMaxPasswordLength) return false;
  char h[crypto_pwhash_STRBYTES] = {};
  std::memcpy(h, hash.data(), hash.size());
  return crypto_pwhash_str_verify(h, password.data(), password.size()) == 0;
}

void verify_password_decoy(std::string_view password) {
  // Made once with the default cost, so a decoy costs what a real check does.
  static const std::string decoy = [] {
    auto h = hash_password("decoy password for unknown users");
    return h.is_ok() ? *h : std::string();
  }();
  (void)verify_password(decoy, password);
}

}  // namespace atio::server::auth
