// The store's writer, on either backend: one thread applies batches of write
// operations in FIFO order, combining whatever is queued into one
// transaction (group commit). JSON columns are serialised on the submitting
// thread, so the writer thread only binds and steps. A backend may give it
// maintenance to run on a thread of its own (SQLite checkpoints its WAL
// there, so commits never wait for it).
// The writer also keeps the audit log's hash chain (on this node it is the
// only thread that appends to it; nodes sharing PostgreSQL take turns,
// sql::serialize_on) and signs its checkpoints: by count as records are
// appended, by time when the queue is idle, and once more on close().
#pragma once

#include "atio/store/sql/conn.h"

#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "atio/core/status.h"
#include "atio/store/sql/conn.h"
#include "atio/store/store.h"

namespace atio::store::sql {

// Work a backend wants done beside the writer, every `period`.
class Maintenance {
 public:
  virtual ~Maintenance() = default;
  virtual std::chrono::milliseconds period() const = 0;
  virtual void run() = 0;  // on the maintenance thread only
};

struct WriterOptions {
  // Upper bound of batches combined into one transaction.
  std::size_t max_batches_per_commit = 1024;
  AuditCheckpointPolicy audit;
  // How a transaction starts ("BEGIN IMMEDIATE" on SQLite: the write lock up
  // front, so a commit never fails for a reader's sake).
  std::string begin_sql = "BEGIN";
  // Run on the connection after the last commit, before it closes.
  std::string close_sql;
  std::unique_ptr<Maintenance> maintenance;  // optional
  // Opens the connection again when it broke (sql::Conn::broken()); empty:
  // a broken connection stays broken (SQLite's never breaks).
  std::function<Result<std::unique_ptr<Conn>>()> reopen;
};

class Writer {
 public:
  // Takes ownership of `db` (already migrated).
  Writer(std::unique_ptr<Conn> db, WriterOptions options);
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

}  // namespace atio::store::sql
