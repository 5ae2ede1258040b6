#include "atio/server/takeover.h"
#include "atio/core/clock.h"

#include <iostream>
#include <limits>

#include "atio/core/thread_name.h"

namespace atio::server {

Takeover::Takeover(store::Store& store, engine::Engine& engine, TakeoverOptions options)
    : store_(store), engine_(engine), options_(options) {}

Takeover::~Takeover() { stop(); }

Result<std::size_t> Takeover::sweep() {
  return engine_.claim_orphans(wall_ms() - options_.lease.count());
}

Status Takeover::start() {
  if (options_.single_process) {
    // Whoever wrote the unfinished executions before is this process's
    // earlier life: they are all this node's now.
    ATIO_RETURN_IF_ERROR(
        engine_.claim_orphans(std::numeric_limits<std::int64_t>::max()).status());
  } else {
    ATIO_RETURN_IF_ERROR(sweep().status());
  }
  std::lock_guard<std::mutex> lk(mu_);
  stopping_ = false;
  thread_ = named_thread("atio-takeover", [this] { loop(); });
  return Status();
}

void Takeover::stop() {
  {
    std::lock_guard<std::mutex> lk(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void Takeover::loop() {
  // Woken by a node that stops cleanly; otherwise a sweep every period.
  std::unique_ptr<store::Listener> listener;
  // After the database was away every node's heartbeat is old: this node
  // waits one lease from when it can reach the database again, so that the
  // nodes still alive renew theirs, before it judges them.
  bool reported = false;
  std::int64_t claims_from_ms = 0;
  auto failed = [&](const Status& s) {
    if (!reported) std::cerr << "atio: taking over executions: " << s.to_string() << "\n";
    reported = true;
    claims_from_ms = -1;
  };
  for (;;) {
    // What stopped while the store was away runs on once it is back.
    engine_.resume_deferred();
    if (!listener && !options_.single_process) {
      auto l = store_.listen({kNodesChannel, kSignalsChannel});
      if (l.is_ok()) listener = std::move(*l);
    }
    {
      // Without a listener (one process, or the database away) a plain wait.
      std::unique_lock<std::mutex> lk(mu_);
      if (stopping_) return;
      if (!listener) {
        cv_.wait_for(lk, options_.sweep, [this] { return stopping_; });
        if (stopping_) return;
      }
    }
    if (options_.single_process) {
      if (options_.signals) options_.signals->apply();
      continue;
    }
    if (listener) {
      auto woken = listener->wait(options_.sweep);
      if (!woken.is_ok()) {
        failed(woken.status());
        continue;
      }
    }
    {
      std::lock_guard<std::mutex> lk(mu_);
      if (stopping_) return;
    }
    if (options_.signals) options_.signals->apply();
    if (claims_from_ms < 0) {
      if (auto probe = store_.list_nodes(); !probe.is_ok()) {
        failed(probe.status());
        continue;
      }
      claims_from_ms = wall_ms() + options_.lease.count();
    }
    if (wall_ms() < claims_from_ms) continue;
    auto claimed = sweep();
    if (!claimed.is_ok()) {
      failed(claimed.status());
      continue;
    }
    reported = false;
    if (*claimed > 0) {
      std::cerr << "atio: took over " << *claimed << " executions of nodes that are gone\n";
    }
    if (options_.steal_after.count() > 0) {
      auto stolen = engine_.steal_backlog(wall_ms() - options_.steal_after.count());
      if (!stolen.is_ok()) {
        failed(stolen.status());
        continue;
      }
    }
  }
}

}  // namespace atio::server
