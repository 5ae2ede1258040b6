#include "atio/actions/connectors/blocking_pool.h"

#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>
#include <vector>

#include "atio/core/thread_name.h"

namespace atio::actions::connectors {

struct BlockingPool::State {
  std::mutex mu;
  std::condition_variable changed;
  std::deque<std::function<void(bool)>> jobs;  // GUARDED_BY(mu)
  bool stopping = false;                       // GUARDED_BY(mu)
  std::vector<std::thread> threads;

  void run() {
    std::unique_lock<std::mutex> lock(mu);
    for (;;) {
      changed.wait(lock, [&] { return stopping || !jobs.empty(); });
      if (stopping) return;
      auto job = std::move(jobs.front());
      jobs.pop_front();
      lock.unlock();
      job(false);
      lock.lock();
    }
  }
};

BlockingPool::BlockingPool(std::size_t threads) : state_(std::make_unique<State>()) {
  for (std::size_t i = 0; i < (threads == 0 ? 1 : threads); ++i) {
    state_->threads.push_back(named_thread("atio-blocking", [s = state_.get()] { s->run(); }));
  }
}

BlockingPool::~BlockingPool() {
  std::deque<std::function<void(bool)>> rest;
  {
    std::lock_guard<std::mutex> lock(state_->mu);
    state_->stopping = true;
    rest.swap(state_->jobs);
  }
  state_->changed.notify_all();
  for (auto& t : state_->threads) t.join();
  for (auto& job : rest) job(true);
}

void BlockingPool::post(std::function<void(bool aborted)> job) {
  {
    std::lock_guard<std::mutex> lock(state_->mu);
    if (!state_->stopping) {
      state_->jobs.push_back(std::move(job));
      state_->changed.notify_one();
      return;
    }
  }
  job(true);
}

}  // namespace atio::actions::connectors
