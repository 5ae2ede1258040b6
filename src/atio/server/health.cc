#include "atio/server/health.h"

#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <thread>

#include "atio/core/thread_name.h"
#include "atio/engine/engine.h"

namespace atio::server {

namespace {

using Clock = std::chrono::steady_clock;

std::string millis(Clock::duration d) {
  return std::to_string(std::chrono::duration_cast<std::chrono::milliseconds>(d).count()) + " ms";
}

}  // namespace

struct BoundedCheck::State {
  std::string what;
  Check check;
  std::chrono::milliseconds timeout;

  std::mutex mu;  // guards everything below
  std::condition_variable cv;
  std::thread thread;
  bool stopping = false;
  // Checks are numbered; `requested` > `finished` while one is wanted or in flight.
  std::uint64_t requested = 0;
  std::uint64_t finished = 0;
  Clock::time_point started;  // of the check in flight
  Status last;                // of check number `finished`

  void loop() {
    std::unique_lock<std::mutex> lk(mu);
    for (;;) {
      cv.wait(lk, [this] { return stopping || requested > finished; });
      if (requested == finished) return;  // stopping with nothing wanted
      const std::uint64_t n = requested;
      started = Clock::now();
      lk.unlock();
      Status s = check();
      lk.lock();
      last = std::move(s);
      finished = n;
      cv.notify_all();
      if (stopping) return;
    }
  }
};

BoundedCheck::BoundedCheck(std::string what, Check check, std::chrono::milliseconds timeout)
    : state_(std::make_shared<State>()) {
  state_->what = std::move(what);
  state_->check = std::move(check);
  state_->timeout = timeout;
}

BoundedCheck::~BoundedCheck() {
  std::thread t;
  {
    std::lock_guard<std::mutex> lk(state_->mu);
    state_->stopping = true;
    t = std::move(state_->thread);
  }
  state_->cv.notify_all();
  if (t.joinable()) t.join();
}

Status BoundedCheck::run() {
  State& s = *state_;
  std::unique_lock<std::mutex> lk(s.mu);
  if (s.stopping) return Status(Code::kUnavailable, s.what + " is not checked: shutting down");
  const auto now = Clock::now();
  if (s.requested > s.finished) {
    // One is in flight: join it, unless it has already overrun the bound.
    const auto running = now - s.started;
    if (running >= s.timeout) {
      return Status(Code::kUnavailable, s.what + " has not answered for " + millis(running));
    }
  } else {
    ++s.requested;
    s.started = now;
    if (!s.thread.joinable()) {
      s.thread = named_thread("atio-health", [state = state_] { state->loop(); });
    }
    s.cv.notify_all();
  }
  const std::uint64_t mine = s.requested;
  if (!s.cv.wait_until(lk, now + s.timeout, [&s, mine] { return s.finished >= mine; })) {
    return Status(Code::kUnavailable, s.what + " did not answer within " +
                                          millis(s.timeout));
  }
  return s.last;
}

Status engine_heartbeat(engine::Engine& engine, std::chrono::milliseconds timeout) {
  struct Beat {
    std::mutex mu;
    std::condition_variable cv;
    bool reached = false;
  };
  auto beat = std::make_shared<Beat>();
  engine.heartbeat([beat] {
    {
      std::lock_guard<std::mutex> lk(beat->mu);
      beat->reached = true;
    }
    beat->cv.notify_all();
  });
  std::unique_lock<std::mutex> lk(beat->mu);
  if (!beat->cv.wait_for(lk, timeout, [&beat] { return beat->reached; })) {
    return Status(Code::kUnavailable, "the engine's workers did not run a task within " +
                                          millis(timeout) + " (stopped, or every worker hangs)");
  }
  return Status::ok();
}

}  // namespace atio::server
