// The live feeds' wake-ups: readers run on the hub's thread, each wait runs
// once, and a change between a reader's look and its wait is not missed.
#include "atio/core/event_hub.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <future>
#include <thread>

namespace atio {
namespace {

using namespace std::chrono_literals;

TEST(EventHub, NotifyWakesAWaitingReaderOnTheHubsThread) {
  EventHub hub(std::chrono::hours(1));
  std::promise<std::thread::id> woke;
  hub.wait(hub.generation(), [&woke] { woke.set_value(std::this_thread::get_id()); });
  hub.notify();
  auto f = woke.get_future();
  ASSERT_EQ(f.wait_for(10s), std::future_status::ready);
  EXPECT_NE(f.get(), std::this_thread::get_id());
}

TEST(EventHub, AChangeBeforeTheWaitIsNotMissed) {
  EventHub hub(std::chrono::hours(1));
  const std::uint64_t seen = hub.generation();
  hub.notify();  // nobody waits yet
  std::promise<void> woke;
  hub.wait(seen, [&woke] { woke.set_value(); });
  EXPECT_EQ(woke.get_future().wait_for(10s), std::future_status::ready);
}

TEST(EventHub, WithoutAChangeAReaderWaitsForTheHeartbeat) {
  EventHub hub(std::chrono::hours(1));
  std::atomic<int> woke{0};
  hub.wait(hub.generation(), [&woke] { ++woke; });
  std::this_thread::sleep_for(50ms);
  EXPECT_EQ(woke.load(), 0);  // an hour's heartbeat, no notify: still waiting
  hub.notify();
  for (int i = 0; i < 1000 && woke.load() == 0; ++i) std::this_thread::sleep_for(10ms);
  EXPECT_EQ(woke.load(), 1);
  hub.notify();  // a callback runs once
  std::this_thread::sleep_for(50ms);
  EXPECT_EQ(woke.load(), 1);
}

TEST(EventHub, TheHeartbeatWakesIdleReaders) {
  EventHub hub(20ms);
  std::promise<void> woke;
  hub.wait(hub.generation(), [&woke] { woke.set_value(); });
  EXPECT_EQ(woke.get_future().wait_for(10s), std::future_status::ready);
}

TEST(EventHub, ShutDownRunsEveryWaitingReaderAndLaterWaitsAtOnce) {
  EventHub hub(std::chrono::hours(1));
  int woke = 0;
  hub.wait(hub.generation(), [&woke] { ++woke; });
  hub.wait(hub.generation(), [&woke] { ++woke; });
  hub.shut_down();
  EXPECT_EQ(woke, 2);
  hub.wait(hub.generation(), [&woke] { ++woke; });
  EXPECT_EQ(woke, 3);
}

}  // namespace
}  // namespace atio
