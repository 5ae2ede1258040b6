#include "atio/monitor/case_publisher.h"

#include <iostream>

namespace atio::monitor {

namespace {

std::string key_of(const ChangeEvent& e) { return "playbook:" + e.playbook_id; }

// The event's recovery says atio restored the playbook (not "restoring").
bool is_restore(const ChangeEvent& e) { return e.recovery.contains("restored_by"); }

bool opens_case(const ChangeEvent& e) {
  if (is_restore(e)) return false;
  if (e.kind == ChangeKind::kDeletion) return true;
  if (e.kind != ChangeKind::kModification) return false;
  return e.actor.kind == "unknown" || !e.recovery.empty();
}

}  // namespace

void CasePublisher::publish(const std::vector<ChangeEvent>& events, bj::array workflow_data) {
  next_.publish(events, std::move(workflow_data));
  for (const ChangeEvent& e : events) {
    Status s = record(e);
    if (!s.is_ok()) {
      std::cerr << "atio: monitor: case of playbook " << e.playbook_id << ": " << s.to_string()
                << "\n";
    }
  }
}

Status CasePublisher::record(const ChangeEvent& e) {
  if (is_restore(e)) {
    ATIO_ASSIGN_OR_RETURN(auto open, store_.correlated_case(key_of(e), e.time_ms));
    if (!open) return Status();
    return cases_
        .respond(open->id, e.time_ms, {}, "", cases::system_actor("atio (self-recovery)"))
        .status();
  }
  if (!opens_case(e)) return Status();
  const bool deleted = e.kind == ChangeKind::kDeletion;
  cases::Detection d;
  d.title = std::string("Playbook ") + (e.name.empty() ? e.playbook_id : e.name) +
            (deleted ? " deleted by " : " modified by ") + e.actor.name;
  // A deletion stops a response from running at all; a protected playbook
  // is one the organisation said must not change.
  d.severity = deleted ? (e.is_protected ? "critical" : "high")
                       : (e.is_protected ? "high" : "medium");
  d.correlation_key = key_of(e);
  d.occurred_at_ms = e.time_ms;
  d.detected_at_ms = e.detected_ms;
  d.use_case = "use-case-3";
  d.detail = bj::object{{"change", to_string(e.kind)},
                        {"playbook_id", e.playbook_id},
                        {"name", e.name},
                        {"actor", e.actor.name},
                        {"actor_kind", e.actor.kind},
                        {"audit_seq", e.actor.audit_seq},
                        {"hash_before", e.hash_before},
                        {"hash_after", e.hash_after}};
  return cases_.record_detection(d, cases::system_actor("atio (workflow monitor)")).status();
}

}  // namespace atio::monitor
