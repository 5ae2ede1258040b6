// The secret store's cryptography: secret values are sealed with a master key
// that never enters the database, so a copied database (or a backup, or a
// PostgreSQL dump) holds no usable credential.
//
// Master key: 32 random bytes, as 64 hex digits, from the environment
// variable ATIO_SECRET_KEY when it is set, else from a key file (by default
// beside the database: <db>.secret-key) that only its owner may read (0600;
// a looser file is refused). The file is created on first use.
//
// Sealing: libsodium's crypto_secretbox (XSalsa20-Poly1305) with a fresh
// random nonce per value, under a key derived for the secret's name (BLAKE2b
// keyed with the master key, over the name), so a sealed value moved to
// another name no longer opens. Text form: "sb1:" + base64(nonce || box).
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "atio/core/status.h"

namespace atio::secrets {

class Vault {
 public:
  // The key from ATIO_SECRET_KEY, else from `key_file` (created when absent
  // if `create`). Errors name the variable or the file and the rule.
  static Result<std::shared_ptr<Vault>> open(const std::string& key_file, bool create);
  // A vault over `key` (32 bytes), for tests.
  static std::shared_ptr<Vault> with_key(std::string_view key);

  ~Vault();
  Vault(const Vault&) = delete;
  Vault& operator=(const Vault&) = delete;

  std::string seal(std::string_view name, std::string_view plaintext) const;
  // kIo when `sealed` does not open under this key and name (another
  // key, another name, or altered).
  Result<std::string> unseal(std::string_view name, std::string_view sealed) const;

  // Where the key came from, for the log: "ATIO_SECRET_KEY" or the file.
  const std::string& source() const { return source_; }

 private:
  Vault() = default;
  unsigned char key_[32] = {};
  std::string source_;
};

// "<db path>.secret-key".
std::string default_key_path(const std::string& db_path);

}  // namespace atio::secrets
