#include "atio/store/sqlite/sqlite_store.h"

#include "atio/store/sql/sql_store.h"
#include "atio/store/sqlite/db.h"
#include "atio/store/sqlite/playbook_watch.h"
#include "atio/store/sqlite/schema.h"

namespace atio::store {

namespace {

// A connection to the database file with atio's settings: WAL, foreign keys,
// and fsync per commit unless `synchronous` is "normal".
Result<std::unique_ptr<sqlite::SqliteConn>> open_connection(const SqliteOptions& o) {
  ATIO_ASSIGN_OR_RETURN(auto db, sqlite::open(o.path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE,
                                              10000, "database"));
  const std::string pragmas =
      "PRAGMA journal_mode=WAL; PRAGMA foreign_keys=ON; PRAGMA synchronous=" +
      (o.synchronous == "normal" ? std::string("NORMAL") : std::string("FULL")) + ";";
  Status s = db->exec(pragmas.c_str());
  if (!s.is_ok()) return std::move(s).with_context(o.path);
  return db;
}

// Copies WAL pages back into the database off the commit path, on a
// connection of its own. PASSIVE never blocks the writer; the WAL is reset
// once a checkpoint completes.
class WalCheckpoint final : public sql::Maintenance {
 public:
  explicit WalCheckpoint(std::unique_ptr<sqlite::SqliteConn> db) : db_(std::move(db)) {}
  std::chrono::milliseconds period() const override { return std::chrono::milliseconds(200); }
  void run() override {
    sqlite3_wal_checkpoint_v2(db_->handle(), nullptr, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
  }

 private:
  std::unique_ptr<sqlite::SqliteConn> db_;
};

}  // namespace

Result<std::unique_ptr<Store>> open_sqlite_store(const SqliteOptions& options) {
  ATIO_ASSIGN_OR_RETURN(auto writer, open_connection(options));
  Status m = sqlite::migrate(writer.get());
  if (!m.is_ok()) return std::move(m).with_context(options.path);
  // Checkpoints run on their own thread instead of inside a commit.
  ATIO_RETURN_IF_ERROR(writer->exec("PRAGMA wal_autocheckpoint=0"));

  sql::WriterOptions wo;
  wo.max_batches_per_commit = options.max_batches_per_commit;
  wo.audit = options.audit;
  wo.begin_sql = "BEGIN IMMEDIATE";
  // The last connection to close checkpoints and removes the WAL.
  wo.close_sql = "PRAGMA wal_checkpoint(TRUNCATE)";
  auto checkpointer = sqlite::open(options.path, SQLITE_OPEN_READWRITE, 1000, "database");
  if (checkpointer.is_ok()) wo.maintenance = std::make_unique<WalCheckpoint>(std::move(*checkpointer));

  sql::SqlStoreParts parts;
  parts.writer = std::make_unique<sql::Writer>(std::move(writer), std::move(wo));
  parts.open_reader = [options]() -> Result<std::unique_ptr<sql::Conn>> {
    ATIO_ASSIGN_OR_RETURN(auto db, open_connection(options));
    return std::unique_ptr<sql::Conn>(std::move(db));
  };
  parts.readers = 1;  // reads from one connection, as before: WAL readers never block the writer
  parts.open_watch = [path = options.path] { return sqlite::open_playbook_watch(path); };
  return sql::make_sql_store(std::move(parts));
}

}  // namespace atio::store
