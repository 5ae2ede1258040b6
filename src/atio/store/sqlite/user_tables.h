// SQLite statements for users, sessions and API key revocation (store/users.h).
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

Status apply_op(sqlite3* db, const CreateUser& op);
Status apply_op(sqlite3* db, const UpdateUser& op);
Status apply_op(sqlite3* db, const RecordLogin& op);
Status apply_op(sqlite3* db, const PutSession& op);
Status apply_op(sqlite3* db, const DeleteSession& op);
Status apply_op(sqlite3* db, const DeleteUserSessions& op);
Status apply_op(sqlite3* db, const DeleteExpiredSessions& op);
Status apply_op(sqlite3* db, const RevokeApiKey& op);

Result<std::optional<UserRecord>> get_user(sqlite3* db, const std::string& id);
Result<std::optional<UserRecord>> find_user(sqlite3* db, const std::string& name);
Result<std::vector<UserRecord>> list_users(sqlite3* db);
Result<std::optional<SessionRecord>> find_session(sqlite3* db, const std::string& token_hash);

}  // namespace atio::store::sqlite
