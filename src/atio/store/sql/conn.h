// A database connection as atio's SQL code sees it, whichever the backend.
//
// The table code (sql/*_tables.cc), the group-commit writer and the store's
// reads are written once against this interface and run on SQLite (the
// embedded default, sqlite/) and PostgreSQL (many nodes, postgres/). SQL is
// written in the subset both speak: `?` or `?N` parameters (a backend may
// rewrite them), ON CONFLICT upserts, integers for times and flags, JSON as
// text. Where the two really differ the code asks dialect().
//
// Neither Conn nor Stmt is thread-safe: one thread uses a connection at a
// time (the writer owns one; readers lease one from a pool).
#pragma once

#include <boost/json/object.hpp>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <optional>
#include <vector>

#include "atio/core/status.h"

namespace atio::store::sql {

enum class Dialect { kSqlite, kPostgres };

// What Stmt::step() answers.
inline constexpr int kRow = 100;
inline constexpr int kDone = 101;
inline constexpr int kError = 1;

// A backend's prepared statement. Parameters are 1-based, columns 0-based.
class StmtImpl {
 public:
  virtual ~StmtImpl() = default;
  // `copy` false: the bytes stay alive until the statement has been stepped
  // and reset (bind_ref).
  virtual void bind_text(int i, std::string_view v, bool copy) = 0;
  virtual void bind_int64(int i, std::int64_t v) = 0;
  virtual void bind_null(int i) = 0;
  // Bytes, not text: any byte may occur (BLOB on SQLite, bytea on
  // PostgreSQL). `copy` as for bind_text.
  virtual void bind_blob(int i, std::string_view v, bool copy) = 0;
  // Runs the statement on the first call; kRow while rows remain, then kDone;
  // kError (the connection's error() says why).
  virtual int step() = 0;
  // Ready to run again; clears the bindings.
  virtual void reset() = 0;
  // Valid until the next step() or reset(). NULL reads as "" and 0.
  virtual std::string_view text(int col) const = 0;
  virtual std::int64_t int64(int col) const = 0;
  virtual bool is_null(int col) const = 0;
  // The bytes of a BLOB/bytea column; "" when NULL.
  virtual std::string blob(int col) const = 0;
};

class Conn {
 public:
  virtual ~Conn() = default;
  virtual Dialect dialect() const = 0;
  // nullptr when the SQL does not prepare (error() says why).
  virtual std::unique_ptr<StmtImpl> prepare(const char* sql) = 0;
  // Runs one or more statements without results.
  virtual Status exec(const char* sql) = 0;
  // Rows inserted, updated or deleted by the last statement that ran.
  virtual std::int64_t changes() const = 0;
  // The last error's message.
  virtual std::string error() const = 0;
  // The code of the last error: kUnavailable when the database cannot be
  // reached (the connection is lost, the server restarts), else kIo.
  virtual Code error_code() const { return Code::kIo; }
  // True when the connection is lost for good and must be opened again.
  virtual bool broken() const { return false; }
  // True when a failed statement spoiled the open transaction, so that only
  // a rollback (to a savepoint) can go on (PostgreSQL; SQLite undoes just
  // the statement).
  virtual bool transaction_failed() const { return false; }
};

// A statement on a connection: the face the table code uses.
class Stmt {
 public:
  Stmt() = default;
  Stmt(Conn* db, const char* sql) : db_(db), impl_(db->prepare(sql)) {}

  bool ok() const { return impl_ != nullptr; }
  std::string error() const { return db_ ? db_->error() : "no database"; }

  Stmt& bind(int i, std::string_view v) {
    impl_->bind_text(i, v, true);
    return *this;
  }
  Stmt& bind(int i, std::int64_t v) {
    impl_->bind_int64(i, v);
    return *this;
  }
  Stmt& bind_null(int i) {
    impl_->bind_null(i);
    return *this;
  }
  // Binds without copying. REQUIRES: `v` stays alive until the statement has
  // been stepped and reset.
  Stmt& bind_ref(int i, std::string_view v) {
    impl_->bind_text(i, v, false);
    return *this;
  }
  Stmt& bind_ref(int i, std::int64_t v) { return bind(i, v); }
  // Binds bytes without copying; the same REQUIRES as bind_ref.
  Stmt& bind_blob_ref(int i, std::string_view v) {
    impl_->bind_blob(i, v, false);
    return *this;
  }

  // kRow, kDone or kError.
  int step() { return impl_->step(); }
  void reset() { impl_->reset(); }

  std::string text(int col) const { return std::string(impl_->text(col)); }
  // A JSON object column; {} when empty or not an object.
  boost::json::object object(int col) const;
  std::int64_t int64(int col) const { return impl_->int64(col); }
  bool is_null(int col) const { return impl_->is_null(col); }
  std::string blob(int col) const { return impl_->blob(col); }

 private:
  Conn* db_ = nullptr;
  std::unique_ptr<StmtImpl> impl_;
};

// The last error of `db` as a Status naming `what`.
Status error_status(Conn* db, std::string_view what);

// Makes the rest of this transaction the only one, among all that call this
// with the same `key`, until it ends: a value read now (a chain's head, the
// highest version) stays the latest until this transaction commits. SQLite's
// single writer already is alone, so nothing happens there; on PostgreSQL,
// where every node writes, it takes a transaction-scoped advisory lock.
Status serialize_on(Conn* db, std::string_view key);

// Runs SQL without results.
inline Status exec(Conn* db, const char* sql) { return db->exec(sql); }

// Runs a prepared write statement to completion; the error names `what`.
inline Status run(Conn* db, Stmt& s, const char* what) {
  if (!s.ok()) return error_status(db, what);
  const int rc = s.step();
  if (rc != kDone && rc != kRow) return error_status(db, what);
  return Status();
}

// Runs a query and converts every row with `read`.
template <typename T, typename Read>
Result<std::vector<T>> query(Conn* db, Stmt& s, const char* what, Read read) {
  if (!s.ok()) return error_status(db, what);
  std::vector<T> out;
  int rc;
  while ((rc = s.step()) == kRow) out.push_back(read(s));
  if (rc != kDone) return error_status(db, what);
  return out;
}

// The first row of a query, if any.
template <typename T>
Result<std::optional<T>> first(Result<std::vector<T>> rows) {
  if (!rows.is_ok()) return rows.status();
  if (rows->empty()) return std::optional<T>();
  return std::optional<T>(std::move(rows->front()));
}

}  // namespace atio::store::sql
