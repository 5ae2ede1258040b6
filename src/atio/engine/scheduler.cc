#include "atio/engine/scheduler.h"
#include "atio/core/thread_name.h"

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>

#include <atomic>
#include <shared_mutex>
#include <thread>
#include <vector>

namespace atio::engine {

namespace asio = boost::asio;

namespace {

// An io_context whose pending handlers can be destroyed without running
// them. Stopping the engine must drop the tasks still queued: they hold
// references to executions, and nothing else would ever release them.
class IoContext : public asio::io_context {
 public:
  void discard_pending() { shutdown(); }
};

// The timer lives on its own strand so that cancel(), called from any
// thread, never races with the wait completing. It keeps the io_context
// alive: a timer may be destroyed after the scheduler.
class AsioTimer final : public Scheduler::Timer,
                        public std::enable_shared_from_this<AsioTimer> {
 public:
  AsioTimer(std::shared_ptr<IoContext> io, std::chrono::milliseconds delay)
      : io_(std::move(io)), strand_(asio::make_strand(*io_)), timer_(strand_, delay) {}
  void cancel() override {
    if (cancelled_.exchange(true, std::memory_order_acq_rel)) return;
    asio::post(strand_, [self = shared_from_this()] { self->timer_.cancel(); });
  }
  bool cancelled() const { return cancelled_.load(std::memory_order_acquire); }
  asio::steady_timer& timer() { return timer_; }

 private:
  std::shared_ptr<IoContext> io_;
  asio::strand<asio::io_context::executor_type> strand_;
  asio::steady_timer timer_;
  std::atomic<bool> cancelled_{false};
};

class DeadTimer final : public Scheduler::Timer {
 public:
  void cancel() override {}
};

}  // namespace

struct Scheduler::Impl {
  std::shared_ptr<IoContext> io = std::make_shared<IoContext>();
  asio::executor_work_guard<asio::io_context::executor_type> guard{io->get_executor()};
  std::vector<std::thread> threads;
  std::shared_mutex mu;  // shared: post/after; unique: stop
  bool stopped = false;
};

Scheduler::Scheduler(std::size_t workers) : impl_(std::make_unique<Impl>()), workers_(workers) {
  if (workers_ == 0) workers_ = 1;
  for (std::size_t i = 0; i < workers_; ++i) {
    impl_->threads.push_back(named_thread("atio-worker", [this] { impl_->io->run(); }));
  }
}

Scheduler::~Scheduler() { stop(); }

void Scheduler::post(std::function<void()> task) {
  std::function<void()> dropped;  // destroyed after the lock is released
  {
    std::shared_lock<std::shared_mutex> lk(impl_->mu);
    if (impl_->stopped) {
      dropped = std::move(task);
    } else {
      asio::post(*impl_->io, std::move(task));
    }
  }
}

std::shared_ptr<Scheduler::Timer> Scheduler::after(std::chrono::milliseconds delay,
                                                   std::function<void()> task) {
  std::function<void()> dropped;
  std::shared_lock<std::shared_mutex> lk(impl_->mu);
  if (impl_->stopped) {
    dropped = std::move(task);
    return std::make_shared<DeadTimer>();
  }
  auto t = std::make_shared<AsioTimer>(impl_->io, delay);
  // The handler holds the timer alive until it fires or is cancelled.
  t->timer().async_wait([t, task = std::move(task)](const boost::system::error_code& ec) {
    if (!ec && !t->cancelled()) task();
  });
  return t;
}

void Scheduler::stop() {
  {
    std::unique_lock<std::shared_mutex> lk(impl_->mu);
    if (impl_->stopped) return;
    impl_->stopped = true;
  }
  impl_->guard.reset();
  impl_->io->stop();
  for (auto& t : impl_->threads) {
    if (t.joinable()) t.join();
  }
  impl_->io->discard_pending();
}

}  // namespace atio::engine
