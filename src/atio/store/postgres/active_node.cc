#include "atio/store/postgres/active_node.h"

#include "atio/core/thread_name.h"
#include "atio/store/postgres/conn.h"

namespace atio::store::postgres {

namespace {

constexpr const char* kTryLock = "SELECT pg_try_advisory_lock(7400430117)";  // 'atio' 'node'

Result<bool> try_lock(PgConn* db) {
  sql::Stmt s(db, kTryLock);
  if (!s.ok() || s.step() != sql::kRow) return sql::error_status(db, "take the active-node lock");
  return s.int64(0) == 1;
}

}  // namespace

Result<std::unique_ptr<ActiveNode>> ActiveNode::acquire(const std::string& conninfo,
                                                        const std::function<void()>& waiting,
                                                        std::function<void()> lost) {
  ATIO_ASSIGN_OR_RETURN(auto db, PgConn::connect(conninfo));
  bool told = false;
  for (;;) {
    ATIO_ASSIGN_OR_RETURN(bool held, try_lock(db.get()));
    if (held) break;
    if (!told && waiting) waiting();
    told = true;
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
  }
  return std::unique_ptr<ActiveNode>(new ActiveNode(std::move(db), std::move(lost)));
}

ActiveNode::ActiveNode(std::unique_ptr<PgConn> db, std::function<void()> lost)
    : db_(std::move(db)), lost_(std::move(lost)) {
  watcher_ = named_thread("atio-active", [this] { watch(); });
}

ActiveNode::~ActiveNode() {
  stop_ = true;
  if (watcher_.joinable()) watcher_.join();
}

void ActiveNode::watch() {
  bool lost_session = false;
  while (!stop_) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    if (stop_) return;
    if (!lost_session) {
      sql::Stmt s(db_.get(), "SELECT 1");
      if (s.ok() && s.step() == sql::kRow) continue;
      lost_session = true;  // the lock went with the session
    }
    // The database is away or back: take the lock again once it answers.
    if (db_->broken() && !db_->reconnect()) continue;
    auto held = try_lock(db_.get());
    if (!held.is_ok()) continue;  // not answering yet
    if (*held) {
      lost_session = false;
      continue;
    }
    if (lost_) lost_();  // another node is active now
    return;
  }
}

}  // namespace atio::store::postgres
