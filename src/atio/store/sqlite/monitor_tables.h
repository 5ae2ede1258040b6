// SQLite statements for playbook history and the workflow monitor (tables
// playbook_versions, playbook_protection, playbook_changes, monitor_events,
// monitor_triggers; store/monitor.h). The writer applies the write ops
// inside its transaction; readers call the queries on the read connection.
// REQUIRES for every function: the caller holds the lock that serialises use
// of `db`.
#pragma once

#include <sqlite3.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "atio/store/store.h"

namespace atio::store::sqlite {

// Numbers the version (the playbook's highest + 1) and inserts it.
Status apply_op(sqlite3* db, const AppendPlaybookVersion& op);
Status apply_op(sqlite3* db, const SetPlaybookProtection& op);
Status apply_op(sqlite3* db, const PrunePlaybookChanges& op);
Status apply_op(sqlite3* db, const AppendMonitorEvent& op);
Status apply_op(sqlite3* db, const PutMonitorTrigger& op);
Status apply_op(sqlite3* db, const DeleteMonitorTrigger& op);

Result<std::vector<PlaybookVersionRecord>> list_playbook_versions(sqlite3* db,
                                                                  const std::string& id,
                                                                  bool with_documents);
Result<std::optional<PlaybookVersionRecord>> get_playbook_version(sqlite3* db,
                                                                  const std::string& id,
                                                                  std::int64_t version);
Result<std::vector<PlaybookProtection>> list_protected_playbooks(sqlite3* db);
Result<std::vector<MonitorEventRecord>> list_monitor_events(sqlite3* db, const SeqPage& page);
Result<std::int64_t> last_monitor_event_seq(sqlite3* db);
Result<std::vector<MonitorTriggerRecord>> list_monitor_triggers(sqlite3* db);

// A watch on its own read-only connection to `path`.
Result<std::unique_ptr<PlaybookWatch>> open_playbook_watch(const std::string& path);

}  // namespace atio::store::sqlite
