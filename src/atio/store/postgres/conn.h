// A PostgreSQL connection as atio's SQL code sees it (sql/conn.h), over libpq.
//
// What it promises:
// - The SQL is atio's shared SQL with `?`/`?N` parameters; prepare() rewrites
//   them to `$N` once (postgres/placeholders.h). Statements run with
//   PQexecParams in text format, one round trip per execution; nothing is
//   prepared on the server, so a statement outlives reconnect() unchanged.
// - Parameter types: an int64 is sent as bigint; text and NULL are sent
//   untyped, so the server takes the type the context asks for (as SQLite's
//   column affinity does): "5" bound to a bigint column is 5. Write
//   CAST(? AS …) where the context says nothing.
// - Columns read as libpq's text: text() is the value's bytes, int64()
//   parses it (booleans read 1 and 0), NULL reads "" and 0.
// - error() is the server's message on one line; error_code() is
//   kUnavailable when the server cannot be reached (connection lost, admin or
//   crash shutdown, server starting), else kIo; sqlstate() names the error for
//   callers that treat some specially (23505, a unique violation).
// - PostgreSQL's own rule stays: after an error inside a transaction, the
//   transaction accepts nothing but ROLLBACK (or ROLLBACK TO a savepoint).
// - Not thread-safe, like every sql::Conn: one thread at a time.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "atio/core/status.h"
#include "atio/store/sql/conn.h"

struct pg_conn;    // libpq's PGconn
struct pg_result;  // libpq's PGresult

namespace atio::store::postgres {

class PgStmt;

class PgConn final : public sql::Conn {
 public:
  // Connects to the server `conninfo` names: a URL
  // (postgresql://user@host:port/db?sslmode=…) or key=value pairs, libpq's
  // environment (PGPASSWORD, ~/.pgpass, …) filling what it leaves out.
  // Unless the conninfo sets them: connect_timeout=5 s, TCP keepalives (idle
  // 10 s, then every 5 s, 3 lost probes) and tcp_user_timeout=20 s, so that
  // a dead server is noticed within seconds, and application_name=atio.
  // Errors: kInvalidArgument when libpq cannot read the conninfo,
  // kUnavailable when the server cannot be reached or refuses the
  // connection. Messages name host, port, database and user, never the
  // password.
  static Result<std::unique_ptr<PgConn>> connect(const std::string& conninfo);

  ~PgConn() override;
  PgConn(const PgConn&) = delete;
  PgConn& operator=(const PgConn&) = delete;

  sql::Dialect dialect() const override { return sql::Dialect::kPostgres; }
  // nullptr only when a parameter number is out of range (error() says
  // which); an SQL error shows at the first step().
  std::unique_ptr<sql::StmtImpl> prepare(const char* sql) override;
  // One or more statements, no parameters, no rows (PQexec). Statements
  // before an error stay done unless they run in a transaction.
  Status exec(const char* sql) override;
  std::int64_t changes() const override { return changes_; }
  std::string error() const override;
  Code error_code() const override;

  // The SQLSTATE of the last error ("" when the error came from libpq itself).
  const std::string& sqlstate() const { return sqlstate_; }
  // False once the connection is lost; reconnect() may bring it back.
  bool connected() const;
  bool broken() const override { return !connected(); }
  bool transaction_failed() const override;
  // Connects again with the same parameters (PQreset), bounded by
  // connect_timeout. The session is new: an open transaction is gone, and so
  // are LISTENs and SET values. True when the connection works again.
  bool reconnect();
  // "host:port/database as user", for messages.
  const std::string& server() const { return server_; }
  // libpq's connection, for what this interface does not cover
  // (LISTEN/NOTIFY: PQsocket, PQconsumeInput, PQnotifies).
  pg_conn* native() { return conn_; }

 private:
  friend class PgStmt;
  PgConn(pg_conn* conn, std::string server) : conn_(conn), server_(std::move(server)) {}

  // Takes the outcome of a statement (`result` may be null) and keeps its
  // error or its count of changed rows. True when the statement succeeded.
  bool take_result(pg_result* result);
  void set_error(std::string message, std::string sqlstate);

  pg_conn* conn_;
  std::string server_;
  std::string error_;
  std::string sqlstate_;
  std::int64_t changes_ = 0;
};

}  // namespace atio::store::postgres
