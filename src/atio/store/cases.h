// Cases as the store keeps them (tables cases, case_timeline, case_links;
// migration 9; docs/cases.md): one row per case with its times, the
// timeline of every change, and its links to STIX objects, executions and
// the ids other tools gave it.
//
// Contract: a case changes only through WriteCase, which carries the audit
// record of the change; the writer applies the case row, its new timeline
// entries and links, and the audit record in one savepoint, so a case never
// changes without its record (fail closed: an op without a record is
// refused). Updates are optimistic: WriteCase names the revision it was
// computed from, and the writer refuses it with kAborted when the row has
// moved on, so two concurrent changes cannot silently overwrite each other.
// A new case (expected_revision 0) with a correlation key is refused with
// kAborted while an open case with that key matches it (correlated_case()),
// so concurrent detections of one thing cannot open two cases.
// The store does not judge statuses beyond knowing which are open
// (kOpenCaseStatuses); the status machine is atio/cases/model.h.
// Times are milliseconds since the Unix epoch, UTC; 0 means "not yet".
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "atio/store/audit.h"

namespace atio::store {

// The statuses of a case that is still open: detections correlate with it.
inline constexpr const char* kOpenCaseStatuses[] = {"new", "acknowledged", "responding"};

struct CaseRecord {
  std::string id;        // uuid
  std::string title;
  std::string severity;  // "info", "low", "medium", "high", "critical"
  std::string status;    // "new", "acknowledged", "responding", "resolved", "false_positive"
  std::string assignee;  // "" = nobody
  std::string correlation_key;          // "" = never correlated
  std::int64_t correlation_window_ms = 0;  // 0 = any time while the case is open
  std::string playbook_id;              // the playbook whose execution opened it
  std::string use_case;                 // "use-case-2", ...; "" = none
  std::int64_t detection_count = 1;     // detections correlated into it
  std::int64_t occurred_at_ms = 0;      // the earliest detection's event time (detector's)
  std::int64_t detected_at_ms = 0;      // when the first detection was reported or received
  std::int64_t last_seen_at_ms = 0;     // the latest detection's event time
  std::int64_t acknowledged_at_ms = 0;
  std::string acknowledged_by;
  std::int64_t responded_at_ms = 0;     // the playbook's response actions completed
  std::int64_t resolved_at_ms = 0;      // closed: resolved or false_positive
  std::int64_t created_at_ms = 0;
  std::int64_t updated_at_ms = 0;
  std::int64_t revision = 0;            // set by the writer: 1 on creation, +1 per change
};

struct CaseTimelineEntry {
  std::int64_t seq = 0;  // set by the writer
  std::string case_id;
  std::int64_t time_ms = 0;
  // "opened", "detection", "acknowledged", "assigned", "status", "severity",
  // "comment", "responded", "linked"
  std::string kind;
  std::string actor;       // who: an API key or user id, "atio"
  std::string actor_name;
  std::string detail = "{}";  // a JSON object as text
};

struct CaseLink {
  std::string kind;  // "stix", "execution", "external"
  std::string tool;  // for "external": "misp", "iris", ...; else ""
  std::string ref;   // the STIX id, execution id or the tool's id
  std::int64_t added_at_ms = 0;
};

// Creates (expected_revision 0) or updates a case, appends `timeline` and
// adds `links` (kept once each), and appends `audit` (see the contract).
// kNotFound: no case with that id to update; kAborted: the case changed
// since `expected_revision`, or a correlated open case appeared; kAlreadyExists:
// the id is taken; kInvalidArgument: no audit record.
struct WriteCase {
  CaseRecord record;
  std::int64_t expected_revision = 0;
  std::vector<CaseTimelineEntry> timeline;
  std::vector<CaseLink> links;
  AuditRecord audit;
};

struct CaseFilter {
  std::string status;       // "" = any; each filter is an exact match
  std::string severity;
  std::string playbook_id;
  std::string assignee;
  std::int64_t since_ms = 0;  // detected_at >= since (0 = no bound)
  std::int64_t until_ms = 0;  // detected_at < until (0 = no bound)
  std::string after_id;       // paging: cases opened before this one (newest first)
  std::int64_t limit = 50;
};

// What the metrics read: the times of a case and what it is grouped by.
struct CaseTimes {
  std::string id;
  std::string playbook_id;
  std::string use_case;
  std::string severity;
  std::string status;
  std::int64_t occurred_at_ms = 0;
  std::int64_t detected_at_ms = 0;
  std::int64_t acknowledged_at_ms = 0;
  std::int64_t responded_at_ms = 0;
  std::int64_t resolved_at_ms = 0;
  std::int64_t updated_at_ms = 0;
};

struct CaseTimesFilter {
  std::int64_t since_ms = 0;  // on `on`: >= since (0 = no bound)
  std::int64_t until_ms = 0;  // < until (0 = no bound)
  bool by_updated = false;    // window over updated_at instead of detected_at
  std::int64_t limit = 100000;
};

}  // namespace atio::store
