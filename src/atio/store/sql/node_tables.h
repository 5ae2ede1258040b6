// The SQL (both backends, conn.h) for the nodes working on the store (table
// nodes; store.h NodeRecord). REQUIRES for every function: the caller holds
// the lock that serialises use of `db`.
#pragma once

#include <vector>

#include "atio/store/sql/conn.h"
#include "atio/store/store.h"

namespace atio::store::sql {

Status apply_op(Conn* db, const PutNode& op);
Status apply_op(Conn* db, const PruneNodes& op);
// Sets *op.claimed to the ids taken.
Status apply_op(Conn* db, const ClaimExecutions& op);
// Sets *op.claimed to the ids taken.
Status apply_op(Conn* db, const StealBacklog& op);
Status apply_op(Conn* db, const Notify& op);

// The most recently started first.
Result<std::vector<NodeRecord>> list_nodes(Conn* db);

}  // namespace atio::store::sql
