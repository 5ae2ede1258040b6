#include "atio/server/schedule_runner.h"
#include "atio/core/clock.h"
#include "atio/core/thread_name.h"

#include <chrono>
#include <iostream>

#include "atio/server/cron.h"

namespace atio::server {

namespace bj = boost::json;

std::optional<std::int64_t> next_run_ms(const store::ScheduleRecord& s) {
  const std::int64_t base = s.last_run_at_ms ? s.last_run_at_ms : s.created_at_ms;
  if (s.interval_seconds > 0) return base + s.interval_seconds * 1000;
  auto cron = CronSchedule::parse(s.cron);
  if (!cron.is_ok()) return std::nullopt;
  return cron->next_after(base);
}

ScheduleRunner::ScheduleRunner(store::Store& store, engine::Engine& engine)
    : store_(store), engine_(engine) {}

ScheduleRunner::~ScheduleRunner() { stop(); }

void ScheduleRunner::start() {
  std::lock_guard<std::mutex> lk(mu_);
  if (thread_.joinable()) return;
  stopping_ = false;
  thread_ = named_thread("atio-schedules", [this] { loop(); });
}

void ScheduleRunner::stop() {
  {
    std::lock_guard<std::mutex> lk(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
  // Starts in flight call back into this object: wait for them.
  std::unique_lock<std::mutex> lk(mu_);
  cv_.wait_for(lk, std::chrono::seconds(30), [this] { return starting_.empty(); });
}

void ScheduleRunner::notify() {
  {
    std::lock_guard<std::mutex> lk(mu_);
    woken_ = true;
  }
  cv_.notify_all();
}

void ScheduleRunner::loop() {
  for (;;) {
    (void)tick(wall_ms());
    std::unique_lock<std::mutex> lk(mu_);
    cv_.wait_for(lk, std::chrono::seconds(1), [this] { return stopping_ || woken_; });
    if (stopping_) return;
    woken_ = false;
  }
}

int ScheduleRunner::tick(std::int64_t now_ms) {
  auto schedules = store_.list_schedules();
  if (!schedules.is_ok()) {
    std::cerr << "atio: schedules: " << schedules.status().to_string() << "\n";
    return 0;
  }
  int started = 0;
  for (auto& s : *schedules) {
    // The run recorded in the store: the batch that starts this due time
    // records the next one only if it is still that (another node may have
    // started it first), so a due time starts one execution in the cluster.
    const std::int64_t stored_last_run = s.last_run_at_ms;
    {
      std::lock_guard<std::mutex> lk(mu_);
      if (starting_.count(s.id)) continue;
      auto it = last_run_.find(s.id);
      if (it != last_run_.end() && it->second > s.last_run_at_ms) s.last_run_at_ms = it->second;
      auto next = next_run_ms(s);
      if (!next || *next > now_ms) continue;
      starting_[s.id] = now_ms;
    }
    ++started;
    bj::object trigger{{"kind", "schedule"}, {"schedule_id", s.id}, {"schedule_name", s.name}};
    const std::string id = s.id;
    auto record_run = [id, now_ms, stored_last_run](const std::vector<std::string>&) {
      return std::vector<store::WriteOp>{store::MarkScheduleRun{id, now_ms, stored_last_run}};
    };
    engine_.start(s.playbook_id, {s.variables}, std::move(trigger),
                  [this, id, now_ms, stored_last_run](Result<std::vector<std::string>> ids) {
                    // Another node started this due time: nothing to record.
                    const bool taken =
                        !ids.is_ok() && ids.status().code() == Code::kAlreadyExists;
                    // A full engine leaves the schedule due, so it runs at a
                    // later tick; any other failure counts as this slot's run
                    // (retrying every second would only repeat the error).
                    const bool retry = taken || (!ids.is_ok() &&
                                                 ids.status().code() == Code::kResourceExhausted);
                    if (!ids.is_ok() && !taken) {
                      std::cerr << "atio: schedule " << id << ": " << ids.status().to_string()
                                << "\n";
                    }
                    // The runner forgets the start before the store records
                    // the run, so whoever sees the run in the store finds the
                    // runner ready for the next slot. The store outlives the
                    // runner; once the lock is released this object may be
                    // gone (stop() waits for starting_ to empty), so only the
                    // local reference is used after it.
                    store::Store& store = store_;
                    {
                      std::lock_guard<std::mutex> lk(mu_);
                      starting_.erase(id);
                      if (!retry) last_run_[id] = now_ms;
                      cv_.notify_all();
                    }
                    // A started execution recorded the run in its own batch.
                    if (!retry && !ids.is_ok()) {
                      store.submit({store::MarkScheduleRun{id, now_ms, stored_last_run}}, nullptr);
                    }
                  },
                  record_run);
  }
  return started;
}

}  // namespace atio::server
