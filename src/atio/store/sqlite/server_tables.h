// SQLite statements for the server's tables (api_keys, hooks, schedules) and
// its checked playbook writes.
// The writer applies the write ops inside its transaction; readers call the
// queries on the read connection. REQUIRES for every function: the caller
// holds the lock that serialises use of `db`.
#pragma once

#include <sqlite3.h>

#include <optional>
#include <string>
#include <vector>

#include "atio/store/store.h"

namespace atio::store::sqlite {

Status apply_op(sqlite3* db, const CreatePlaybook& op);
Status apply_op(sqlite3* db, const UpdatePlaybook& op);
Status apply_op(sqlite3* db, const PutApiKey& op);
Status apply_op(sqlite3* db, const DeleteApiKey& op);
Status apply_op(sqlite3* db, const PutHook& op);
Status apply_op(sqlite3* db, const DeleteHook& op);
Status apply_op(sqlite3* db, const PutSchedule& op);
Status apply_op(sqlite3* db, const DeleteSchedule& op);
Status apply_op(sqlite3* db, const MarkScheduleRun& op);

Result<std::optional<ApiKeyRecord>> find_api_key(sqlite3* db, const std::string& key_hash);
Result<std::optional<ApiKeyRecord>> get_api_key(sqlite3* db, const std::string& id);
Result<std::vector<ApiKeyRecord>> list_api_keys(sqlite3* db);
Result<std::optional<HookRecord>> get_hook(sqlite3* db, const std::string& id);
Result<std::vector<HookRecord>> list_hooks(sqlite3* db);
Result<std::optional<ScheduleRecord>> get_schedule(sqlite3* db, const std::string& id);
Result<std::vector<ScheduleRecord>> list_schedules(sqlite3* db);

}  // namespace atio::store::sqlite
