// What lets several nodes share one store, on every backend: executions
// carry their node, are taken over once that node is gone, and every write of
// an execution by a node that lost it is refused; an idle node takes a busy
// one's backlog; a schedule's due time is recorded once; notifications reach
// listeners (PostgreSQL); manual waits and signals reach every node.
#include <gtest/gtest.h>

#include <set>
#include <thread>

#include "backend_test.h"

namespace atio::store {
namespace {

class ClusterStoreTest : public BackendTest {
 protected:
  static NodeRecord node(const std::string& id, std::int64_t heartbeat,
                         const std::string& state = "active") {
    NodeRecord n;
    n.id = id;
    n.version = "test";
    n.started_at_ms = 1;
    n.heartbeat_at_ms = heartbeat;
    n.state = state;
    return n;
  }

  static ExecutionRecord execution(const std::string& id, const std::string& owner,
                                   ExecutionStatus status = ExecutionStatus::kRunning) {
    ExecutionRecord e;
    e.id = id;
    e.playbook_id = "playbook--1";
    e.playbook_version = "v1";
    e.status = status;
    e.created_at_ms = 10;
    e.owner = owner;
    return e;
  }

  static StepRecord step(const std::string& execution_id, const std::string& key) {
    StepRecord s;
    s.execution_id = execution_id;
    s.step_key = key;
    s.step_id = key;
    s.step_type = "action";
    s.status = StepStatus::kSucceeded;
    s.started_at_ms = 1;
    s.finished_at_ms = 2;
    return s;
  }

  // Claims for `owner` with nodes silent since `stale_before` counted gone.
  std::vector<std::string> claim(const std::string& owner, std::int64_t stale_before,
                                 std::int64_t limit = 100) {
    auto claimed = std::make_shared<std::vector<std::string>>();
    Status s = store_->write({ClaimExecutions{owner, stale_before, limit, claimed}});
    EXPECT_TRUE(s.is_ok()) << s.to_string();
    std::vector<std::string> ids = *claimed;
    std::sort(ids.begin(), ids.end());
    return ids;
  }

  std::string owner_of(const std::string& id) {
    auto e = store_->get_execution(id);
    EXPECT_TRUE(e.is_ok() && *e) << id;
    return e.is_ok() && *e ? (*e)->owner : "?";
  }
};
ATIO_ON_EVERY_BACKEND(ClusterStoreTest);

TEST_P(ClusterStoreTest, ExecutionsOfGoneNodesAreTakenOverAndNoOthers) {
  ASSERT_TRUE(store_
                  ->write({PutNode{node("alive", 1000)}, PutNode{node("silent", 400)},
                           PutNode{node("stopped", 1000, "stopped")}, PutNode{node("me", 1000)}})
                  .is_ok());
  ExecutionRecord done = execution("e-done", "silent");
  done.status = ExecutionStatus::kSucceeded;
  ASSERT_TRUE(store_
                  ->write({InsertExecution{execution("e-alive", "alive")},
                           InsertExecution{execution("e-silent", "silent")},
                           InsertExecution{execution("e-pending", "silent",
                                                     ExecutionStatus::kPending)},
                           InsertExecution{execution("e-stopped", "stopped")},
                           InsertExecution{execution("e-unknown", "pruned-node")},
                           InsertExecution{execution("e-nobody", "")},
                           InsertExecution{execution("e-mine", "me")}, InsertExecution{done}})
                  .is_ok());
  // Heartbeats at or after 500 count as alive.
  EXPECT_EQ(claim("me", 500), (std::vector<std::string>{"e-nobody", "e-pending", "e-silent",
                                                         "e-stopped", "e-unknown"}));
  EXPECT_EQ(owner_of("e-silent"), "me");
  EXPECT_EQ(owner_of("e-alive"), "alive");
  EXPECT_EQ(owner_of("e-done"), "silent");
  // What was pending stays pending: the new owner marks it running when it starts.
  EXPECT_EQ((*store_->get_execution("e-pending"))->status, ExecutionStatus::kPending);
  EXPECT_TRUE(claim("other", 500).empty()) << "me is alive";
  // Once me falls silent too, another node takes everything over, at most `limit` at a time.
  EXPECT_EQ(claim("other", 2000, 2).size(), 2u);
  EXPECT_EQ(claim("other", 2000).size(), 5u);
}

TEST_P(ClusterStoreTest, TheBacklogTakenIsOtherNodesPendingExecutionsOldEnoughOldestFirst) {
  auto at = [](ExecutionRecord e, std::int64_t created) {
    e.created_at_ms = created;
    return e;
  };
  ASSERT_TRUE(store_
                  ->write({InsertExecution{at(execution("old-1", "busy", ExecutionStatus::kPending), 100)},
                           InsertExecution{at(execution("old-2", "busy", ExecutionStatus::kPending), 110)},
                           InsertExecution{at(execution("old-3", "other", ExecutionStatus::kPending), 120)},
                           InsertExecution{at(execution("new", "busy", ExecutionStatus::kPending), 900)},
                           InsertExecution{at(execution("started", "busy"), 100)},
                           InsertExecution{at(execution("mine", "me", ExecutionStatus::kPending), 100)}})
                  .is_ok());
  auto steal = [&](std::int64_t limit) {
    auto claimed = std::make_shared<std::vector<std::string>>();
    Status s = store_->write({StealBacklog{"me", 500, limit, claimed}});
    EXPECT_TRUE(s.is_ok()) << s.to_string();
    std::vector<std::string> ids = *claimed;  // RETURNING has no order
    std::sort(ids.begin(), ids.end());
    return ids;
  };
  EXPECT_EQ(steal(2), (std::vector<std::string>{"old-1", "old-2"}));
  EXPECT_EQ(steal(10), (std::vector<std::string>{"old-3"}));
  EXPECT_TRUE(steal(10).empty());
  EXPECT_EQ(owner_of("old-1"), "me");
  EXPECT_EQ(owner_of("new"), "busy");
  EXPECT_EQ(owner_of("started"), "busy");
  // The node that queued old-1 can no longer start it.
  Status lost = store_->write({MarkExecutionRunning{"old-1", "busy"}});
  EXPECT_TRUE(is_ownership_lost(lost)) << lost.to_string();
}

TEST_P(ClusterStoreTest, ANodeThatLostAnExecutionCannotWriteIt) {
  ASSERT_TRUE(store_->write({InsertExecution{execution("e1", "old")}}).is_ok());
  ASSERT_TRUE(store_->write({PutStep{step("e1", "a"), "old"}}).is_ok());
  ASSERT_EQ(claim("new", 100), std::vector<std::string>{"e1"});  // "old" has no record

  Status s = store_->write({PutStep{step("e1", "b"), "old"}});
  EXPECT_TRUE(is_ownership_lost(s)) << s.to_string();
  s = store_->write(
      {FinishExecution{"e1", ExecutionStatus::kFailed, "from the old node", 5, "old"}});
  EXPECT_TRUE(is_ownership_lost(s)) << s.to_string();
  s = store_->write({MarkExecutionRunning{"e1", "old"}});
  EXPECT_TRUE(is_ownership_lost(s)) << s.to_string();

  // The new owner writes as before; a write of no node is not fenced.
  ASSERT_TRUE(store_->write({PutStep{step("e1", "b"), "new"}}).is_ok());
  ASSERT_TRUE(store_->write({MarkExecutionRunning{"e1", "new"}}).is_ok());  // already running
  auto steps = store_->get_steps("e1");
  ASSERT_TRUE(steps.is_ok());
  ASSERT_EQ(steps->size(), 2u);
  EXPECT_EQ((*steps)[1].step_key, "b");
  ASSERT_TRUE(
      store_->write({FinishExecution{"e1", ExecutionStatus::kSucceeded, "", 9, "new"}}).is_ok());
  auto e = store_->get_execution("e1");
  EXPECT_EQ((*e)->status, ExecutionStatus::kSucceeded);
  EXPECT_EQ((*e)->error, "");
  EXPECT_TRUE(claim("third", 100).empty()) << "a finished execution is nobody's work";
}

TEST_P(ClusterStoreTest, FencedStepRecordsFailAloneInAGroup) {
  // The engine submits one step record per batch; the writer joins them
  // into one journal row per execution. A fenced row fails its batches only.
  ASSERT_TRUE(store_
                  ->write({InsertExecution{execution("mine", "me")},
                           InsertExecution{execution("theirs", "them")}})
                  .is_ok());
  std::mutex mu;
  std::condition_variable cv;
  std::map<std::string, Status> results;
  for (const std::string key : {"a", "b", "c"}) {
    for (const std::string id : {"mine", "theirs"}) {
      store_->submit({PutStep{step(id, key), "me"}}, [&, id, key](Status s) {
        std::lock_guard<std::mutex> lk(mu);
        results[id + "/" + key] = s;
        cv.notify_all();
      });
    }
  }
  {
    std::unique_lock<std::mutex> lk(mu);
    cv.wait(lk, [&] { return results.size() == 6; });
  }
  for (const auto& [what, s] : results) {
    if (what.starts_with("mine/")) {
      EXPECT_TRUE(s.is_ok()) << what << ": " << s.to_string();
    } else {
      EXPECT_TRUE(is_ownership_lost(s)) << what << ": " << s.to_string();
    }
  }
  EXPECT_EQ(store_->get_steps("mine")->size(), 3u);
  EXPECT_TRUE(store_->get_steps("theirs")->empty());
}

TEST_P(ClusterStoreTest, AScheduleRunIsRecordedOncePerDueTime) {
  ScheduleRecord sch;
  sch.id = "s1";
  sch.playbook_id = "playbook--1";
  sch.name = "hourly";
  sch.interval_seconds = 3600;
  sch.created_at_ms = 1;
  ASSERT_TRUE(store_->write({PutSchedule{sch}}).is_ok());
  // Two nodes saw the same last run (none) and both start the due time: the
  // second batch, execution included, is refused whole.
  ASSERT_TRUE(store_
                  ->write({InsertExecution{execution("run-a", "a")},
                           MarkScheduleRun{"s1", 5000, std::int64_t{0}}})
                  .is_ok());
  Status s = store_->write(
      {InsertExecution{execution("run-b", "b")}, MarkScheduleRun{"s1", 5001, std::int64_t{0}}});
  EXPECT_EQ(s.code(), Code::kAlreadyExists) << s.to_string();
  EXPECT_FALSE(*store_->get_execution("run-b"));
  EXPECT_EQ((*store_->get_schedule("s1"))->last_run_at_ms, 5000);
  // The next due time, seen from the recorded run, is taken once again.
  ASSERT_TRUE(store_->write({MarkScheduleRun{"s1", 9000, std::int64_t{5000}}}).is_ok());
  EXPECT_EQ((*store_->get_schedule("s1"))->last_run_at_ms, 9000);
}

TEST_P(ClusterStoreTest, NotificationsReachListenersOnceCommitted) {
  auto listener = store_->listen({"atio_test"});
  ASSERT_TRUE(listener.is_ok()) << listener.status().to_string();
  if (sqlite()) {
    // One process owns the file: there is nobody to listen to, and a
    // notification is a no-op that does not fail its batch.
    EXPECT_EQ(*listener, nullptr);
    EXPECT_TRUE(store_->write({Notify{"atio_test", ""}}).is_ok());
    return;
  }
  ASSERT_NE(*listener, nullptr);
  auto quiet = (*listener)->wait(std::chrono::milliseconds(50));
  ASSERT_TRUE(quiet.is_ok()) << quiet.status().to_string();
  EXPECT_TRUE(quiet->empty());
  // A batch that fails notifies nobody.
  Status refused = store_->write({Notify{"atio_test", ""}, DeleteAsset{"no-such-asset"}});
  EXPECT_EQ(refused.code(), Code::kNotFound);
  ASSERT_TRUE(store_->write({Notify{"atio_test", "x"}, Notify{"atio_other", ""}}).is_ok());
  std::vector<std::string> got;
  for (int i = 0; i < 50 && got.empty(); ++i) {
    auto r = (*listener)->wait(std::chrono::milliseconds(100));
    ASSERT_TRUE(r.is_ok()) << r.status().to_string();
    got = *r;
  }
  EXPECT_EQ(got, std::vector<std::string>{"atio_test"});
}

// Requests that reach a node other than the execution's: the manual waits
// every node lists and the signals its owner applies.
class CrossNodeStoreTest : public ClusterStoreTest {
 protected:
  static ManualWaitRecord wait(const std::string& execution_id, const std::string& key,
                               std::int64_t at) {
    ManualWaitRecord w;
    w.execution_id = execution_id;
    w.step_key = key;
    w.task = bj::object{{"command", "isolate " + key}};
    w.created_at_ms = at;
    return w;
  }
  static SignalRecord signal(const std::string& id, const std::string& execution_id,
                             std::int64_t at) {
    SignalRecord s;
    s.id = id;
    s.execution_id = execution_id;
    s.kind = "answer";
    s.step_key = "ask";
    s.body = bj::object{{"success", true}, {"answered_by", "alice"}};
    s.created_at_ms = at;
    return s;
  }
};
ATIO_ON_EVERY_BACKEND(CrossNodeStoreTest);

TEST_P(CrossNodeStoreTest, ManualWaitsOfUnfinishedExecutionsAreListedWithTheirNode) {
  ExecutionRecord ended = execution("e-ended", "a", ExecutionStatus::kAborted);
  ASSERT_TRUE(store_
                  ->write({InsertExecution{execution("e-a", "a")},
                           InsertExecution{execution("e-b", "b")}, InsertExecution{ended}})
                  .is_ok());
  ASSERT_TRUE(store_
                  ->write({PutManualWait{wait("e-b", "ask", 30)}, PutManualWait{wait("e-a", "ask", 20)},
                           PutManualWait{wait("e-a", "other", 40)},
                           PutManualWait{wait("e-ended", "ask", 10)}})
                  .is_ok());
  auto all = store_->list_manual_waits("");
  ASSERT_TRUE(all.is_ok()) << all.status().to_string();
  ASSERT_EQ(all->size(), 3u) << "the ended execution's wait is not listed";
  EXPECT_EQ((*all)[0].execution_id, "e-a");
  EXPECT_EQ((*all)[0].owner, "a");
  EXPECT_EQ((*all)[1].execution_id, "e-b");
  EXPECT_EQ((*all)[1].owner, "b");
  EXPECT_EQ((*all)[1].task.at("command").as_string(), "isolate ask");
  EXPECT_EQ((*all)[2].step_key, "other");

  // Replaced by key, deleted by key.
  ASSERT_TRUE(store_->write({PutManualWait{wait("e-a", "ask", 50)},
                             DeleteManualWait{"e-a", "other"}}).is_ok());
  auto of_a = store_->list_manual_waits("e-a");
  ASSERT_TRUE(of_a.is_ok());
  ASSERT_EQ(of_a->size(), 1u);
  EXPECT_EQ((*of_a)[0].step_key, "ask");
  EXPECT_EQ((*of_a)[0].created_at_ms, 50);
}

TEST_P(CrossNodeStoreTest, PendingSignalsReachTheNodeThatRunsTheExecutionAndEndOnce) {
  ASSERT_TRUE(store_
                  ->write({InsertExecution{execution("e-a", "a")},
                           InsertExecution{execution("e-b", "b")}})
                  .is_ok());
  ASSERT_TRUE(store_
                  ->write({SendSignal{signal("s2", "e-a", 20)}, SendSignal{signal("s1", "e-a", 10)},
                           SendSignal{signal("s3", "e-b", 15)}})
                  .is_ok());
  auto for_a = store_->pending_signals("a");
  ASSERT_TRUE(for_a.is_ok()) << for_a.status().to_string();
  ASSERT_EQ(for_a->size(), 2u);
  EXPECT_EQ((*for_a)[0].id, "s1");
  EXPECT_EQ((*for_a)[1].id, "s2");
  EXPECT_EQ((*for_a)[0].body.at("answered_by").as_string(), "alice");

  // The execution moves to node c (a takeover): its signals go with it.
  ASSERT_TRUE(store_->write({InsertExecution{execution("e-c", "c")}}).is_ok());
  ASSERT_TRUE(store_->write({FinishSignal{"s1", "done", "", 100}}).is_ok());
  // A second end (a node that lost the execution) changes nothing.
  ASSERT_TRUE(store_->write({FinishSignal{"s1", "failed", "late", 200}}).is_ok());
  auto s1 = store_->get_signal("s1");
  ASSERT_TRUE(s1.is_ok() && *s1);
  EXPECT_EQ((*s1)->state, "done");
  EXPECT_EQ((*s1)->done_at_ms, 100);
  for_a = store_->pending_signals("a");
  ASSERT_TRUE(for_a.is_ok());
  ASSERT_EQ(for_a->size(), 1u);
  EXPECT_EQ((*for_a)[0].id, "s2");
  auto missing = store_->get_signal("nope");
  ASSERT_TRUE(missing.is_ok());
  EXPECT_FALSE(*missing);
}

TEST_P(CrossNodeStoreTest, PruningKeepsPendingSignalsOfUnfinishedExecutions) {
  ASSERT_TRUE(store_
                  ->write({InsertExecution{execution("e-run", "a")},
                           InsertExecution{execution("e-end", "a", ExecutionStatus::kSucceeded)}})
                  .is_ok());
  ASSERT_TRUE(store_
                  ->write({SendSignal{signal("pending-run", "e-run", 10)},
                           SendSignal{signal("pending-end", "e-end", 10)},
                           SendSignal{signal("done-old", "e-run", 10)},
                           SendSignal{signal("done-new", "e-run", 500)}})
                  .is_ok());
  ASSERT_TRUE(store_->write({FinishSignal{"done-old", "done", "", 20},
                             FinishSignal{"done-new", "done", "", 600}}).is_ok());
  ASSERT_TRUE(store_->write({PruneSignals{100}}).is_ok());
  for (const auto& [id, kept] : std::vector<std::pair<std::string, bool>>{
           {"pending-run", true}, {"pending-end", false}, {"done-old", false}, {"done-new", true}}) {
    auto s = store_->get_signal(id);
    ASSERT_TRUE(s.is_ok());
    EXPECT_EQ(s->has_value(), kept) << id;
  }
}

}  // namespace
}  // namespace atio::store
