// The Ed25519 key that signs the audit log's checkpoints. It lives in a file
// of its own, outside the database (by default beside it: <db>.audit-key),
// so whoever can edit the database cannot forge a checkpoint.
//
// File format: the 32-byte Ed25519 seed as 64 lower-case hex digits and a
// newline. The file must be a regular file that only its owner can read or
// write (mode 0600 or stricter); a looser file is refused, because the key
// may have been read by someone else.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "atio/core/status.h"
#include "atio/store/audit.h"

namespace atio::audit {

class SigningKey final : public store::AuditSigner {
 public:
  // Reads the key at `path`. kNotFound when the file does not exist;
  // kPermissionDenied when group or others may access it; kInvalidArgument
  // when it does not hold a key.
  static Result<std::shared_ptr<SigningKey>> load(const std::string& path);
  // load(), or when the file does not exist, a new random key written there
  // with mode 0600 (never replacing a file that appears meanwhile).
  static Result<std::shared_ptr<SigningKey>> load_or_create(const std::string& path);

  std::string public_key_hex() const override { return public_hex_; }
  std::string sign_hex(std::string_view message) const override;

  ~SigningKey() override;

 private:
  SigningKey() = default;
  unsigned char secret_[64] = {};  // libsodium's secret key: seed then public key
  std::string public_hex_;
};

// The default key file of a database: "<db path>.audit-key".
std::string default_key_path(const std::string& db_path);

// True when `signature_hex` is a valid Ed25519 signature of `message` by
// `public_key_hex`.
bool verify_signature(std::string_view public_key_hex, std::string_view message,
                      std::string_view signature_hex);

}  // namespace atio::audit
