// Change events and the notification that carries them, in the shape of the
// reference system's workflow monitor (docs/monitor.md):
//
//   {"notification": {"CreationEvents": [...], "ModificationEvents": [...],
//                     "DeletionEvents": [...]},
//    "workflow_data": [...]}
//
// Each event names the playbook (id, name), the actor, the time of the
// change and, for a modification, what changed (an RFC 6902 diff). Used by
// the built-in monitor and by the x-atio-monitor command alike.
#pragma once

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace atio::monitor {

namespace bj = boost::json;

enum class ChangeKind { kCreation, kModification, kDeletion };
// "creation", "modification", "deletion".
const char* to_string(ChangeKind kind);
// The notification's list for the kind: "CreationEvents", ...
const char* list_name(ChangeKind kind);
bool parse_change_kind(std::string_view text, ChangeKind* out);

// Who made a change. From the audit record when the change went through
// atio; kind "unknown" and name kUnknownActor when it did not.
struct Actor {
  std::string id;
  std::string kind;  // "key", "user", "system", "unknown", ...
  std::string name;
  std::string role;
  std::int64_t audit_seq = 0;  // 0: no audit record
  std::string action;          // the audit record's action ("playbook.update")
};

inline constexpr const char* kUnknownActor = "unknown (outside atio)";

struct ChangeEvent {
  ChangeKind kind = ChangeKind::kModification;
  std::string playbook_id;
  std::string name;
  Actor actor;
  std::int64_t time_ms = 0;      // when the change was made (the database's clock)
  std::int64_t detected_ms = 0;  // when the monitor saw it
  std::string hash_before;       // "" when the playbook did not exist
  std::string hash_after;        // "" when it was deleted
  bj::array changes;             // modifications: the JSON diff
  bool is_protected = false;
  bj::object recovery;           // what self-recovery did or does; empty when nothing
};

bj::object event_json(const ChangeEvent& e);

// {"notification": {...three lists...}, "workflow_data": workflow_data}.
bj::object make_notification(const std::vector<ChangeEvent>& events, bj::array workflow_data);

// RFC 3339 UTC with milliseconds.
std::string time_text(std::int64_t ms);

}  // namespace atio::monitor
