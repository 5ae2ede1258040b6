#include "atio/audit/signing_key.h"

#include <sodium.h>

#include <string_view>

#include "atio/core/private_file.h"

namespace atio::audit {

namespace {

std::string to_hex(const unsigned char* p, std::size_t n) {
  std::string s(n * 2 + 1, '\0');
  sodium_bin2hex(s.data(), s.size(), p, n);
  s.pop_back();
  return s;
}

// Exactly `n` bytes from hex; false on anything else.
bool from_hex(std::string_view hex, unsigned char* out, std::size_t n) {
  if (hex.size() != n * 2) return false;
  std::size_t len = 0;
  return sodium_hex2bin(out, n, hex.data(), hex.size(), nullptr, &len, nullptr) == 0 && len == n;
}

bool ready() { return sodium_init() >= 0; }

}  // namespace

std::string default_key_path(const std::string& db_path) { return db_path + ".audit-key"; }

SigningKey::~SigningKey() { sodium_memzero(secret_, sizeof secret_); }

Result<std::shared_ptr<SigningKey>> SigningKey::load(const std::string& path) {
  if (!ready()) return Status(Code::kInternal, "libsodium could not be initialised");
  ATIO_ASSIGN_OR_RETURN(std::string content, read_private_file(path, "audit key", 130));
  std::string_view text(content);
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.remove_suffix(1);
  unsigned char seed[crypto_sign_SEEDBYTES];
  const bool parsed = from_hex(text, seed, sizeof seed);
  wipe(content);
  if (!parsed) {
    return Status(Code::kInvalidArgument,
                  "audit key " + path + " does not hold a key (64 hex digits expected)");
  }
  std::shared_ptr<SigningKey> key(new SigningKey());
  unsigned char pk[crypto_sign_PUBLICKEYBYTES];
  crypto_sign_seed_keypair(pk, key->secret_, seed);
  sodium_memzero(seed, sizeof seed);
  key->public_hex_ = to_hex(pk, sizeof pk);
  return key;
}

Result<std::shared_ptr<SigningKey>> SigningKey::load_or_create(const std::string& path) {
  auto found = load(path);
  if (found.is_ok() || found.status().code() != Code::kNotFound) return found;
  unsigned char seed[crypto_sign_SEEDBYTES];
  randombytes_buf(seed, sizeof seed);
  std::string text = to_hex(seed, sizeof seed) + "\n";
  sodium_memzero(seed, sizeof seed);
  const Status created = create_private_file(path, text, "audit key");
  wipe(text);
  ATIO_RETURN_IF_ERROR(created);
  return load(path);
}

std::string SigningKey::sign_hex(std::string_view message) const {
  unsigned char sig[crypto_sign_BYTES];
  crypto_sign_detached(sig, nullptr, reinterpret_cast<const unsigned char*>(message.data()),
                       message.size(), secret_);
  return to_hex(sig, sizeof sig);
}

bool verify_signature(std::string_view public_key_hex, std::string_view message,
                      std::string_view signature_hex) {
  if (!ready()) return false;
  unsigned char pk[crypto_sign_PUBLICKEYBYTES];
  unsigned char sig[crypto_sign_BYTES];
  if (!from_hex(public_key_hex, pk, sizeof pk) || !from_hex(signature_hex, sig, sizeof sig)) {
    return false;
  }
  return crypto_sign_verify_detached(sig, reinterpret_cast<const unsigned char*>(message.data()),
                                     message.size(), pk) == 0;
}

}  // namespace atio::audit
