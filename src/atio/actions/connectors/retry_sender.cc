#include "atio/actions/connectors/retry_sender.h"

#include <algorithm>
#include <condition_variable>
#include <mutex>
#include <random>
#include <thread>
#include <vector>

#include "atio/core/thread_name.h"

namespace atio::actions::connectors {

namespace {

using Clock = std::chrono::steady_clock;
constexpr std::chrono::milliseconds kCancelPoll{50};

double jitter_unit() {
  thread_local std::mt19937_64 rng{std::random_device{}()};
  return std::uniform_real_distribution<double>(0.0, 1.0)(rng);
}

// One logical request between attempts.
struct Pending {
  RetrySender::Attempt attempt;
  std::shared_ptr<CancelToken> cancel;
  Clock::time_point deadline;
  std::function<void(Exchange)> done;
  Exchange last;
};

}  // namespace

struct RetrySender::State : std::enable_shared_from_this<State> {
  HttpClient& client;
  RetryPolicy policy;

  std::mutex mu;
  std::condition_variable changed;
  bool stopping = false;  // GUARDED_BY(mu)
  struct Wait {
    Clock::time_point when;
    std::shared_ptr<CancelToken> cancel;
    std::function<void(bool aborted)> then;
  };
  std::vector<Wait> waits;  // GUARDED_BY(mu)
  std::thread thread;

  State(HttpClient& c, RetryPolicy p) : client(c), policy(p) {}

  void start_thread() {
    thread = named_thread("atio-retry", [self = shared_from_this()] { self->run(); });
  }

  void attempt(std::shared_ptr<Pending> call) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(call->deadline -
                                                                      Clock::now());
    if (left.count() <= 0) {
      if (call->last.attempts == 0) {
        call->last.response.status = Status(Code::kTimeout, "the step's timeout had passed");
        deliver(std::move(call));
      } else {
        finish(std::move(call), "the step's timeout was reached");
      }
      return;
    }
    call->attempt(left, [self = shared_from_this(), call](HttpResponse r) mutable {
      self->answered(std::move(call), std::move(r));
    });
  }

  void answered(std::shared_ptr<Pending> call, HttpResponse response) {
    call->last.response = std::move(response);
    call->last.attempts += 1;
    const HttpResponse& r = call->last.response;
    if (!retryable(r)) {
      deliver(std::move(call));
      return;
    }
    if (call->cancel && call->cancel->cancelled()) {
      // Cancelled while the attempt was out: no wait, no further attempt.
      call->last.response.status = Status(Code::kAborted, "request cancelled");
      call->last.response.http_status = 0;
      deliver(std::move(call));
      return;
    }
    if (call->last.attempts >= policy.max_attempts) {
      finish(std::move(call), "after " + std::to_string(call->last.attempts) + " attempts");
      return;
    }
    auto delay = next_delay(policy, call->last.attempts, r, jitter_unit(),
                            std::chrono::system_clock::now());
    Clock::time_point when = Clock::now() + delay;
    if (when >= call->deadline) {
      finish(std::move(call), "the next attempt (in " + std::to_string(delay.count()) +
                                  " ms) would pass the step's timeout");
      return;
    }
    auto cancel = call->cancel;
    wait(when, std::move(cancel), [self = shared_from_this(), call](bool aborted) mutable {
      if (!aborted) return self->attempt(std::move(call));
      if (call->cancel && call->cancel->cancelled()) {
        call->last.response.status = Status(Code::kAborted, "request cancelled");
        call->last.response.http_status = 0;
        return deliver(std::move(call));
      }
      self->finish(std::move(call), "atio is shutting down");
    });
  }

  void wait(Clock::time_point when, std::shared_ptr<CancelToken> cancel,
            std::function<void(bool)> then) {
    {
      std::lock_guard<std::mutex> lock(mu);
      if (!stopping) {
        waits.push_back({when, std::move(cancel), std::move(then)});
        changed.notify_all();
        return;
      }
    }
    then(true);
  }

  void finish(std::shared_ptr<Pending> call, std::string why) {
    call->last.gave_up = std::move(why);
    deliver(std::move(call));
  }

  static void deliver(std::shared_ptr<Pending> call) {
    auto done = std::move(call->done);
    Exchange ex = std::move(call->last);
    call.reset();
    done(std::move(ex));
  }

  void run() {
    std::unique_lock<std::mutex> lock(mu);
    while (!stopping) {
      Clock::time_point now = Clock::now();
      std::vector<std::pair<bool, std::function<void(bool)>>> ready;  // (aborted, then)
      for (auto it = waits.begin(); it != waits.end();) {
        bool cancelled = it->cancel && it->cancel->cancelled();
        if (cancelled || it->when <= now) {
          ready.emplace_back(cancelled, std::move(it->then));
          it = waits.erase(it);
        } else {
          ++it;
        }
      }
      if (!ready.empty()) {
        lock.unlock();
        for (auto& [aborted, then] : ready) then(aborted);
        lock.lock();
        continue;
      }
      Clock::time_point wake = now + std::chrono::hours(1);
      for (const auto& w : waits) {
        wake = std::min(wake, w.cancel ? std::min(w.when, now + kCancelPoll) : w.when);
      }
      changed.wait_until(lock, wake);
    }
    std::vector<Wait> rest;
    rest.swap(waits);
    lock.unlock();
    for (auto& w : rest) w.then(true);
  }

  void stop() {
    {
      std::lock_guard<std::mutex> lock(mu);
      stopping = true;
    }
    changed.notify_all();
    if (thread.get_id() == std::this_thread::get_id()) {
      thread.detach();
    } else if (thread.joinable()) {
      thread.join();
    }
  }
};

RetrySender::RetrySender(HttpClient& client, RetryPolicy policy)
    : state_(std::make_shared<State>(client, policy)) {
  state_->start_thread();
}

RetrySender::~RetrySender() { state_->stop(); }

void RetrySender::after(std::chrono::milliseconds delay, std::shared_ptr<CancelToken> cancel,
                        std::function<void(bool aborted)> then) {
  state_->wait(Clock::now() + delay, std::move(cancel), std::move(then));
}

const RetryPolicy& RetrySender::policy() const { return state_->policy; }

void RetrySender::send(HttpRequest request, std::chrono::steady_clock::time_point deadline,
                       std::function<void(Exchange)> done) {
  auto cancel = request.cancel;
  HttpClient& client = state_->client;
  retry(
      [&client, request = std::move(request)](std::chrono::milliseconds left,
                                              std::function<void(HttpResponse)> answered) {
        HttpRequest attempt = request;
        attempt.timeout = left;
        client.send(std::move(attempt), std::move(answered));
      },
      deadline, std::move(cancel), std::move(done));
}

void RetrySender::retry(Attempt attempt, std::chrono::steady_clock::time_point deadline,
                        std::shared_ptr<CancelToken> cancel, std::function<void(Exchange)> done) {
  auto call = std::make_shared<Pending>();
  call->attempt = std::move(attempt);
  call->cancel = std::move(cancel);
  call->deadline = deadline;
  call->done = std::move(done);
  state_->attempt(std::move(call));
}

}  // namespace atio::actions::connectors
