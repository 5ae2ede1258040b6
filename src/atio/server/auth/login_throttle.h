// Login rate limiting: after `max_failures` failed logins within `window`
// from one source address, or for one user name, further attempts from that
// address or for that name are refused (429 with Retry-After) until the
// oldest of those failures leaves the window. A refused attempt does not
// check the password, so guessing gains nothing by continuing.
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <mutex>
#include <string>
#include <string_view>

namespace atio::server::auth {

struct ThrottleOptions {
  int max_failures = 5;
  std::int64_t window_ms = 60'000;
  // Bounds the memory an attacker can make it use with many addresses or
  // names; past it, the entries with the oldest last failure go first.
  std::size_t max_entries = 100'000;
};

class LoginThrottle {
 public:
  explicit LoginThrottle(ThrottleOptions options = {}) : options_(options) {}

  // Milliseconds until an attempt from `source` for `user_name` may be
  // made; 0 when it may be made now. Names compare without ASCII case, as
  // the store does. Thread-safe.
  std::int64_t retry_after_ms(std::string_view source, std::string_view user_name,
                              std::int64_t now_ms);
  // Counts a failed attempt against both the address and the name.
  void record_failure(std::string_view source, std::string_view user_name, std::int64_t now_ms);
  // A successful login clears the name's failures (not the address's: an
  // attacker who owns one account must not reset the count of its address
  // by logging into it).
  void record_success(std::string_view user_name);

 private:
  struct Failures {
    std::deque<std::int64_t> times;  // oldest first, within the window
  };
  std::int64_t wait_ms(const std::string& key, std::int64_t now_ms);  // REQUIRES: mu_ held
  void add(const std::string& key, std::int64_t now_ms);               // REQUIRES: mu_ held
  void evict(std::int64_t now_ms);                                     // REQUIRES: mu_ held

  ThrottleOptions options_;
  std::mutex mu_;
  std::map<std::string, Failures> failures_;  // "ip:<addr>" or "user:<lower-case name>"
};

}  // namespace atio::server::auth
