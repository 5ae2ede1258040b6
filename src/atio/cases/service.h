// The cases over the store: opening and correlating cases from detections,
// and every change an analyst or a playbook makes (docs/cases.md).
//
// Contract: every change is one WriteCase with its timeline entry and the
// audit record of who made it (store/cases.h: both or neither). Changes
// are computed from the case as read and written only if it has not moved
// on meanwhile; a change that lost the race is recomputed from the new
// state (a few times, then kConflict), so concurrent detections and
// analysts never undo each other. Status changes follow model.h's machine;
// a refused one is kConflict naming "status" and the rule. Times are ms
// since the epoch from the clock in the options. Thread-safe.
#pragma once

#include <boost/json/object.hpp>

#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "atio/cases/model.h"
#include "atio/core/status.h"
#include "atio/store/store.h"

namespace atio::cases {

namespace bj = boost::json;

// Who makes a change: the actor fields of its audit record (actor, kind,
// name, role, source address, user agent). The service fills in the action,
// object and detail.
struct Actor {
  store::AuditRecord audit;
  // "alice", "x-atio-case": acknowledged_by and the timeline's actor_name.
  std::string name() const { return audit.actor_name.empty() ? audit.actor : audit.actor_name; }
};
// atio itself, acting as `name` (e.g. "x-atio-case").
Actor system_actor(const std::string& name);

struct CaseServiceOptions {
  // Alert correlation window when a detection names none.
  std::int64_t correlation_window_ms = 3'600'000;
  std::function<std::int64_t()> now_ms;   // default: the system clock
  std::function<std::string()> new_id;    // default: uuid v4
};

struct Detection {
  std::string title;
  std::string severity;              // a Severity name; "" -> from score
  double score = 0;                  // 0..10 when severity is ""
  std::string correlation_key;       // "" = a case of its own
  std::int64_t window_ms = -1;       // -1: the options' window; 0: while open
  std::int64_t occurred_at_ms = 0;   // 0: detected_at
  std::int64_t detected_at_ms = 0;   // 0: the execution's creation (receipt), else now
  std::string execution_id;
  std::string playbook_id;
  std::string use_case;
  std::vector<std::string> stix_refs;
  std::map<std::string, std::string> external_ids;  // tool -> id
  bj::object detail;                 // for the timeline
};

struct Opened {
  store::CaseRecord record;
  bool is_new = false;
};

class CaseService {
 public:
  // REQUIRES: `store` outlives the service.
  explicit CaseService(store::Store& store, CaseServiceOptions options = {});

  // Opens a case, or adds the detection to the open case of its key: the
  // count grows, occurred_at keeps the earliest time, severity the highest,
  // and the timeline records the repeat. kInvalidArgument names a bad field.
  Result<Opened> record_detection(const Detection& detection, const Actor& actor);

  // new -> acknowledged, stamping acknowledged_at and who.
  Result<store::CaseRecord> acknowledge(const std::string& id, const Actor& actor,
                                        bj::object detail = {});
  // The new cases linked to `execution_id`, acknowledged (a manual step of
  // the execution was answered). Cases past new are left alone. Their ids.
  Result<std::vector<std::string>> acknowledge_execution(const std::string& execution_id,
                                                         const Actor& actor, bj::object detail);
  Result<store::CaseRecord> assign(const std::string& id, const std::string& assignee,
                                   const Actor& actor);
  Result<store::CaseRecord> set_status(const std::string& id, CaseStatus to, const Actor& actor,
                                       const std::string& note = "");
  Result<store::CaseRecord> comment(const std::string& id, const std::string& text,
                                    const Actor& actor);
  // The playbook's response actions completed at `at_ms` (0: now); the
  // first time is kept. Links the tools' ids and the execution.
  Result<store::CaseRecord> respond(const std::string& id, std::int64_t at_ms,
                                    const std::map<std::string, std::string>& external_ids,
                                    const std::string& execution_id, const Actor& actor);
  // Links the tools' ids (and the execution) to the case, nothing else: for
  // a response that reaches tools one after another (use case 1: an IRIS
  // alert per host) before it is complete. Ids linked already are not
  // linked twice; with nothing new, nothing is written.
  Result<store::CaseRecord> link(const std::string& id,
                                 const std::map<std::string, std::string>& external_ids,
                                 const std::string& execution_id, const Actor& actor);
  // The cases linked to an execution (what a playbook step acts on by default).
  Result<std::vector<store::CaseRecord>> cases_of_execution(const std::string& execution_id);

  std::int64_t correlation_window_ms() const { return options_.correlation_window_ms; }

 private:
  // What a change did to the case read: its timeline entry and links, or
  // nothing (changed = false: no write, no record).
  struct Change {
    bool changed = true;
    std::string action;  // the audit action: "case.acknowledge", ...
    std::vector<store::CaseTimelineEntry> timeline;
    std::vector<store::CaseLink> links;
    bj::object detail;   // the audit record's detail
  };
  using Mutation = std::function<Status(store::CaseRecord&, Change&)>;
  // Reads, mutates and writes the case, retrying when it moved on.
  Result<store::CaseRecord> change(const std::string& id, const Actor& actor, Mutation mutate,
                                   bool* changed = nullptr);
  store::CaseTimelineEntry entry(const Actor& actor, std::int64_t now, std::string kind,
                                 bj::object detail) const;
  store::WriteCase write_op(const store::CaseRecord& r, std::int64_t expected_revision,
                            const Actor& actor, Change change) const;

  store::Store& store_;
  CaseServiceOptions options_;
  // Serialises this process's read-change-write of cases, so that they do
  // not race each other into retries; the revision check still guards
  // against other processes on the same store.
  std::mutex mu_;
};

}  // namespace atio::cases
