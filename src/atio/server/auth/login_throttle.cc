#include "atio/server/auth/login_throttle.h"

#include <algorithm>
#include <vector>

#include "atio/core/text.h"

namespace atio::server::auth {

namespace {

std::string ip_key(std::string_view source) { return "ip:" + std::string(source); }
std::string user_key(std::string_view name) { return "user:" + ascii_lower(name); }

}  // namespace

std::int64_t LoginThrottle::wait_ms(const std::string& key, std::int64_t now_ms) {
  auto it = failures_.find(key);
  if (it == failures_.end()) return 0;
  auto& times = it->second.times;
  while (!times.empty() && times.front() <= now_ms - options_.window_ms) times.pop_front();
  if (times.empty()) {
    failures_.erase(it);
    return 0;
  }
  if (static_cast<int>(times.size()) < options_.max_failures) return 0;
  // Allowed again once enough failures have left the window to go below
  // the limit.
  const std::int64_t t = times[times.size() - static_cast<std::size_t>(options_.max_failures)];
  return std::max<std::int64_t>(1, t + options_.window_ms - now_ms);
}

std::int64_t LoginThrottle::retry_after_ms(std::string_view source, std::string_view user_name,
                                           std::int64_t now_ms) {
  std::lock_guard<std::mutex> lk(mu_);
  return std::max(wait_ms(ip_key(source), now_ms), wait_ms(user_key(user_name), now_ms));
}

void LoginThrottle::add(const std::string& key, std::int64_t now_ms) {
  auto& times = failures_[key].times;
  times.push_back(now_ms);
  // Only the last max_failures matter for the answer.
  while (static_cast<int>(times.size()) > options_.max_failures) times.pop_front();
}

void LoginThrottle::evict(std::int64_t now_ms) {
  if (failures_.size() <= options_.max_entries) return;
  for (auto it = failures_.begin(); it != failures_.end();) {
    if (it->second.times.back() <= now_ms - options_.window_ms) {
      it = failures_.erase(it);
    } else {
      ++it;
    }
  }
  if (failures_.size() <= options_.max_entries) return;
  std::vector<std::pair<std::int64_t, std::string>> by_age;
  by_age.reserve(failures_.size());
  for (const auto& [k, f] : failures_) by_age.emplace_back(f.times.back(), k);
  const std::size_t excess = failures_.size() - options_.max_entries;
  std::nth_element(by_age.begin(), by_age.begin() + static_cast<std::ptrdiff_t>(excess),
                   by_age.end());
  for (std::size_t i = 0; i < excess; ++i) failures_.erase(by_age[i].second);
}

void LoginThrottle::record_failure(std::string_view source, std::string_view user_name,
                                   std::int64_t now_ms) {
  std::lock_guard<std::mutex> lk(mu_);
  add(ip_key(source), now_ms);
  add(user_key(user_name), now_ms);
  evict(now_ms);
}

void LoginThrottle::record_success(std::string_view user_name) {
  std::lock_guard<std::mutex> lk(mu_);
  failures_.erase(user_key(user_name));
}

}  // namespace atio::server::auth
