// Thin RAII helpers over the SQLite C API used by the SQLite store.
#pragma once

#include <sqlite3.h>

#include <boost/json/object.hpp>

#include <cstdint>
#include <optional>
#include <vector>
#include <string>
#include <string_view>

#include "atio/core/status.h"

namespace atio::store::sqlite {

// A prepared statement; reset on destruction of each use via Use.
class Stmt {
 public:
  Stmt() = default;
  Stmt(sqlite3* db, const char* sql);
  ~Stmt();
  Stmt(const Stmt&) = delete;
  Stmt& operator=(const Stmt&) = delete;
  Stmt(Stmt&& o) noexcept : db_(o.db_), s_(o.s_) { o.s_ = nullptr; }
  Stmt& operator=(Stmt&& o) noexcept;

  bool ok() const { return s_ != nullptr; }
  std::string error() const;

  Stmt& bind(int i, std::string_view v);
  Stmt& bind(int i, std::int64_t v);
  Stmt& bind_null(int i);
  // Binds without copying. REQUIRES: `v` stays alive until the statement has
  // been stepped and reset.
  Stmt& bind_ref(int i, std::string_view v);
  Stmt& bind_ref(int i, std::int64_t v) { return bind(i, v); }
  // SQLITE_ROW, SQLITE_DONE or an error code.
  int step();
  void reset();

  std::string text(int col) const;
  // A JSON object column; {} when empty or not an object.
  boost::json::object object(int col) const;
  std::int64_t int64(int col) const;
  bool is_null(int col) const;

 private:
  sqlite3* db_ = nullptr;
  sqlite3_stmt* s_ = nullptr;
};

// Runs SQL without results; error includes SQLite's message.
Status exec(sqlite3* db, const char* sql);
Status error_status(sqlite3* db, std::string_view what);

// Runs a prepared write statement to completion; the error names `what`.
inline Status run(sqlite3* db, Stmt& s, const char* what) {
  if (!s.ok()) return error_status(db, what);
  const int rc = s.step();
  if (rc != SQLITE_DONE && rc != SQLITE_ROW) return error_status(db, what);
  return Status();
}

// Runs a query and converts every row with `read`.
template <typename T, typename Read>
Result<std::vector<T>> query(sqlite3* db, Stmt& s, const char* what, Read read) {
  if (!s.ok()) return error_status(db, what);
  std::vector<T> out;
  int rc;
  while ((rc = s.step()) == SQLITE_ROW) out.push_back(read(s));
  if (rc != SQLITE_DONE) return error_status(db, what);
  return out;
}

// The first row of a query, if any.
template <typename T>
Result<std::optional<T>> first(Result<std::vector<T>> rows) {
  if (!rows.is_ok()) return rows.status();
  if (rows->empty()) return std::optional<T>();
  return std::optional<T>(std::move(rows->front()));
}


}  // namespace atio::store::sqlite
