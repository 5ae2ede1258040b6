#include "atio/store/postgres/duty_lock.h"

#include <chrono>

#include "atio/core/thread_name.h"
#include "atio/store/postgres/conn.h"

namespace atio::store::postgres {

namespace {

// 1: held now, 0: another session holds it; an error when the database does not answer.
Result<bool> try_lock(PgConn* db, std::int64_t key) {
  sql::Stmt s(db, "SELECT CAST(pg_try_advisory_lock(?) AS INT)");
  s.bind(1, key);
  if (!s.ok() || s.step() != sql::kRow) return sql::error_status(db, "take a duty lock");
  return s.int64(0) == 1;
}

bool session_alive(PgConn* db) {
  sql::Stmt s(db, "SELECT 1");
  return s.ok() && s.step() == sql::kRow;
}

}  // namespace

Result<std::unique_ptr<DutyLock>> DutyLock::start(const std::string& conninfo, std::int64_t key) {
  ATIO_ASSIGN_OR_RETURN(auto db, PgConn::connect(conninfo));
  return std::unique_ptr<DutyLock>(new DutyLock(std::move(db), key));
}

DutyLock::DutyLock(std::unique_ptr<PgConn> db, std::int64_t key)
    : db_(std::move(db)), key_(key) {
  if (auto got = try_lock(db_.get(), key_); got.is_ok()) held_ = *got;
  thread_ = named_thread("atio-duty", [this] { loop(); });
}

DutyLock::~DutyLock() {
  stop_ = true;
  if (thread_.joinable()) thread_.join();
}

void DutyLock::loop() {
  while (!stop_) {
    for (int i = 0; i < 10 && !stop_; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(50));
    if (stop_) return;
    if (held_) {
      if (session_alive(db_.get())) continue;
      held_ = false;  // the lock went with the session
    }
    if (db_->broken() && !db_->reconnect()) continue;
    auto got = try_lock(db_.get(), key_);
    if (got.is_ok()) held_ = *got;
  }
}

}  // namespace atio::store::postgres
