// Playbook history and what the workflow monitor keeps in the store:
// immutable playbook versions, the protected flag, the change log that the
// database itself fills (triggers), the monitor's notifications and the
// monitor triggers that start playbooks on changes (docs/monitor.md).
//
// Contract: a version, once written, is never changed or removed (deleting a
// playbook keeps its versions); its number is assigned by the backend's
// single writer as the playbook's previous highest + 1, from 1. The change
// log records every insert, update and delete of the playbooks and
// playbook_protection tables whatever connection made it (an SQL trigger in
// the database, so a direct edit with sqlite3 is logged too), with the time
// of the statement.
#pragma once

#include <boost/json/object.hpp>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "atio/core/status.h"
#include "atio/store/audit.h"

namespace atio::store {

// SHA-256 (lower-case hex) of the document's RFC 8785 canonical JSON: the
// content hash of a playbook, equal for equal documents whatever their
// formatting or member order. The audit log's hash_before/hash_after.
std::string playbook_content_hash(const boost::json::object& document);

struct PlaybookVersionRecord {
  std::string playbook_id;
  std::int64_t version = 0;     // set by the writer: 1, 2, 3, ... per playbook
  std::string content_hash;     // playbook_content_hash(document)
  std::string name;
  boost::json::object document;
  std::string author;           // the actor's id (API key id, "atio", ...)
  std::string author_kind;      // as AuditRecord::actor_kind ("key", "system", ...)
  std::string author_name;
  std::int64_t time_ms = 0;
  std::string comment;
};

struct PlaybookProtection {
  std::string playbook_id;
  std::string protected_by;  // actor id
  std::int64_t protected_at_ms = 0;
};

// One row of the change log.
struct PlaybookChange {
  std::int64_t seq = 0;
  std::string playbook_id;
  // "insert", "update", "delete" (the playbooks table); "protect",
  // "unprotect" (playbook_protection).
  std::string op;
  std::int64_t time_ms = 0;  // when the statement ran (the database's clock)
};

// A notification of the monitor as stored (docs/monitor.md).
struct MonitorEventRecord {
  std::int64_t seq = 0;          // set by the writer
  std::string id;                // uuid
  std::int64_t time_ms = 0;
  std::string source;            // "atio", or the URL x-atio-monitor watched
  std::string body;              // {"notification": ..., "workflow_data": ...} as JSON text
};

// Starts `playbook_id` with the notification as __event__ on every
// notification that has an event of one of `kinds`.
struct MonitorTriggerRecord {
  std::string id;  // uuid
  std::string playbook_id;
  std::string name;
  std::vector<std::string> kinds;  // "creation", "modification", "deletion"
  std::int64_t created_at_ms = 0;
};

}  // namespace atio::store
