// The SQL (both backends, conn.h) for the server's tables (api_keys, hooks, schedules) and
// its checked playbook writes.
// The writer applies the write ops inside its transaction; readers call the
// queries on the read connection. REQUIRES for every function: the caller
// holds the lock that serialises use of `db`.
#pragma once

#include "atio/store/sql/conn.h"

#include <optional>
#include <string>
#include <vector>

#include "atio/store/store.h"

namespace atio::store::sql {

Status apply_op(Conn* db, const CreatePlaybook& op);
Status apply_op(Conn* db, const UpdatePlaybook& op);
Status apply_op(Conn* db, const PutApiKey& op);
Status apply_op(Conn* db, const DeleteApiKey& op);
Status apply_op(Conn* db, const PutHook& op);
Status apply_op(Conn* db, const DeleteHook& op);
Status apply_op(Conn* db, const PutSchedule& op);
Status apply_op(Conn* db, const DeleteSchedule& op);
Status apply_op(Conn* db, const MarkScheduleRun& op);

Result<std::optional<ApiKeyRecord>> find_api_key(Conn* db, const std::string& key_hash);
Result<std::optional<ApiKeyRecord>> get_api_key(Conn* db, const std::string& id);
Result<std::vector<ApiKeyRecord>> list_api_keys(Conn* db);
Result<std::optional<HookRecord>> get_hook(Conn* db, const std::string& id);
Result<std::vector<HookRecord>> list_hooks(Conn* db);
Result<std::optional<ScheduleRecord>> get_schedule(Conn* db, const std::string& id);
Result<std::vector<ScheduleRecord>> list_schedules(Conn* db);

}  // namespace atio::store::sql
