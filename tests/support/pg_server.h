// A real PostgreSQL server for tests, started by the tests themselves.
//
// PgServer::get() starts one server per test process on first use
// (scripts/pg-temp.sh in a temporary directory: 127.0.0.1, a free port,
// trust authentication, fsync off), shares it between the process's tests,
// and stops and deletes it when the process exits. A server left behind by a
// test process that was killed is found and removed by the next one.
// Each test takes its own empty database from fresh_database(), so tests do
// not see each other's rows. stop() and start() restart the same server (same
// port, same data) for tests of what atio does while PostgreSQL is down.
//
// Nothing waits without a bound: pg_ctl waits at most 30 s, connections time
// out after 5 s.
#pragma once

#include <memory>
#include <mutex>
#include <string>

#include "atio/core/status.h"

namespace atio::store::postgres {
class PgConn;
}

namespace atio::testing {

class PgServer {
 public:
  // The process's server, started on the first call. If it could not start,
  // ok() is false and error() says why (every later call says the same).
  static PgServer& get();

  bool ok() const { return error_.empty(); }
  const std::string& error() const { return error_; }
  // postgresql://atio@127.0.0.1:PORT/atio, the server's own database.
  const std::string& conninfo() const { return conninfo_; }

  // Creates a new empty database and returns its conninfo.
  Result<std::string> fresh_database();

  // Stops the server (fast shutdown: its sessions are ended) and starts it
  // again on the same port with the same data.
  Status stop();
  Status start();

  ~PgServer();
  PgServer(const PgServer&) = delete;
  PgServer& operator=(const PgServer&) = delete;

 private:
  PgServer();
  // Runs scripts/pg-temp.sh `command` on dir_; its last line of output.
  Result<std::string> script(const std::string& command);

  std::mutex mu_;
  std::string dir_;
  std::string conninfo_;
  std::string error_;
  int next_database_ = 1;
  std::unique_ptr<store::postgres::PgConn> admin_;  // to conninfo_, for CREATE DATABASE
};

}  // namespace atio::testing
