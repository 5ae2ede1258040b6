// Resume after a stop in the middle of executions: finished steps are not run
// again; the step in flight runs again with the same Idempotency-Key.
#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <set>

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


std::string playbook_text(const std::string& base) {
  std::string step = R"({"type":"action","agent":"individual--8a7c2f4e-5b1d-4c3a-9e8f-1a2b3c4d5e6f",
      "commands":[{"type":"http-api","command":"POST BASE/PATH HTTP/1.1","content":"x"}],
      "on_completion":"NEXT"})";
  auto make = [&](const std::string& path, const std::string& next) {
    std::string s = step;
    s.replace(s.find("BASE"), 4, base);
    s.replace(s.find("PATH"), 4, path);
    s.replace(s.find("NEXT"), 4, next);
    return s;
  };
  return std::string(R"({"type":"playbook","spec_version":"cacao-2.0",
    "id":"playbook--00000000-0000-4000-8000-000000000001","name":"resume",
    "created_by":"identity--00000000-0000-4000-8000-000000000002",
    "created":"2026-01-01T00:00:00.000Z","modified":"2026-01-01T00:00:00.000Z",
    "agent_definitions":{"individual--8a7c2f4e-5b1d-4c3a-9e8f-1a2b3c4d5e6f":{"type":"individual","name":"soc"}},
    "workflow_start":"start--00000000-0000-4000-8000-000000000010",
    "workflow":{
      "start--00000000-0000-4000-8000-000000000010":{"type":"start","on_completion":"action--00000000-0000-4000-8000-000000000011"},
      "action--00000000-0000-4000-8000-000000000011":)") +
         make("s1", "action--00000000-0000-4000-8000-000000000012") +
         R"(,"action--00000000-0000-4000-8000-000000000012":)" +
         make("s2", "action--00000000-0000-4000-8000-000000000013") +
         R"(,"action--00000000-0000-4000-8000-000000000013":)" +
         make("s3", "end--00000000-0000-4000-8000-000000000014") +
         R"(,"end--00000000-0000-4000-8000-000000000014":{"type":"end"}}})";
}

TEST(Resume, FinishedStepsAreNotRepeatedAndInFlightStepsKeepTheirKey) {
  atio::testing::HttpReceiver rx;
  atio::testing::Reply slow;
  slow.delay = std::chrono::milliseconds(5000);  // s2 is in flight when we stop
  rx.set_reply("/s2", slow);
  constexpr int kExecutions = 20;
  atio::testing::EngineWorld w("full");
  std::string error;
  auto pb = w.add_playbook(playbook_text(rx.url()), &error);
  ASSERT_TRUE(pb) << error;
  std::vector<std::string> ids;
  {
    ASSERT_EQ(w.open_store(), "");
    Engine engine({}, *w.store, w.registry, w.source, w.board);
    auto r = engine.start_sync(pb->id, std::vector<boost::json::object>(kExecutions),
                               {{"kind", "test"}});
    ASSERT_TRUE(r.is_ok());
    ids = *r;
    ASSERT_TRUE(rx.wait_for_requests(2 * kExecutions, std::chrono::seconds(20)));
    engine.stop();  // as if the process died: s2 never completes here
  }
  rx.set_reply("/s2", atio::testing::Reply{});
  {
    ASSERT_EQ(w.open_store(), "");  // reopened from disk
    Engine engine({}, *w.store, w.registry, w.source, w.board);
    std::map<std::string, store::ExecutionStatus> outcomes;
    std::mutex mu;
    engine.on_finished([&](const ExecutionOutcome& o) {
      std::lock_guard<std::mutex> lk(mu);
      outcomes[o.id] = o.status;
    });
    ASSERT_TRUE(engine.resume_unfinished().is_ok());
    engine.wait_idle();
    ASSERT_EQ(outcomes.size(), static_cast<std::size_t>(kExecutions));
    for (const auto& id : ids) {
      EXPECT_EQ(outcomes[id], store::ExecutionStatus::kSucceeded) << id;
      auto e = w.store->get_execution(id);
      EXPECT_EQ((*e)->status, store::ExecutionStatus::kSucceeded);
    }
  }
  // What the receiver saw: s1 and s3 once per execution; s2 twice, both times
  // with the same Idempotency-Key.
  std::map<std::string, std::map<std::string, int>> keys_by_path;
  for (const auto& q : rx.requests()) keys_by_path[q.path][q.header("Idempotency-Key")]++;
  EXPECT_EQ(keys_by_path["/s1"].size(), static_cast<std::size_t>(kExecutions));
  EXPECT_EQ(keys_by_path["/s3"].size(), static_cast<std::size_t>(kExecutions));
  EXPECT_EQ(keys_by_path["/s2"].size(), static_cast<std::size_t>(kExecutions));
  for (const auto& [path, keys] : keys_by_path) {
    for (const auto& [key, n] : keys) {
      EXPECT_FALSE(key.empty());
      EXPECT_EQ(n, path == "/s2" ? 2 : 1) << path << " " << key;
    }
  }
}

}  // namespace
}  // namespace atio::engine
