// Starts scheduled executions when they are due.
//
// A schedule is due when its next run time (from its last run, or from its
// creation when it never ran) has passed. A schedule that was due several
// times while atio was down runs once on start, not once per missed slot:
// after a run the next time is computed from that run.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <thread>

#include "atio/engine/engine.h"
#include "atio/store/store.h"

namespace atio::server {

// The next time `schedule` is due (Unix ms); nullopt when its cron
// expression is invalid or never matches.
std::optional<std::int64_t> next_run_ms(const store::ScheduleRecord& schedule);

class ScheduleRunner {
 public:
  // REQUIRES: `store` and `engine` outlive the runner.
  ScheduleRunner(store::Store& store, engine::Engine& engine);
  ~ScheduleRunner();  // stop()
  ScheduleRunner(const ScheduleRunner&) = delete;
  ScheduleRunner& operator=(const ScheduleRunner&) = delete;

  // Starts the thread that calls tick() every second and on notify().
  void start();
  // Stops the thread; executions already started keep running.
  void stop();
  // Wakes the thread (a schedule was created or deleted).
  void notify();

  // Starts every schedule due at `now_ms` that is not already starting;
  // returns how many it started. Thread-safe; tests call it with their own
  // clock instead of start().
  int tick(std::int64_t now_ms);

 private:
  void loop();

  store::Store& store_;
  engine::Engine& engine_;

  std::mutex mu_;
  std::condition_variable cv_;
  bool stopping_ = false;
  bool woken_ = false;
  // Runs started but not yet recorded in the store: schedule id -> run time.
  std::map<std::string, std::int64_t> starting_;
  // Runs recorded here before the store confirms them (so a slow store
  // cannot make a schedule run twice).
  std::map<std::string, std::int64_t> last_run_;
  std::thread thread_;
};

}  // namespace atio::server
