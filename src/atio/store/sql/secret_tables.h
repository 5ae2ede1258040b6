// The SQL (both backends, conn.h) for the sealed secrets (store.h SecretRecord). REQUIRES
// for every function: the caller holds the lock that serialises use of `db`.
#pragma once

#include "atio/store/sql/conn.h"

#include <optional>
#include <string>
#include <vector>

#include "atio/store/store.h"

namespace atio::store::sql {

Status apply_op(Conn* db, const PutSecret& op);
Status apply_op(Conn* db, const DeleteSecret& op);

Result<std::optional<SecretRecord>> get_secret(Conn* db, const std::string& name);
Result<std::vector<SecretRecord>> list_secrets(Conn* db);

}  // namespace atio::store::sql
