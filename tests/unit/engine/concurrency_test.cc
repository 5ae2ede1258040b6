// Many executions at once on a small worker pool: every one finishes, and a
// slow outside call does not hold up the others.
#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <thread>

#include "atio/actions/builtin.h"
#include "atio/core/ids.h"
#include "atio/core/json.h"
#include "atio/engine/engine.h"
#include "atio/engine/playbook_source.h"
#include "atio/store/sqlite/sqlite_store.h"
#include "support/engine_world.h"
#include "support/http_receiver.h"

namespace atio::engine {
namespace {

namespace fs = std::filesystem;

std::string playbook(const std::string& id, const std::string& url) {
  return R"({"type":"playbook","spec_version":"cacao-2.0","id":")" + id + R"(","name":"p",
    "created_by":"identity--00000000-0000-4000-8000-000000000002",
    "created":"2026-01-01T00:00:00.000Z","modified":"2026-01-01T00:00:00.000Z",
    "agent_definitions":{"individual--8a7c2f4e-5b1d-4c3a-9e8f-1a2b3c4d5e6f":{"type":"individual","name":"soc"}},
    "workflow_start":"start--00000000-0000-4000-8000-000000000010",
    "workflow":{
      "start--00000000-0000-4000-8000-000000000010":{"type":"start","on_completion":"action--00000000-0000-4000-8000-000000000011"},
      "action--00000000-0000-4000-8000-000000000011":{"type":"action","agent":"individual--8a7c2f4e-5b1d-4c3a-9e8f-1a2b3c4d5e6f",
        "commands":[{"type":"http-api","command":"GET )" + url + R"( HTTP/1.1"}],
        "on_completion":"end--00000000-0000-4000-8000-000000000014"},
      "end--00000000-0000-4000-8000-000000000014":{"type":"end"}}})";
}

TEST(Concurrency, SlowCallsDoNotBlockOtherExecutions) {
  atio::testing::HttpReceiver rx;
  atio::testing::Reply slow;
  slow.delay = std::chrono::milliseconds(3000);
  rx.set_reply("/slow", slow);
  {
    atio::testing::EngineWorld w;
    const std::string slow_id = "playbook--00000000-0000-4000-8000-0000000000a1";
    const std::string fast_id = "playbook--00000000-0000-4000-8000-0000000000a2";
    for (auto [id, path] : {std::pair{slow_id, "/slow"}, std::pair{fast_id, "/fast"}}) {
      std::string error;
      ASSERT_TRUE(w.add_playbook(playbook(id, rx.url(path)), &error)) << error;
    }
    ASSERT_EQ(w.open_store(), "");
    auto* st = &w.store;
    EngineOptions eo;
    eo.workers = 2;
    Engine engine(eo, *w.store, w.registry, w.source, w.board);
    // 8 slow executions (more than the 2 workers), then 200 fast ones.
    auto slow_ids = engine.start_sync(slow_id, std::vector<boost::json::object>(8), {});
    ASSERT_TRUE(slow_ids.is_ok());
    ASSERT_TRUE(rx.wait_for_requests(8, std::chrono::seconds(10)));
    auto fast_ids = engine.start_sync(fast_id, std::vector<boost::json::object>(200), {});
    ASSERT_TRUE(fast_ids.is_ok());
    // Every fast execution finishes while the slow calls are still pending.
    for (int i = 0; i < 1000; ++i) {
      int finished = 0;
      for (const auto& id : *fast_ids) {
        auto e = (*st)->get_execution(id);
        if (e.is_ok() && *e && store::is_terminal((*e)->status)) ++finished;
      }
      if (finished == 200) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    int fast_finished = 0, slow_finished = 0;
    for (const auto& id : *fast_ids) {
      auto e = (*st)->get_execution(id);
      if ((*e)->status == store::ExecutionStatus::kSucceeded) ++fast_finished;
    }
    for (const auto& id : *slow_ids) {
      auto e = (*st)->get_execution(id);
      if (store::is_terminal((*e)->status)) ++slow_finished;
    }
    EXPECT_EQ(fast_finished, 200);
    EXPECT_EQ(slow_finished, 0) << "the slow calls should still be pending";
    engine.wait_idle();
    for (const auto& id : *slow_ids) {
      EXPECT_EQ((*(*st)->get_execution(id))->status, store::ExecutionStatus::kSucceeded);
    }
  }
}

// A step in flight is listed live, not journaled; once its end is durable it
// is in the journal and no longer live.
TEST(Concurrency, InFlightStepsAreLiveUntilTheirEndIsJournaled) {
  atio::testing::HttpReceiver rx;
  atio::testing::Reply slow;
  slow.delay = std::chrono::milliseconds(1500);
  rx.set_default_reply(slow);
  atio::testing::EngineWorld w;
  const std::string id = "playbook--00000000-0000-4000-8000-0000000000a1";
  const std::string action = "action--00000000-0000-4000-8000-000000000011";
  std::string error;
  ASSERT_TRUE(w.add_playbook(playbook(id, rx.url("/x")), &error)) << error;
  ASSERT_EQ(w.open_store(), "");
  Engine engine(EngineOptions{}, *w.store, w.registry, w.source, w.board);
  auto ids = engine.start_sync(id, std::vector<boost::json::object>(1), {});
  ASSERT_TRUE(ids.is_ok());
  const std::string exec = (*ids)[0];
  ASSERT_TRUE(rx.wait_for_requests(1, std::chrono::seconds(10)));

  // The step is listed once execute() has handed the call over, a moment
  // after the request may have arrived.
  auto live = engine.live_steps(exec);
  for (int i = 0; i < 200 && live.empty(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
    live = engine.live_steps(exec);
  }
  ASSERT_EQ(live.size(), 1u);
  EXPECT_EQ(live[0].step_key, action);
  EXPECT_EQ(live[0].step_type, "action");
  EXPECT_EQ(live[0].status, store::StepStatus::kRunning);
  EXPECT_GT(live[0].started_at_ms, 0);
  auto journal = w.store->get_steps(exec);
  ASSERT_TRUE(journal.is_ok());
  for (const auto& r : *journal) EXPECT_NE(r.step_key, action) << "no running record is written";
  auto merged = *journal;
  merge_live_steps(merged, live);
  ASSERT_FALSE(merged.empty());
  EXPECT_EQ(merged.back().step_key, action);
  EXPECT_EQ(merged.back().status, store::StepStatus::kRunning);

  engine.wait_idle();
  EXPECT_TRUE(engine.live_steps(exec).empty());
  journal = w.store->get_steps(exec);
  ASSERT_TRUE(journal.is_ok());
  bool found = false;
  for (const auto& r : *journal) {
    if (r.step_key != action) continue;
    found = true;
    EXPECT_EQ(r.status, store::StepStatus::kSucceeded);
    // A journal end is not replaced by a stale live entry.
    std::vector<store::StepRecord> j{r};
    merge_live_steps(j, live);
    EXPECT_EQ(j[0].status, store::StepStatus::kSucceeded);
  }
  EXPECT_TRUE(found);
}

// Beyond max_running_executions, accepted executions wait as pending in a
// FIFO queue: the receiver never sees more calls at once than the limit, and
// every execution finishes.
TEST(Concurrency, ExecutionsBeyondTheRunLimitWaitInTheQueue) {
  atio::testing::HttpReceiver rx;
  std::atomic<int> in_flight{0}, most{0};
  rx.set_handler([&](const atio::testing::ReceivedRequest&) {
    int now = ++in_flight;
    int seen = most.load();
    while (now > seen && !most.compare_exchange_weak(seen, now)) {
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    --in_flight;
    return atio::testing::Reply{};
  });
  atio::testing::EngineWorld w;
  const std::string id = "playbook--00000000-0000-4000-8000-0000000000a1";
  std::string error;
  ASSERT_TRUE(w.add_playbook(playbook(id, rx.url("/x")), &error)) << error;
  ASSERT_EQ(w.open_store(), "");
  EngineOptions eo;
  eo.max_running_executions = 2;
  Engine engine(eo, *w.store, w.registry, w.source, w.board);
  auto ids = engine.start_sync(id, std::vector<boost::json::object>(10), {});
  ASSERT_TRUE(ids.is_ok());
  // The first two run at once; the other eight are stored as pending.
  int pending = 0;
  for (const auto& e : *ids) {
    if ((*w.store->get_execution(e))->status == store::ExecutionStatus::kPending) ++pending;
  }
  EXPECT_EQ(pending, 8);
  // A queued execution can be aborted before it starts: it never runs.
  ASSERT_TRUE(engine.abort((*ids)[9], "analyst").is_ok());
  engine.wait_idle();
  EXPECT_LE(most.load(), 2);
  EXPECT_EQ(rx.request_count(), 9u);
  for (std::size_t i = 0; i < ids->size(); ++i) {
    auto e = *w.store->get_execution((*ids)[i]);
    EXPECT_EQ(e->status, i == 9 ? store::ExecutionStatus::kAborted : store::ExecutionStatus::kSucceeded)
        << i;
  }
  EXPECT_EQ(engine.queued(), 0u);
}

// An execution waiting for a person gives its run slot back meanwhile.
TEST(Concurrency, ManualWaitDoesNotHoldARunSlot) {
  atio::testing::HttpReceiver rx;
  atio::testing::EngineWorld w;
  const std::string fast = "playbook--00000000-0000-4000-8000-0000000000a1";
  const std::string manual = "playbook--00000000-0000-4000-8000-0000000000a2";
  std::string error;
  ASSERT_TRUE(w.add_playbook(playbook(fast, rx.url("/x")), &error)) << error;
  std::string doc = playbook(manual, rx.url("/x"));
  const std::string http_cmd = R"({"type":"http-api","command":"GET )" + rx.url("/x") + R"( HTTP/1.1"})";
  doc.replace(doc.find(http_cmd), http_cmd.size(), R"({"type":"manual","command":"Approve?"})");
  ASSERT_TRUE(w.add_playbook(doc, &error)) << error;
  ASSERT_EQ(w.open_store(), "");
  EngineOptions eo;
  eo.max_running_executions = 1;
  Engine engine(eo, *w.store, w.registry, w.source, w.board);
  auto waiting = engine.start_sync(manual, std::vector<boost::json::object>(1), {});
  ASSERT_TRUE(waiting.is_ok());
  for (int i = 0; i < 1000 && w.board.list((*waiting)[0]).empty(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  ASSERT_EQ(w.board.list((*waiting)[0]).size(), 1u);
  auto quick = engine.start_sync(fast, std::vector<boost::json::object>(3), {});
  ASSERT_TRUE(quick.is_ok());
  for (const auto& id : *quick) {
    std::string status;
    for (int i = 0; i < 1000; ++i) {
      auto e = *w.store->get_execution(id);
      if (store::is_terminal(e->status)) {
        status = store::to_string(e->status);
        break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    EXPECT_EQ(status, "succeeded") << "ran while the manual step waited";
  }
  EXPECT_EQ((*w.store->get_execution((*waiting)[0]))->status, store::ExecutionStatus::kRunning);
  ASSERT_TRUE(engine.abort((*waiting)[0], "analyst").is_ok());
  engine.wait_idle();
}

// A step that asks a person stores what it asks, for every node to list,
// until it is answered; a step that goes on after the answer no longer waits.
TEST(Concurrency, AManualWaitIsStoredUntilAnswered) {
  atio::testing::HttpReceiver rx;
  atio::testing::Reply slow;
  slow.delay = std::chrono::milliseconds(1500);
  rx.set_reply("/after", slow);
  atio::testing::EngineWorld w;
  const std::string id = "playbook--00000000-0000-4000-8000-0000000000a3";
  std::string doc = playbook(id, rx.url("/after"));
  const std::string http_cmd = R"({"type":"http-api","command":"GET )" + rx.url("/after") + R"( HTTP/1.1"})";
  doc.replace(doc.find(http_cmd), 0, R"({"type":"manual","command":"Approve?"},)");
  std::string error;
  ASSERT_TRUE(w.add_playbook(doc, &error)) << error;
  ASSERT_EQ(w.open_store(), "");
  Engine engine(EngineOptions{}, *w.store, w.registry, w.source, w.board);
  auto started = engine.start_sync(id, std::vector<boost::json::object>(1), {});
  ASSERT_TRUE(started.is_ok());
  const std::string eid = (*started)[0];
  std::vector<store::ManualWaitRecord> waits;
  for (int i = 0; i < 1000 && waits.empty(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
    waits = *w.store->list_manual_waits(eid);
  }
  ASSERT_EQ(waits.size(), 1u);
  EXPECT_EQ(waits[0].step_key, "action--00000000-0000-4000-8000-000000000011");
  EXPECT_EQ(waits[0].task.at("command").as_string(), "Approve?");
  EXPECT_EQ(waits[0].task.at("playbook_id").as_string(), id);
  bool journaled = false;
  auto steps = w.store->get_steps(eid);
  ASSERT_TRUE(steps.is_ok());
  for (const auto& st : *steps) {
    journaled = journaled ||
                (st.step_key == waits[0].step_key && st.status == store::StepStatus::kRunning);
  }
  EXPECT_TRUE(journaled) << "the wait is in the journal too";

  ASSERT_TRUE(w.board.answer(eid, waits[0].step_key, actions::ManualAnswer{}).is_ok());
  for (int i = 0; i < 1000 && !waits.empty(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
    waits = *w.store->list_manual_waits(eid);
  }
  EXPECT_TRUE(waits.empty());
  EXPECT_EQ((*w.store->get_execution(eid))->status, store::ExecutionStatus::kRunning)
      << "the step's next command still runs";
  engine.wait_idle();
  EXPECT_EQ((*w.store->get_execution(eid))->status, store::ExecutionStatus::kSucceeded);
}

TEST(Concurrency, FullEngineRefusesAndStoresNothing) {
  {
    atio::testing::HttpReceiver rx;
    atio::testing::Reply slow;
    slow.delay = std::chrono::milliseconds(2000);
    rx.set_default_reply(slow);
    atio::testing::EngineWorld w;
    const std::string id = "playbook--00000000-0000-4000-8000-0000000000a1";
    std::string error;
    ASSERT_TRUE(w.add_playbook(playbook(id, rx.url("/x")), &error)) << error;
    ASSERT_EQ(w.open_store(), "");
    auto* st = &w.store;
    EngineOptions eo;
    eo.max_active_executions = 3;
    Engine engine(eo, *w.store, w.registry, w.source, w.board);
    ASSERT_TRUE(engine.start_sync(id, std::vector<boost::json::object>(2), {}).is_ok());
    auto refused = engine.start_sync(id, std::vector<boost::json::object>(2), {});
    ASSERT_FALSE(refused.is_ok());
    EXPECT_EQ(refused.status().code(), Code::kResourceExhausted);
    store::ExecutionFilter f;
    EXPECT_EQ((*st)->list_executions(f)->size(), 2u);
    engine.wait_idle();
  }
}

}  // namespace
}  // namespace atio::engine

namespace atio::engine {
namespace {

// Stopping the engine while executions wait (manual step, delay, slow call)
// leaves them unfinished in the store and releases everything they hold
// (the AddressSanitizer run of this test checks for leaks).
TEST(Concurrency, StopWhileStepsWaitLeavesThemUnfinished) {
  std::vector<std::string> ids;
  {
    atio::testing::EngineWorld w;
    auto& board = w.board;
    std::string text = playbook("playbook--00000000-0000-4000-8000-0000000000a3", "x");
    text.replace(text.find(R"({"type":"http-api","command":"GET x HTTP/1.1"})"),
                 std::string(R"({"type":"http-api","command":"GET x HTTP/1.1"})").size(),
                 R"({"type":"manual","command":"approve"})");
    text.replace(text.find(R"("on_completion":"end--)"), 0, R"("timeout":3600000,"delay":1,)");
    std::string error;
    auto pb = w.add_playbook(text, &error);
    ASSERT_TRUE(pb) << error;
    ASSERT_EQ(w.open_store(), "");
    auto* st = &w.store;
    {
      Engine engine({}, *w.store, w.registry, w.source, board);
      auto r = engine.start_sync(pb->id, std::vector<boost::json::object>(3), {});
      ASSERT_TRUE(r.is_ok());
      ids = *r;
      for (int i = 0; i < 500 && board.list().size() < 3; ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
      }
      ASSERT_EQ(board.list().size(), 3u);
      engine.stop();
    }
    auto unfinished = (*st)->unfinished_executions();
    ASSERT_TRUE(unfinished.is_ok());
    EXPECT_EQ(unfinished->size(), 3u);
  }
}

}  // namespace
}  // namespace atio::engine
