// One active node per database, until nodes share the work.
//
// Several `atio serve` processes on one PostgreSQL database would each
// resume every unfinished execution and fire every schedule: work done
// twice. Until executions are claimed under leases, a node runs only while
// it holds a session-level advisory lock on a connection of its own; the
// others wait for it (hot standby) and the first to get it takes over,
// resuming what the previous one left unfinished. The lock goes with the
// session, so a node killed (kill -9, a lost machine) hands over as soon as
// PostgreSQL notices its connection closed. When the lock's session ends
// under a running node (the database restarted), the node takes the lock
// again as soon as the database answers, trying every 100 ms where standbys
// try every 500 ms; if another node got it first, this one must stop.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <thread>

#include "atio/core/status.h"

namespace atio::store::postgres {

class PgConn;

class ActiveNode {
 public:
  // Blocks until this node holds the lock, calling `waiting` once when
  // another node holds it. Then watches the lock's session every 100 ms; when
  // it ends, takes the lock again, and calls `lost` (from its own thread) if
  // another node holds it by then: the caller must stop working at once
  // (atio serve exits).
  static Result<std::unique_ptr<ActiveNode>> acquire(const std::string& conninfo,
                                                     const std::function<void()>& waiting,
                                                     std::function<void()> lost);
  ~ActiveNode();  // releases the lock (closes its session)

 private:
  ActiveNode(std::unique_ptr<PgConn> db, std::function<void()> lost);
  void watch();

  std::unique_ptr<PgConn> db_;
  std::function<void()> lost_;
  std::atomic<bool> stop_{false};
  std::thread watcher_;
};

}  // namespace atio::store::postgres
