// Login rate limiting: five failures within a minute, per address and per
// name, then refusal until the oldest failure is a minute old.
#include "atio/server/auth/login_throttle.h"

#include <gtest/gtest.h>

namespace atio::server::auth {
namespace {

constexpr std::int64_t kMinute = 60'000;

TEST(LoginThrottle, FiveFailuresThenWaitUntilTheFirstIsAMinuteOld) {
  LoginThrottle t;
  const std::int64_t t0 = 1'000'000;
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(t.retry_after_ms("10.0.0.1", "alice", t0 + i * 1000), 0) << i;
    t.record_failure("10.0.0.1", "alice", t0 + i * 1000);
  }
  EXPECT_EQ(t.retry_after_ms("10.0.0.1", "alice", t0 + 5000), kMinute - 5000);
  EXPECT_EQ(t.retry_after_ms("10.0.0.1", "alice", t0 + kMinute - 1), 1);
  EXPECT_EQ(t.retry_after_ms("10.0.0.1", "alice", t0 + kMinute), 0);
}

TEST(LoginThrottle, ANameIsLimitedFromEveryAddress) {
  LoginThrottle t;
  for (int i = 0; i < 5; ++i) t.record_failure("10.0.0." + std::to_string(i), "alice", 100 + i);
  EXPECT_GT(t.retry_after_ms("192.168.1.1", "alice", 200), 0);
  EXPECT_GT(t.retry_after_ms("192.168.1.1", "ALICE", 200), 0);  // names ignore case
  EXPECT_EQ(t.retry_after_ms("192.168.1.1", "bob", 200), 0);
}

TEST(LoginThrottle, AnAddressIsLimitedForEveryName) {
  LoginThrottle t;
  for (int i = 0; i < 5; ++i) t.record_failure("10.0.0.9", "user" + std::to_string(i), 100 + i);
  EXPECT_GT(t.retry_after_ms("10.0.0.9", "someone-else", 200), 0);
  EXPECT_EQ(t.retry_after_ms("10.0.0.10", "someone-else", 200), 0);
}

TEST(LoginThrottle, SuccessClearsTheNameButNotTheAddress) {
  LoginThrottle t;
  for (int i = 0; i < 5; ++i) t.record_failure("10.0.0.1", "alice", 100);
  t.record_success("Alice");
  EXPECT_GT(t.retry_after_ms("10.0.0.1", "alice", 200), 0);     // the address still waits
  EXPECT_EQ(t.retry_after_ms("10.0.0.2", "alice", 200), 0);     // the name does not
}

TEST(LoginThrottle, FewerFailuresThanTheLimitNeverWait) {
  LoginThrottle t;
  // Four failures a minute, for ten minutes: always under the limit.
  for (int i = 0; i < 40; ++i) {
    const std::int64_t now = i * (kMinute / 4);
    EXPECT_EQ(t.retry_after_ms("10.0.0.1", "alice", now), 0) << i;
    t.record_failure("10.0.0.1", "alice", now);
  }
}

TEST(LoginThrottle, MemoryIsBoundedByDroppingTheOldest) {
  ThrottleOptions o;
  o.max_entries = 10;
  LoginThrottle t(o);
  for (int i = 0; i < 5; ++i) t.record_failure("10.0.0.1", "victim", 1000 + i);
  // Many other names from other addresses, later: the victim's entries are
  // the oldest and go first, but no more entries than the bound are kept.
  for (int i = 0; i < 100; ++i) {
    t.record_failure("172.16.0." + std::to_string(i), "n" + std::to_string(i), 5000 + i);
  }
  EXPECT_EQ(t.retry_after_ms("10.0.0.1", "victim", 6000), 0);
  for (int i = 0; i < 4; ++i) t.record_failure("10.9.9.9", "recent", 7000);
  t.record_failure("10.9.9.9", "recent", 7001);
  EXPECT_GT(t.retry_after_ms("10.9.9.9", "recent", 7002), 0);
}

}  // namespace
}  // namespace atio::server::auth
