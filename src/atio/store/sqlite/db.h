// The SQLite side of sql::Conn (store/sql/conn.h): a connection that owns its
// sqlite3 handle, and opening one with atio's settings.
#pragma once

#include <sqlite3.h>

#include <memory>
#include <string>

#include "atio/core/status.h"
#include "atio/store/sql/conn.h"

namespace atio::store::sqlite {

class SqliteConn final : public sql::Conn {
 public:
  // Takes ownership of `db` (closed by the destructor).
  explicit SqliteConn(sqlite3* db) : db_(db) {}
  ~SqliteConn() override;
  SqliteConn(const SqliteConn&) = delete;
  SqliteConn& operator=(const SqliteConn&) = delete;

  sqlite3* handle() const { return db_; }

  sql::Dialect dialect() const override { return sql::Dialect::kSqlite; }
  // Prepared with SQLITE_PREPARE_PERSISTENT: atio keeps hot statements.
  std::unique_ptr<sql::StmtImpl> prepare(const char* sql) override;
  Status exec(const char* sql) override;
  std::int64_t changes() const override { return sqlite3_changes64(db_); }
  std::string error() const override { return sqlite3_errmsg(db_); }

 private:
  sqlite3* db_;
};

// Opens `path` with `flags` (SQLITE_OPEN_*; NOMUTEX is added) and a busy
// timeout; the error names the path and `purpose`.
Result<std::unique_ptr<SqliteConn>> open(const std::string& path, int flags, int busy_timeout_ms,
                                         std::string_view purpose);

}  // namespace atio::store::sqlite
