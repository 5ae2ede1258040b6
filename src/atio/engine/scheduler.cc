#include "atio/engine/scheduler.h"

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>

#include <atomic>
#include <thread>
#include <vector>

namespace atio::engine {

namespace asio = boost::asio;

struct Scheduler::Impl {
  asio::io_context io;
  asio::executor_work_guard<asio::io_context::executor_type> guard{io.get_executor()};
  std::vector<std::thread> threads;
  std::atomic<bool> stopped{false};
};

namespace {

// The timer lives on its own strand so that cancel(), called from any
// thread, never races with the wait completing.
class AsioTimer final : public Scheduler::Timer,
                        public std::enable_shared_from_this<AsioTimer> {
 public:
  AsioTimer(asio::io_context& io, std::chrono::milliseconds delay)
      : strand_(asio::make_strand(io)), timer_(strand_, delay) {}
  void cancel() override {
    if (cancelled_.exchange(true, std::memory_order_acq_rel)) return;
    asio::post(strand_, [self = shared_from_this()] { self->timer_.cancel(); });
  }
  bool cancelled() const { return cancelled_.load(std::memory_order_acquire); }
  asio::steady_timer& timer() { return timer_; }

 private:
  asio::strand<asio::io_context::executor_type> strand_;
  asio::steady_timer timer_;
  std::atomic<bool> cancelled_{false};
};

}  // namespace

Scheduler::Scheduler(std::size_t workers) : impl_(std::make_unique<Impl>()), workers_(workers) {
  if (workers_ == 0) workers_ = 1;
  for (std::size_t i = 0; i < workers_; ++i) {
    impl_->threads.emplace_back([this] { impl_->io.run(); });
  }
}

Scheduler::~Scheduler() { stop(); }

void Scheduler::post(std::function<void()> task) {
  asio::post(impl_->io, std::move(task));
}

std::shared_ptr<Scheduler::Timer> Scheduler::after(std::chrono::milliseconds delay,
                                                   std::function<void()> task) {
  auto t = std::make_shared<AsioTimer>(impl_->io, delay);
  // The handler holds the timer alive until it fires or is cancelled.
  t->timer().async_wait([t, task = std::move(task)](const boost::system::error_code& ec) {
    if (!ec && !t->cancelled()) task();
  });
  return t;
}

void Scheduler::stop() {
  if (impl_->stopped.exchange(true)) return;
  impl_->guard.reset();
  impl_->io.stop();
  for (auto& t : impl_->threads) {
    if (t.joinable()) t.join();
  }
}

}  // namespace atio::engine
