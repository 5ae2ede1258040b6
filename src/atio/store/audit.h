// The audit log's records, its hash chain and its signed checkpoints, as the
// store keeps them (the tables `audit` and `audit_checkpoints`).
//
// Contract: records are only ever appended, through the AppendAudit write
// op, in the same batch as the change they record, so a record exists if
// and only if its change was made. The backend's single writer numbers each
// record (seq = previous seq + 1, from 1), stamps its time and links it to
// the previous record: prev_hash is the previous record's hash (64 zeros for
// the first) and hash = audit_record_hash(record). Both functions below are
// the documented canonical form (docs/audit.md), so a tool outside atio can
// recompute every hash and check every checkpoint signature.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace atio::store {

struct AuditRecord {
  std::int64_t seq = 0;         // set by the writer
  std::int64_t time_ms = 0;     // set by the writer: ms since the Unix epoch, UTC
  std::string actor;            // who: an API key id, later a user id; "anonymous"
  std::string actor_kind;       // "key", "user", "hook", "anonymous", "system"
  std::string actor_name;       // the key's or user's name when the record was made
  std::string role;             // the actor's role then ("admin" for today's API keys)
  std::string source_ip;
  std::string user_agent;
  std::string action;           // "playbook.create", "auth.failure", ...
  std::string object_type;      // "playbook", "hook", ...; "" when none
  std::string object_id;
  std::string outcome;          // "success", "failure", "denied"
  std::string detail = "{}";    // a JSON object as text; hashed byte for byte
  std::string prev_hash;        // set by the writer (lower-case hex)
  std::string hash;             // set by the writer (lower-case hex)
};

// A signed statement that the chain's record `seq` had hash `hash`.
struct AuditCheckpoint {
  std::int64_t seq = 0;
  std::string hash;
  std::int64_t time_ms = 0;
  std::string signature;   // Ed25519 over audit_checkpoint_message(), hex
  std::string public_key;  // the signer's Ed25519 public key, hex (its id)
};

struct AuditHead {
  std::int64_t seq = 0;  // 0: the log is empty
  std::string hash;      // kAuditGenesisHash when empty
};

// A page of a log numbered by seq (the audit log, the monitor's events):
// oldest first from after `after_seq`, or newest first from before
// `before_seq` (0: from the newest).
struct SeqPage {
  std::int64_t after_seq = 0;
  std::int64_t before_seq = 0;  // newest_first only
  bool newest_first = false;
  std::int64_t limit = 100;
};

struct AuditFilter {
  std::int64_t since_ms = 0;    // time >= since (0 = no bound)
  std::int64_t until_ms = 0;    // time < until (0 = no bound)
  std::string actor;            // "" = any; each filter is an exact match
  std::string action;
  std::string object_type;
  std::string object_id;
  std::string outcome;
  std::int64_t after_seq = 0;   // paging: records with seq > after_seq, oldest first
  std::int64_t limit = 100;
  // Newest first instead, from the record before before_seq (0: the newest);
  // after_seq is then ignored.
  bool newest_first = false;
  std::int64_t before_seq = 0;
};

// Signs checkpoints. Implemented outside the store (atio/audit), which keeps
// the private key in a file the database never sees.
class AuditSigner {
 public:
  virtual ~AuditSigner() = default;
  virtual std::string public_key_hex() const = 0;
  // Detached Ed25519 signature of `message`, lower-case hex.
  virtual std::string sign_hex(std::string_view message) const = 0;
};

// When the writer signs a checkpoint of the chain's head: once this many
// records are not covered by one, and (checked by the writer's timer) once
// this long has passed since the last checkpoint while records are not
// covered; also when the store closes.
struct AuditCheckpointPolicy {
  std::shared_ptr<const AuditSigner> signer;  // null: no checkpoints
  std::int64_t every_records = 1000;
  std::int64_t every_ms = 60'000;
};

// prev_hash of the first record.
inline constexpr std::string_view kAuditGenesisHash =
    "0000000000000000000000000000000000000000000000000000000000000000";

// The canonical bytes of a record: "atio-audit-v1\n" followed by each field
// as a netstring (<decimal byte length>:<bytes>,) in this order: seq, time_ms
// (both decimal), actor, actor_kind, actor_name, role, source_ip, user_agent,
// action, object_type, object_id, outcome, detail, prev_hash. `hash` is not
// part of it.
// A success record of something atio itself did (actor "atio", kind and
// role "system"): restoring a playbook, loading shipped playbooks, reading
// a secret for a step. `detail` is a JSON object as text.
AuditRecord atio_audit_record(std::string actor_name, std::string action, std::string object_type,
                              std::string object_id, std::string detail);

std::string audit_canonical(const AuditRecord& r);
// Lower-case hex SHA-256 of audit_canonical(r).
std::string audit_record_hash(const AuditRecord& r);
// What a checkpoint signs: "atio-audit-checkpoint-v1\n" followed by the
// netstrings of seq, hash and time_ms.
std::string audit_checkpoint_message(std::int64_t seq, std::string_view hash,
                                     std::int64_t time_ms);

}  // namespace atio::store
