// The change detector: keeps what it last saw of every playbook (name,
// content hash, document, protected flag) and turns each scan of the store
// into change events, attributed to the audit record that made the change
// when there is one. Pure logic over store::PlaybookScan values, so it is
// tested without a database; the Watcher feeds it.
//
// Promises:
// - every playbook created, modified (content hash changed) or deleted
//   between two scans is one event; a playbook created and deleted between
//   two scans is both events;
// - an event is attributed to the newest audit record of that playbook
//   (after the previous scan) whose hash_after is the playbook's hash now
//   (null for a deletion); without one the actor is "unknown (outside atio)";
// - a change of a protected playbook that may_change_protected() refuses
//   asks for recovery: the last good document is the one seen before the
//   change. Protection removed without an audit record (playbook.unprotect,
//   or a permitted delete) also asks for recovery (re-protect).
#pragma once

#include <boost/json/object.hpp>

#include <cstdint>
#include <functional>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "atio/monitor/events.h"
#include "atio/store/store.h"

namespace atio::monitor {

struct RecoveryRequest {
  std::string playbook_id;
  std::string name;
  ChangeKind kind = ChangeKind::kDeletion;  // what was done to it
  bj::object good_document;     // as last seen before the change (empty: re-protect only)
  std::string good_hash;
  std::string bad_hash;         // "" when deleted
  std::int64_t changed_at_ms = 0;
  bool reprotect = false;       // protection was removed too
};

struct Detection {
  std::vector<ChangeEvent> events;
  std::vector<RecoveryRequest> recoveries;
  std::set<std::string> changed_ids;  // every playbook whose row changed
};

class Detector {
 public:
  using Policy = std::function<bool(const Actor&, ChangeKind)>;
  explicit Detector(Policy policy);

  // The first full scan: what exists now; no events.
  void baseline(const store::PlaybookScan& scan);
  // A later scan (full or of the changed playbooks); `now_ms` stamps detection.
  Detection detect(const store::PlaybookScan& scan, bool full, std::int64_t now_ms);

  // The change log is read after this seq: every row up to it was seen.
  // Rows are numbered before they commit, so with several writers
  // (PostgreSQL, many nodes or psql beside atio) a lower seq can commit after
  // a higher one; rows above the floor already seen are skipped when read
  // again, and a seq missing for kGapPatienceMs (an insert rolled back) is
  // given up. On SQLite, one writer, the floor is simply the newest row.
  std::int64_t change_floor() const { return change_floor_; }
  static constexpr std::int64_t kGapPatienceMs = 10'000;
  std::int64_t last_audit_seq() const { return last_audit_seq_; }
  std::int64_t schema_version() const { return schema_version_; }
  bool is_protected(const std::string& id) const { return protected_.count(id) > 0; }

  struct Known {
    std::string name;
    std::string hash;
    bj::object document;
    std::int64_t updated_at_ms = 0;
    Actor last_actor;  // who made the version seen
  };
  const std::map<std::string, Known>& known() const { return known_; }
  // The workflow_data of a notification: one entry per playbook seen
  // (id, name, hash, edited, updated_by, protected), ordered by id.
  bj::array workflow_data() const;

 private:
  Policy policy_;
  std::map<std::string, Known> known_;
  std::set<std::string> protected_;
  // Moves the floor up over the rows seen and the gaps given up.
  void advance_floor(std::int64_t now_ms);

  std::int64_t change_floor_ = 0;
  std::set<std::int64_t> seen_above_;                 // seen rows above the floor
  std::map<std::int64_t, std::int64_t> gaps_;         // missing seq -> first missed at (ms)
  std::int64_t last_audit_seq_ = 0;
  std::int64_t schema_version_ = 0;
};

// The actor of an audit record.
Actor actor_of(const store::AuditRecord& r);

}  // namespace atio::monitor
