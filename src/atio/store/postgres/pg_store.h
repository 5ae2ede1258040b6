// The PostgreSQL backend of Store, for many atio nodes sharing one database.
//
// The same SQL as the SQLite backend (store/sql/), with what sharing needs:
// a writer per node that reconnects with backoff when the server goes away
// (batches meanwhile fail as kUnavailable, whole: nothing half-written),
// a pool of reader connections, transactions that take turns where a value
// read must stay the latest (the audit chain's head, a playbook's version
// number, a case's correlation), and a playbook watch that sees changes made
// by any node or by hand.
#pragma once

#include <cstddef>
#include <memory>
#include <string>

#include "atio/store/store.h"

namespace atio::store {

struct PostgresOptions {
  // postgresql://user[:password]@host:port/database[?…], or key=value pairs.
  std::string conninfo;
  // Reads that may run at once (each on a connection of its own).
  std::size_t readers = 8;
  // Upper bound of batches combined into one transaction.
  std::size_t max_batches_per_commit = 1024;
  // Who signs the audit log's checkpoints, and how often (store/audit.h).
  AuditCheckpointPolicy audit;
};

// Connects, migrates the schema (once, whichever node comes first) and
// starts the writer. kUnavailable when the server cannot be reached.
Result<std::unique_ptr<Store>> open_postgres_store(const PostgresOptions& options);

}  // namespace atio::store
