// The embedded SQLite backend of Store (WAL, group commit).
#pragma once

#include <memory>
#include <string>

#include "atio/store/store.h"

namespace atio::store {

struct SqliteOptions {
  std::string path;  // database file; created with its schema when missing
  // "full": every commit is fsynced (survives power loss); "normal": WAL
  // without fsync per commit (survives a process crash or kill -9, the
  // default for benchmarks is still "full").
  std::string synchronous = "full";
  // Upper bound of batches combined into one transaction.
  std::size_t max_batches_per_commit = 1024;
  // Who signs the audit log's checkpoints, and how often (store/audit.h).
  AuditCheckpointPolicy audit;
};

// Opens (and migrates) the database and starts the writer thread.
Result<std::unique_ptr<Store>> open_sqlite_store(const SqliteOptions& options);

}  // namespace atio::store
