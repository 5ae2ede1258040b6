// The SQL (both backends, conn.h) for the audit log (tables audit, audit_checkpoints).
// The writer applies AppendAudit and checkpoints inside its transaction, so
// a record is chained (and a checkpoint signed) against exactly the rows that
// commit with it; readers call the queries on the read connection.
// REQUIRES for every function: the caller holds the lock that serialises use
// of `db`.
#pragma once

#include "atio/store/sql/conn.h"

#include <cstdint>
#include <optional>
#include <vector>

#include "atio/store/store.h"

namespace atio::store::sql {

// Numbers, stamps (`now_ms`) and chains the record, inserts it, and signs a
// checkpoint when policy.every_records records are not covered by one.
// *checkpointed tells whether it did.
Status apply_op(Conn* db, const AppendAudit& op, const AuditCheckpointPolicy& policy,
                std::int64_t now_ms, bool* checkpointed);
// Signs and inserts a checkpoint of the head unless one covers it or the log
// is empty or there is no signer. *checkpointed tells whether it did.
Status checkpoint_audit(Conn* db, const AuditCheckpointPolicy& policy, std::int64_t now_ms,
                        bool* checkpointed);

Result<std::vector<AuditRecord>> list_audit(Conn* db, const AuditFilter& filter);
Result<std::optional<AuditRecord>> get_audit(Conn* db, std::int64_t seq);
Result<AuditHead> audit_head(Conn* db);
Result<std::vector<AuditCheckpoint>> list_audit_checkpoints(Conn* db, std::int64_t after_seq,
                                                            std::int64_t limit);

}  // namespace atio::store::sql
