// Verification of the audit log: walks the hash chain from the first record,
// recomputes every hash (store/audit.h), checks every checkpoint's signature
// and that the chain still holds what each checkpoint signed.
//
// What it detects, each named by the record (or checkpoint) where the chain
// breaks: a record edited (its fields no longer give its hash, or it differs
// from what a checkpoint signed after the chain was recomputed), deleted (a
// gap in seq, or a record whose predecessor is gone), inserted (a record the
// next one does not link to), reordered (a record that links to one now at a
// later seq), the log truncated back past its newest checkpoint, and a
// checkpoint whose signature is not valid or not made by the trusted key.
// What it cannot detect on its own: records appended after the newest
// checkpoint by someone who also recomputed their hashes, and a truncation
// that also removed the checkpoints; a copy kept outside atio (export to a
// SIEM) and the key file cover those.
#pragma once

#include <boost/json/object.hpp>

#include <cstdint>
#include <string>
#include <vector>

#include "atio/core/status.h"
#include "atio/store/store.h"

namespace atio::audit {

struct VerifyOptions {
  // Hex Ed25519 public key checkpoints must be signed with (from the key
  // file). "": each checkpoint is checked against the key its row names,
  // which proves less (whoever edits the database can replace both).
  std::string trusted_public_key;
  std::int64_t page_size = 5000;  // records read at a time
};

struct VerifyProblem {
  // "edited", "deleted", "inserted", "reordered", "truncated",
  // "bad_signature", "unknown_key".
  std::string kind;
  std::int64_t seq = 0;  // the record, or the checkpoint's seq
  std::string message;   // a sentence naming the record and why
};

struct VerifyReport {
  std::int64_t records = 0;
  std::int64_t checkpoints = 0;
  std::int64_t head_seq = 0;
  std::string head_hash;
  std::int64_t last_checkpoint_seq = 0;
  bool key_trusted = false;  // signatures were checked against a key from outside the database
  std::vector<VerifyProblem> problems;  // earliest seq first; empty when intact

  bool ok() const { return problems.empty(); }
  boost::json::object to_json() const;
  // One line for people: "audit log intact: ..." or the first problem.
  std::string summary() const;
};

Result<VerifyReport> verify_audit_log(store::Store& store, const VerifyOptions& options);

}  // namespace atio::audit
