// Sends one logical request through an HttpClient, trying it again after
// retryable failures (429, 5xx, connection errors; see backoff.h) until it
// succeeds, fails for good, the deadline comes, or the request's cancel
// token is cancelled. Every connector sends through one of these.
//
// Each attempt is the same request (same body, same Idempotency-Key, so a
// product that honours the key can recognise a repeat), with the time left
// until the deadline as its timeout. Waits between attempts hold no thread:
// one timer thread per RetrySender runs them, and a cancelled token ends a
// wait within the HttpClient's cancel poll interval (50 ms).
//
// Threads: send() may be called from any thread, including from a `done`
// callback. `done` is called exactly once, on the HttpClient's thread or the
// timer thread (or inline when the deadline has already passed).
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include "atio/actions/connectors/backoff.h"
#include "atio/actions/http/http_client.h"

namespace atio::actions::connectors {

// The end of one logical request.
struct Exchange {
  HttpResponse response;  // of the last attempt
  int attempts = 0;
  // Why no further attempt was made although the last one was retryable
  // ("" when it was not retryable): e.g. "after 6 attempts", "the next
  // attempt (in 2000 ms) would pass the step's timeout".
  std::string gave_up;
};

class RetrySender {
 public:
  // REQUIRES: `client` outlives this object.
  explicit RetrySender(HttpClient& client, RetryPolicy policy = {});
  // Waits not yet over complete at once with their last response and
  // gave_up "atio is shutting down"; attempts still in flight complete as
  // their HttpClient request does, without a further attempt.
  ~RetrySender();
  RetrySender(const RetrySender&) = delete;
  RetrySender& operator=(const RetrySender&) = delete;

  // `request.timeout` is replaced by the time left until `deadline` on each
  // attempt. `request.cancel` (may be null) stops waits and attempts.
  void send(HttpRequest request, std::chrono::steady_clock::time_point deadline,
            std::function<void(Exchange)> done);

  // One attempt of a request that is not an HttpClient request (a syslog
  // frame, an SMTP transaction): started with the time left until the
  // deadline, it reports its end through `answered` exactly once, from any
  // thread. A non-HTTP failure is retried when its status is kUnavailable
  // (retryable() in backoff.h), e.g. a refused connection or an SMTP 4xx.
  using Attempt = std::function<void(std::chrono::milliseconds left,
                                     std::function<void(HttpResponse)> answered)>;
  // Runs `attempt` and tries it again exactly as send() does a request.
  void retry(Attempt attempt, std::chrono::steady_clock::time_point deadline,
             std::shared_ptr<CancelToken> cancel, std::function<void(Exchange)> done);

  // Calls `then(false)` after `delay`, or `then(true)` as soon as `cancel`
  // (may be null) is cancelled or the sender shuts down. For connectors that
  // retry part of an answer (OpenSearch _bulk items); holds no thread.
  void after(std::chrono::milliseconds delay, std::shared_ptr<CancelToken> cancel,
             std::function<void(bool aborted)> then);

  const RetryPolicy& policy() const;

 private:
  struct State;
  std::shared_ptr<State> state_;
};

}  // namespace atio::actions::connectors
