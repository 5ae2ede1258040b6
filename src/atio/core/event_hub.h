// Wakes the readers of live feeds (server-sent events) when something they
// show has changed, and every `heartbeat` so they can keep idle connections
// alive and find closed ones.
//
// Contract: notify() only marks a change and returns; the waiting callbacks
// run on the hub's own thread, never on the notifier's. So a writer on a hot
// path (the engine's workers, the store's writer) never runs a reader's code,
// and a burst of changes wakes each waiting reader once. A callback runs
// once; a reader that wants the next change waits again.
//
// No change is missed between a reader's look and its wait: the reader
// takes generation() before it reads what it shows and passes it to wait();
// a notify() after that wakes it even if it came before the wait().
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace atio {

class EventHub {
 public:
  explicit EventHub(std::chrono::milliseconds heartbeat = std::chrono::seconds(15));
  ~EventHub();
  EventHub(const EventHub&) = delete;
  EventHub& operator=(const EventHub&) = delete;

  // Counts notify() calls.
  std::uint64_t generation();
  // `fn` runs once, on the hub's thread: soon when notify() was called since
  // generation() answered `seen`, else after the next notify() or heartbeat;
  // at once (on the caller's thread) after shut_down().
  void wait(std::uint64_t seen, std::function<void()> fn);
  // Thread-safe and cheap: a lock and, when someone waits, a wake-up.
  void notify();
  // Runs every waiting callback and stops the thread; later wait()s run
  // their callback at once.
  void shut_down();

 private:
  void run();
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<std::function<void()>> waiting_;
  std::uint64_t generation_ = 0;
  bool changed_ = false;  // notified since the thread last woke its readers
  bool stopping_ = false;
  std::chrono::milliseconds heartbeat_;
  std::thread thread_;
};

}  // namespace atio
