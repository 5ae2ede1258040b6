#include "atio/monitor/events.h"

#include "atio/audit/export.h"

namespace atio::monitor {

const char* to_string(ChangeKind kind) {
  switch (kind) {
    case ChangeKind::kCreation: return "creation";
    case ChangeKind::kModification: return "modification";
    case ChangeKind::kDeletion: return "deletion";
  }
  return "?";
}

const char* list_name(ChangeKind kind) {
  switch (kind) {
    case ChangeKind::kCreation: return "CreationEvents";
    case ChangeKind::kModification: return "ModificationEvents";
    case ChangeKind::kDeletion: return "DeletionEvents";
  }
  return "?";
}

bool parse_change_kind(std::string_view text, ChangeKind* out) {
  for (auto k : {ChangeKind::kCreation, ChangeKind::kModification, ChangeKind::kDeletion}) {
    if (text == to_string(k)) {
      *out = k;
      return true;
    }
  }
  return false;
}

std::string time_text(std::int64_t ms) { return audit::rfc3339_ms(ms); }

bj::object event_json(const ChangeEvent& e) {
  bj::object o{{"kind", to_string(e.kind)},
               {"id", e.playbook_id},
               {"name", e.name},
               {"actor", e.actor.kind == "unknown" ? std::string(kUnknownActor) : e.actor.name},
               {"actor_id", e.actor.id},
               {"actor_kind", e.actor.kind},
               {"role", e.actor.role},
               {"time", time_text(e.time_ms)},
               {"time_ms", e.time_ms},
               {"detected_at", time_text(e.detected_ms)},
               {"detection_ms", e.detected_ms - e.time_ms},
               {"hash_before", e.hash_before.empty() ? bj::value(nullptr) : bj::value(e.hash_before)},
               {"hash_after", e.hash_after.empty() ? bj::value(nullptr) : bj::value(e.hash_after)},
               {"protected", e.is_protected}};
  if (e.actor.audit_seq > 0) {
    o["audit_seq"] = e.actor.audit_seq;
    o["audit_action"] = e.actor.action;
  }
  if (e.kind == ChangeKind::kModification) o["changes"] = e.changes;
  if (!e.recovery.empty()) o["recovery"] = e.recovery;
  return o;
}

bj::object make_notification(const std::vector<ChangeEvent>& events, bj::array workflow_data) {
  bj::object lists{{"CreationEvents", bj::array()},
                   {"ModificationEvents", bj::array()},
                   {"DeletionEvents", bj::array()}};
  for (const auto& e : events) lists[list_name(e.kind)].as_array().push_back(event_json(e));
  return bj::object{{"notification", std::move(lists)}, {"workflow_data", std::move(workflow_data)}};
}

}  // namespace atio::monitor
