#include "atio/actions/connectors/backoff.h"

#include <algorithm>
#include <cctype>
#include <ctime>
#include <string>

#include "atio/core/text.h"

namespace atio::actions::connectors {

bool retryable(const HttpResponse& response) {
  if (!response.status.is_ok()) return response.status.code() == Code::kUnavailable;
  long s = response.http_status;
  return s == 429 || (s >= 500 && s <= 599 && s != 501 && s != 505);
}

namespace {

// IMF-fixdate, the form RFC 9110 requires senders to use.
std::optional<std::chrono::system_clock::time_point> http_date(std::string_view text) {
  std::tm tm{};
  std::string s(text);
  const char* end = strptime(s.c_str(), "%a, %d %b %Y %H:%M:%S GMT", &tm);
  if (end == nullptr || *end != '\0') return std::nullopt;
  std::time_t t = timegm(&tm);
  if (t == static_cast<std::time_t>(-1)) return std::nullopt;
  return std::chrono::system_clock::from_time_t(t);
}

}  // namespace

std::optional<std::chrono::milliseconds> retry_after(
    const HttpHeaders& headers, std::chrono::system_clock::time_point now) {
  for (const auto& [name, raw] : headers) {
    if (!iequals(name, "Retry-After")) continue;
    std::string_view value = raw;
    while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
    while (!value.empty() && value.back() == ' ') value.remove_suffix(1);
    if (!value.empty() && value.size() <= 9 &&
        std::all_of(value.begin(), value.end(), [](char c) { return c >= '0' && c <= '9'; })) {
      return std::chrono::seconds(std::stol(std::string(value)));
    }
    if (auto when = http_date(value)) {
      auto wait = std::chrono::duration_cast<std::chrono::milliseconds>(*when - now);
      return std::max(wait, std::chrono::milliseconds(0));
    }
    return std::nullopt;
  }
  return std::nullopt;
}

std::chrono::milliseconds next_delay(const RetryPolicy& policy, int attempts,
                                     const HttpResponse& response, double unit,
                                     std::chrono::system_clock::time_point now) {
  if (response.status.is_ok()) {
    if (auto asked = retry_after(response.headers, now)) return *asked;
  }
  double base = static_cast<double>(policy.initial_delay.count());
  for (int i = 1; i < attempts && base < static_cast<double>(policy.max_delay.count()); ++i) {
    base *= 2;
  }
  base = std::min(base, static_cast<double>(policy.max_delay.count()));
  unit = std::clamp(unit, 0.0, 1.0);
  return std::chrono::milliseconds(static_cast<long long>(base / 2 + unit * base / 2));
}

}  // namespace atio::actions::connectors
