// The SQLite store's single writer: one thread applies batches of write
// operations in FIFO order, combining whatever is queued into one
// transaction (group commit). JSON columns are serialised on the submitting
// thread, so the writer thread only binds and steps. A second thread
// checkpoints the WAL in the background so commits never wait for it.
// The writer also keeps the audit log's hash chain (it is the only thread
// that appends to it) and signs its checkpoints: by count as records are
// appended, by time when the queue is idle, and once more on close().
#pragma once

#include <sqlite3.h>

#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "atio/core/status.h"
#include "atio/store/store.h"

namespace atio::store::sqlite {

class Writer {
 public:
  // Takes ownership of `db` (already migrated). `path` is opened again by the
  // checkpointer.
  Writer(sqlite3* db, std::string path, std::size_t max_batches_per_commit,
         AuditCheckpointPolicy audit = {});
  ~Writer();  // close()
  Writer(const Writer&) = delete;
  Writer& operator=(const Writer&) = delete;

  // Thread-safe. `done` runs on the writer thread once the batch is durable
  // (or failed as a whole). After close(), `done` gets kUnavailable.
  void submit(std::vector<WriteOp> ops, std::function<void(Status)> done);
  // Commits everything submitted so far, then stops both threads.
  void close();

  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace atio::store::sqlite
