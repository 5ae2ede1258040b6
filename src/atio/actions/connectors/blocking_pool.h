// A few threads of atio's own for connectors whose protocol has no
// asynchronous client here (syslog over TCP/TLS, SMTP through libcurl's easy
// interface): a job blocks one of these threads, never an engine worker.
//
// Jobs run in the order posted, at most `threads` at once; each is bounded by
// its own timeout (the step's time left), so a slow collector or mail server
// holds one thread for at most that long.
//
// Threads: post() may be called from any thread, including from a job.
#pragma once

#include <cstddef>
#include <functional>
#include <memory>

namespace atio::actions::connectors {

class BlockingPool {
 public:
  explicit BlockingPool(std::size_t threads = 4);
  // Jobs still queued run with aborted = true on the destroying thread;
  // running jobs are waited for.
  // REQUIRES: not called from a job of this pool.
  ~BlockingPool();
  BlockingPool(const BlockingPool&) = delete;
  BlockingPool& operator=(const BlockingPool&) = delete;

  // Queues `job`; it is called exactly once: job(false) on a pool thread, or
  // job(true) inline when the pool is shutting down.
  void post(std::function<void(bool aborted)> job);

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace atio::actions::connectors
