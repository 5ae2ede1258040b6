#include "atio/store/audit.h"

#include <sodium.h>

#include <array>

namespace atio::store {

namespace {

void netstring(std::string& out, std::string_view field) {
  out += std::to_string(field.size());
  out += ':';
  out += field;
  out += ',';
}

void netstring(std::string& out, std::int64_t n) { netstring(out, std::to_string(n)); }

std::string hex(const unsigned char* p, std::size_t n) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string s(n * 2, '0');
  for (std::size_t i = 0; i < n; ++i) {
    s[2 * i] = kDigits[p[i] >> 4];
    s[2 * i + 1] = kDigits[p[i] & 15];
  }
  return s;
}

}  // namespace

AuditRecord atio_audit_record(std::string actor_name, std::string action, std::string object_type,
                              std::string object_id, std::string detail) {
  AuditRecord r;
  r.actor = "atio";
  r.actor_kind = "system";
  r.actor_name = std::move(actor_name);
  r.role = "system";
  r.source_ip = "local";
  r.action = std::move(action);
  r.object_type = std::move(object_type);
  r.object_id = std::move(object_id);
  r.outcome = "success";
  r.detail = std::move(detail);
  return r;
}

std::string audit_canonical(const AuditRecord& r) {
  std::string out = "atio-audit-v1\n";
  out.reserve(256 + r.detail.size() + r.user_agent.size());
  netstring(out, r.seq);
  netstring(out, r.time_ms);
  for (const std::string* f :
       {&r.actor, &r.actor_kind, &r.actor_name, &r.role, &r.source_ip, &r.user_agent, &r.action,
        &r.object_type, &r.object_id, &r.outcome, &r.detail, &r.prev_hash}) {
    netstring(out, *f);
  }
  return out;
}

std::string audit_record_hash(const AuditRecord& r) {
  static const int sodium_ready = sodium_init();  // idempotent; thread-safe once
  (void)sodium_ready;
  const std::string c = audit_canonical(r);
  std::array<unsigned char, crypto_hash_sha256_BYTES> h;
  crypto_hash_sha256(h.data(), reinterpret_cast<const unsigned char*>(c.data()), c.size());
  return hex(h.data(), h.size());
}

std::string audit_checkpoint_message(std::int64_t seq, std::string_view hash,
                                     std::int64_t time_ms) {
  std::string out = "atio-audit-checkpoint-v1\n";
  netstring(out, seq);
  netstring(out, hash);
  netstring(out, time_ms);
  return out;
}

}  // namespace atio::store
