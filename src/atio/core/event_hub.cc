#include "atio/core/event_hub.h"

#include "atio/core/thread_name.h"

namespace atio {

EventHub::EventHub(std::chrono::milliseconds heartbeat) : heartbeat_(heartbeat) {
  thread_ = named_thread("atio-feed", [this] { run(); });
}

EventHub::~EventHub() { shut_down(); }

void EventHub::run() {
  std::unique_lock<std::mutex> lk(mu_);
  while (!stopping_) {
    cv_.wait_for(lk, heartbeat_, [this] { return stopping_ || changed_; });
    if (stopping_) break;
    changed_ = false;
    std::vector<std::function<void()>> now;
    now.swap(waiting_);
    lk.unlock();
    for (auto& fn : now) fn();
    lk.lock();
  }
}

std::uint64_t EventHub::generation() {
  std::lock_guard<std::mutex> lk(mu_);
  return generation_;
}

void EventHub::wait(std::uint64_t seen, std::function<void()> fn) {
  bool wake = false;
  {
    std::lock_guard<std::mutex> lk(mu_);
    if (!stopping_) {
      waiting_.push_back(std::move(fn));
      if (seen != generation_ && !changed_) wake = changed_ = true;
      if (!wake) return;
    }
  }
  if (wake) return cv_.notify_one();
  fn();  // shut down: at once
}

void EventHub::notify() {
  {
    std::lock_guard<std::mutex> lk(mu_);
    ++generation_;
    if (waiting_.empty() || changed_) return;
    changed_ = true;
  }
  cv_.notify_one();
}

void EventHub::shut_down() {
  {
    std::lock_guard<std::mutex> lk(mu_);
    if (stopping_ && !thread_.joinable()) return;
    stopping_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
  std::vector<std::function<void()>> now;
  {
    std::lock_guard<std::mutex> lk(mu_);
    now.swap(waiting_);
  }
  for (auto& fn : now) fn();
}

}  // namespace atio
