// An independent implementation of the audit log's documented canonical form
// (docs/audit.md), written from the documentation rather than from
// store/audit.cc, with libsodium's SHA-256 and Ed25519 used directly: tests
// compare what atio stores against it.
#pragma once

#include <sodium.h>

#include <cstdint>
#include <string>
#include <vector>

#include "atio/store/audit.h"

namespace atio::testing {

inline std::string oracle_netstring(const std::string& s) {
  return std::to_string(s.size()) + ":" + s + ",";
}

inline std::string oracle_sha256_hex(const std::string& bytes) {
  unsigned char h[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(h, reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size());
  char hex[2 * sizeof h + 1];
  sodium_bin2hex(hex, sizeof hex, h, sizeof h);
  return hex;
}

inline std::string oracle_record_hash(const store::AuditRecord& r) {
  std::string c = "atio-audit-v1\n";
  for (const std::string& f :
       std::vector<std::string>{std::to_string(r.seq), std::to_string(r.time_ms), r.actor,
                                r.actor_kind, r.actor_name, r.role, r.source_ip, r.user_agent,
                                r.action, r.object_type, r.object_id, r.outcome, r.detail,
                                r.prev_hash}) {
    c += oracle_netstring(f);
  }
  return oracle_sha256_hex(c);
}

// True when `signature_hex` is `public_key_hex`'s Ed25519 signature of the
// checkpoint (seq, hash, time_ms).
inline bool oracle_checkpoint_valid(const store::AuditCheckpoint& c) {
  const std::string m = "atio-audit-checkpoint-v1\n" + oracle_netstring(std::to_string(c.seq)) +
                        oracle_netstring(c.hash) + oracle_netstring(std::to_string(c.time_ms));
  unsigned char pk[crypto_sign_PUBLICKEYBYTES], sig[crypto_sign_BYTES];
  std::size_t n = 0;
  if (sodium_hex2bin(pk, sizeof pk, c.public_key.data(), c.public_key.size(), nullptr, &n,
                     nullptr) != 0 || n != sizeof pk) {
    return false;
  }
  if (sodium_hex2bin(sig, sizeof sig, c.signature.data(), c.signature.size(), nullptr, &n,
                     nullptr) != 0 || n != sizeof sig) {
    return false;
  }
  return crypto_sign_verify_detached(sig, reinterpret_cast<const unsigned char*>(m.data()),
                                     m.size(), pk) == 0;
}

}  // namespace atio::testing
