// A bounded worker pool with timers. Everything the engine does runs as short
// tasks on these workers; nothing waits on outside I/O while holding one.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>

namespace atio::engine {

class Scheduler {
 public:
  // Starts `workers` threads.
  explicit Scheduler(std::size_t workers);
  ~Scheduler();  // stops and joins the workers; pending tasks are dropped
  Scheduler(const Scheduler&) = delete;
  Scheduler& operator=(const Scheduler&) = delete;

  // Runs `task` on a worker. Thread-safe.
  void post(std::function<void()> task);

  // A cancellable one-shot timer.
  class Timer {
   public:
    virtual ~Timer() = default;
    // Prevents the callback from running if it has not started yet.
    virtual void cancel() = 0;
  };
  // Runs `task` on a worker after `delay`. Thread-safe.
  std::shared_ptr<Timer> after(std::chrono::milliseconds delay, std::function<void()> task);

  // Stops accepting work and joins the workers.
  void stop();

  std::size_t workers() const { return workers_; }

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  std::size_t workers_;
};

}  // namespace atio::engine
