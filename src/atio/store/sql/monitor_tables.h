// The SQL (both backends, conn.h) for playbook history and the workflow monitor (tables
// playbook_versions, playbook_protection, playbook_changes, monitor_events,
// monitor_triggers; store/monitor.h). The writer applies the write ops
// inside its transaction; readers call the queries on the read connection.
// REQUIRES for every function: the caller holds the lock that serialises use
// of `db`.
#pragma once

#include "atio/store/sql/conn.h"

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "atio/store/store.h"

namespace atio::store::sql {

// Numbers the version (the playbook's highest + 1) and inserts it.
Status apply_op(Conn* db, const AppendPlaybookVersion& op);
Status apply_op(Conn* db, const SetPlaybookProtection& op);
Status apply_op(Conn* db, const PrunePlaybookChanges& op);
Status apply_op(Conn* db, const AppendMonitorEvent& op);
Status apply_op(Conn* db, const PutMonitorTrigger& op);
Status apply_op(Conn* db, const DeleteMonitorTrigger& op);

Result<std::vector<PlaybookVersionRecord>> list_playbook_versions(Conn* db,
                                                                  const std::string& id,
                                                                  bool with_documents);
Result<std::optional<PlaybookVersionRecord>> get_playbook_version(Conn* db,
                                                                  const std::string& id,
                                                                  std::int64_t version);
Result<std::vector<PlaybookProtection>> list_protected_playbooks(Conn* db);
Result<std::vector<MonitorEventRecord>> list_monitor_events(Conn* db, const SeqPage& page);
Result<std::int64_t> last_monitor_event_seq(Conn* db);
Result<std::vector<MonitorTriggerRecord>> list_monitor_triggers(Conn* db);

}  // namespace atio::store::sql
