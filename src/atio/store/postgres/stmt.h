// A statement on a PgConn (see postgres/conn.h for what it promises): the
// rewritten SQL, its bound values, and the rows of its last run.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "atio/store/postgres/placeholders.h"
#include "atio/store/sql/conn.h"

struct pg_result;

namespace atio::store::postgres {

class PgConn;

class PgStmt final : public sql::StmtImpl {
 public:
  PgStmt(PgConn* conn, PgSql sql);
  ~PgStmt() override;
  PgStmt(const PgStmt&) = delete;
  PgStmt& operator=(const PgStmt&) = delete;

  // libpq takes NUL-terminated text parameters, so `copy` false copies too.
  void bind_text(int i, std::string_view v, bool copy) override;
  void bind_int64(int i, std::int64_t v) override;
  void bind_null(int i) override;
  // Sent in binary (bytea), so any byte, NUL included, goes through.
  void bind_blob(int i, std::string_view v, bool copy) override;
  // The first call (and a call after kDone, as SQLite's auto-reset does) runs
  // the statement with the current bindings: one round trip, all rows.
  int step() override;
  void reset() override;
  std::string_view text(int col) const override;
  std::int64_t int64(int col) const override;
  bool is_null(int col) const override;
  // Results come as text: bytea arrives in its hex form ("\\x4142"), decoded here.
  std::string blob(int col) const override;

 private:
  enum class State { kReady, kRows, kDone };

  bool slot(int i);
  unsigned int untyped(int i) const;  // true when parameter i exists, else remembers the mistake
  int run();
  void clear_result();
  bool has_value(int col) const;

  PgConn* conn_;
  PgSql sql_;
  std::vector<std::string> values_;
  std::vector<bool> null_;
  std::vector<unsigned int> types_;  // Oids; 0 lets the server infer the type
  std::vector<int> formats_;         // 0 text, 1 binary (bytea)
  std::string bind_error_;           // a binding that could not be made
  pg_result* result_ = nullptr;
  State state_ = State::kReady;
  int row_ = 0;
  int rows_ = 0;
};

}  // namespace atio::store::postgres
