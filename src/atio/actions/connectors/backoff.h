// When a connector tries a request again, and how long it waits first.
//
// Retried: HTTP 429 and 5xx answers (except 501 and 505: the server does not
// support the method or the HTTP version, which no retry can cure), and requests that got no answer because the
// connection failed (kUnavailable: refused, reset, TLS or name errors).
// Not retried: any other answer, a malformed request, an over-large answer,
// a timeout (each attempt gets the whole time left, so a timeout means the
// step's time is up) and a cancellation.
//
// Wait before attempt n+1 (n = attempts made so far, from 1):
//   - the answer's Retry-After (delay-seconds or an HTTP-date, RFC 9110
//     section 10.2.3) when it has one, as the server asked;
//   - else exponential backoff with "equal jitter": with
//     base = min(max_delay, initial_delay * 2^(n-1)), a wait drawn
//     uniformly from [base/2, base]. The jitter spreads the retries of many
//     executions that failed together, so they do not hit the product at
//     the same instant again.
// No attempt starts once max_attempts were made, and no wait is begun that
// would end after the step's deadline: the step then fails at once with the
// last answer, rather than sleeping into its own timeout.
#pragma once

#include <chrono>
#include <optional>
#include <string_view>

#include "atio/actions/http/http_client.h"

namespace atio::actions::connectors {

struct RetryPolicy {
  int max_attempts = 6;  // including the first
  std::chrono::milliseconds initial_delay{500};
  std::chrono::milliseconds max_delay{30000};
};

// Whether a finished attempt is worth another.
bool retryable(const HttpResponse& response);

// Retry-After as a wait from `now`: "120" is 120 s, an IMF-fixdate
// ("Wed, 21 Oct 2015 07:28:00 GMT") is the time until then (0 when past).
// nullopt when absent or unreadable (then the backoff applies).
std::optional<std::chrono::milliseconds> retry_after(
    const HttpHeaders& headers, std::chrono::system_clock::time_point now);

// The wait before the next attempt after `attempts` attempts, the last one
// answered `response`. `unit` is a uniform random number in [0, 1) (the
// jitter); tests pass fixed values.
std::chrono::milliseconds next_delay(const RetryPolicy& policy, int attempts,
                                     const HttpResponse& response, double unit,
                                     std::chrono::system_clock::time_point now);

}  // namespace atio::actions::connectors
