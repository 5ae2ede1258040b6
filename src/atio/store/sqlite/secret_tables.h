// SQLite statements for the sealed secrets (store.h SecretRecord). REQUIRES
// for every function: the caller holds the lock that serialises use of `db`.
#pragma once

#include <sqlite3.h>

#include <optional>
#include <string>
#include <vector>

#include "atio/store/store.h"

namespace atio::store::sqlite {

Status apply_op(sqlite3* db, const PutSecret& op);
Status apply_op(sqlite3* db, const DeleteSecret& op);

Result<std::optional<SecretRecord>> get_secret(sqlite3* db, const std::string& name);
Result<std::vector<SecretRecord>> list_secrets(sqlite3* db);

}  // namespace atio::store::sqlite
