#include "atio/store/sqlite/db.h"

namespace atio::store::sqlite {

namespace {

class SqliteStmt final : public sql::StmtImpl {
 public:
  explicit SqliteStmt(sqlite3_stmt* s) : s_(s) {}
  ~SqliteStmt() override { sqlite3_finalize(s_); }

  void bind_text(int i, std::string_view v, bool copy) override {
    sqlite3_bind_text(s_, i, v.data(), static_cast<int>(v.size()),
                      copy ? SQLITE_TRANSIENT : SQLITE_STATIC);
  }
  void bind_int64(int i, std::int64_t v) override { sqlite3_bind_int64(s_, i, v); }
  void bind_null(int i) override { sqlite3_bind_null(s_, i); }
  void bind_blob(int i, std::string_view v, bool copy) override {
    // A zero-length blob is still a blob, not NULL (data may be "").
    sqlite3_bind_blob64(s_, i, v.empty() ? "" : v.data(), v.size(),
                        copy ? SQLITE_TRANSIENT : SQLITE_STATIC);
  }

  int step() override {
    const int rc = sqlite3_step(s_);
    if (rc == SQLITE_ROW) return sql::kRow;
    if (rc == SQLITE_DONE) return sql::kDone;
    return sql::kError;
  }
  void reset() override {
    sqlite3_reset(s_);
    sqlite3_clear_bindings(s_);
  }

  std::string_view text(int col) const override {
    const unsigned char* t = sqlite3_column_text(s_, col);
    if (!t) return {};
    return std::string_view(reinterpret_cast<const char*>(t),
                            static_cast<std::size_t>(sqlite3_column_bytes(s_, col)));
  }
  std::int64_t int64(int col) const override { return sqlite3_column_int64(s_, col); }
  bool is_null(int col) const override { return sqlite3_column_type(s_, col) == SQLITE_NULL; }
  std::string blob(int col) const override {
    const void* b = sqlite3_column_blob(s_, col);
    if (!b) return {};
    return std::string(static_cast<const char*>(b),
                       static_cast<std::size_t>(sqlite3_column_bytes(s_, col)));
  }

 private:
  sqlite3_stmt* s_;
};

}  // namespace

SqliteConn::~SqliteConn() { sqlite3_close(db_); }

std::unique_ptr<sql::StmtImpl> SqliteConn::prepare(const char* sql) {
  sqlite3_stmt* s = nullptr;
  if (sqlite3_prepare_v3(db_, sql, -1, SQLITE_PREPARE_PERSISTENT, &s, nullptr) != SQLITE_OK) {
    return nullptr;
  }
  return std::make_unique<SqliteStmt>(s);
}

Status SqliteConn::exec(const char* sql) {
  char* err = nullptr;
  if (sqlite3_exec(db_, sql, nullptr, nullptr, &err) != SQLITE_OK) {
    std::string m = err ? err : "unknown error";
    sqlite3_free(err);
    return Status(Code::kIo, "sqlite: " + m);
  }
  return Status();
}

Result<std::unique_ptr<SqliteConn>> open(const std::string& path, int flags, int busy_timeout_ms,
                                         std::string_view purpose) {
  sqlite3* db = nullptr;
  const int rc = sqlite3_open_v2(path.c_str(), &db, flags | SQLITE_OPEN_NOMUTEX, nullptr);
  if (rc != SQLITE_OK) {
    std::string m = db ? sqlite3_errmsg(db) : "out of memory";
    if (db) sqlite3_close(db);
    return Status(Code::kIo, "cannot open " + std::string(purpose) + " " + path + ": " + m);
  }
  sqlite3_busy_timeout(db, busy_timeout_ms);
  return std::make_unique<SqliteConn>(db);
}

}  // namespace atio::store::sqlite
