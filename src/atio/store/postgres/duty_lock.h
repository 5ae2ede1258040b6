// A duty one node of a cluster performs at a time: the workflow monitor's
// repairs, events and cases, and the audit log's forwarding to syslog, which
// every node would otherwise repeat.
//
// The duty is held while a session-level advisory lock on a connection of its
// own is. A thread tries for the lock every 500 ms while another node holds
// it, and while held checks every 500 ms that the session lives; when it ends
// (the database restarted, the network broke) the duty is dropped at once and
// tried for again. A node killed with kill -9 loses the lock with its
// session, so another node takes the duty within half a second of
// PostgreSQL noticing. (Between a session's end and this node noticing it,
// up to 500 ms, two nodes may both act once.)
#pragma once

#include <atomic>
#include <memory>
#include <string>
#include <thread>

#include "atio/core/status.h"

namespace atio::store::postgres {

class PgConn;

class DutyLock {
 public:
  // Starts trying for duty `key` (any int64 the cluster agrees on) at once;
  // fails only when the database cannot be reached now.
  static Result<std::unique_ptr<DutyLock>> start(const std::string& conninfo, std::int64_t key);
  ~DutyLock();  // releases the duty (closes its session)

  // True while this node holds the duty. Thread-safe.
  bool held() const { return held_.load(); }

 private:
  DutyLock(std::unique_ptr<PgConn> db, std::int64_t key);
  void loop();

  std::unique_ptr<PgConn> db_;
  std::int64_t key_;
  std::atomic<bool> held_{false};
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

}  // namespace atio::store::postgres
