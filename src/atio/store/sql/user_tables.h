// The SQL (both backends, conn.h) for users, sessions and API key revocation (store/users.h).
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

Status apply_op(Conn* db, const CreateUser& op);
Status apply_op(Conn* db, const UpdateUser& op);
Status apply_op(Conn* db, const RecordLogin& op);
Status apply_op(Conn* db, const PutSession& op);
Status apply_op(Conn* db, const DeleteSession& op);
Status apply_op(Conn* db, const DeleteUserSessions& op);
Status apply_op(Conn* db, const DeleteExpiredSessions& op);
Status apply_op(Conn* db, const RevokeApiKey& op);

Result<std::optional<UserRecord>> get_user(Conn* db, const std::string& id);
Result<std::optional<UserRecord>> find_user(Conn* db, const std::string& name);
Result<std::vector<UserRecord>> list_users(Conn* db);
Result<std::optional<SessionRecord>> find_session(Conn* db, const std::string& token_hash);

}  // namespace atio::store::sql
