// What the engine counts (docs/metrics.md): executions started and ended by
// playbook and final status, and one step-duration observation per step it
// ran, which is one per record in the executions' journals.
#include <gtest/gtest.h>

#include <map>
#include <thread>

#include "atio/engine/engine.h"
#include "atio/metrics/metrics.h"
#include "support/engine_world.h"
#include "support/http_receiver.h"
#include "unit/metrics/exposition_oracle.h"

namespace atio::engine {
namespace {

using metrics::testing::Exposition;
using metrics::testing::parse_exposition;

// start -> one action with `command` -> end.
std::string playbook(const std::string& id, const std::string& command) {
  return R"({"type":"playbook","spec_version":"cacao-2.0","id":")" + id + R"(","name":"p",
    "created_by":"identity--00000000-0000-4000-8000-000000000002",
    "created":"2026-01-01T00:00:00.000Z","modified":"2026-01-01T00:00:00.000Z",
    "agent_definitions":{"individual--8a7c2f4e-5b1d-4c3a-9e8f-1a2b3c4d5e6f":{"type":"individual","name":"soc"}},
    "workflow_start":"start--00000000-0000-4000-8000-000000000010",
    "workflow":{
      "start--00000000-0000-4000-8000-000000000010":{"type":"start","on_completion":"action--00000000-0000-4000-8000-000000000011"},
      "action--00000000-0000-4000-8000-000000000011":{"type":"action","agent":"individual--8a7c2f4e-5b1d-4c3a-9e8f-1a2b3c4d5e6f",
        "commands":[)" + command + R"(],
        "on_success":"end--00000000-0000-4000-8000-000000000014"},
      "end--00000000-0000-4000-8000-000000000014":{"type":"end"}}})";
}

const std::string kGood = "playbook--00000000-0000-4000-8000-0000000000b1";
const std::string kBad = "playbook--00000000-0000-4000-8000-0000000000b2";

TEST(EngineMetrics, ExecutionsAndEveryStepRunAreCounted) {
  atio::testing::EngineWorld w;
  std::string error;
  ASSERT_TRUE(w.add_playbook(playbook(kGood, R"({"type":"x-atio-lua","command":"return {}"})"),
                             &error))
      << error;
  ASSERT_TRUE(w.add_playbook(playbook(kBad, R"j({"type":"x-atio-lua","command":"error('no')"})j"),
                             &error))
      << error;
  ASSERT_EQ(w.open_store(), "");
  metrics::Metrics m;
  EngineOptions eo;
  eo.metrics = &m;
  Engine engine(eo, *w.store, w.registry, w.source, w.board);
  auto good = engine.start_sync(kGood, std::vector<boost::json::object>(5), {});
  auto bad = engine.start_sync(kBad, std::vector<boost::json::object>(2), {});
  ASSERT_TRUE(good.is_ok() && bad.is_ok());
  engine.wait_idle();

  // The journals say what ran.
  std::map<std::string, int> steps_by_type;  // step_type -> records
  std::map<std::string, int> finished;       // status -> executions
  int steps = 0;
  for (const auto* ids : {&*good, &*bad}) {
    for (const auto& id : *ids) {
      auto e = w.store->get_execution(id);
      ASSERT_TRUE(e.is_ok() && *e);
      ++finished[std::string((*e)->playbook_id == kGood ? "good-" : "bad-") +
                 store::to_string((*e)->status)];
      auto journal = w.store->get_steps(id);
      ASSERT_TRUE(journal.is_ok());
      for (const auto& s : *journal) {
        ++steps_by_type[s.step_type];
        ++steps;
      }
    }
  }
  ASSERT_EQ(finished["good-succeeded"], 5);
  ASSERT_EQ(finished["bad-failed"], 2);

  Exposition e = parse_exposition(m.scrape());
  ASSERT_EQ(e.error, "");
  EXPECT_EQ(e.value("atio_executions_started_total", {{"playbook", kGood}}), 5.0);
  EXPECT_EQ(e.value("atio_executions_started_total", {{"playbook", kBad}}), 2.0);
  EXPECT_EQ(e.value("atio_executions_finished_total", {{"playbook", kGood}, {"status", "succeeded"}}),
            5.0);
  EXPECT_EQ(e.value("atio_executions_finished_total", {{"playbook", kBad}, {"status", "failed"}}),
            2.0);
  EXPECT_EQ(e.count("atio_executions_finished_total"), 2u);
  // One observation per journal record, under its step type; the action
  // steps under their command type.
  double observed = 0;
  for (const auto& [type, n] : steps_by_type) {
    const std::string command = type == "action" ? "x-atio-lua" : "";
    auto count = e.value("atio_step_duration_seconds_count",
                         {{"step_type", type}, {"command_type", command}});
    ASSERT_TRUE(count.has_value()) << type;
    EXPECT_EQ(*count, double(n)) << type;
    observed += *count;
  }
  EXPECT_EQ(observed, double(steps));
  EXPECT_EQ(e.count("atio_step_duration_seconds_count"), steps_by_type.size());
}

// An execution aborted while it waits for a run slot never ran: it counts as
// started and aborted, under its playbook.
TEST(EngineMetrics, AnExecutionAbortedWhileQueuedCountsUnderItsPlaybook) {
  atio::testing::HttpReceiver rx;
  atio::testing::Reply slow;
  slow.delay = std::chrono::milliseconds(1000);
  rx.set_default_reply(slow);
  atio::testing::EngineWorld w;
  std::string error;
  ASSERT_TRUE(w.add_playbook(
      playbook(kGood, R"({"type":"http-api","command":"GET )" + rx.url("/x") + R"( HTTP/1.1"})"),
      &error))
      << error;
  ASSERT_EQ(w.open_store(), "");
  metrics::Metrics m;
  EngineOptions eo;
  eo.metrics = &m;
  eo.max_running_executions = 1;
  Engine engine(eo, *w.store, w.registry, w.source, w.board);
  auto ids = engine.start_sync(kGood, std::vector<boost::json::object>(2), {});
  ASSERT_TRUE(ids.is_ok());
  ASSERT_EQ(engine.queued(), 1u);
  ASSERT_TRUE(engine.abort((*ids)[1], "tester").is_ok());
  engine.wait_idle();
  Exposition e = parse_exposition(m.scrape());
  ASSERT_EQ(e.error, "");
  EXPECT_EQ(e.value("atio_executions_started_total", {{"playbook", kGood}}), 2.0);
  EXPECT_EQ(e.value("atio_executions_finished_total", {{"playbook", kGood}, {"status", "aborted"}}),
            1.0);
  EXPECT_EQ(e.value("atio_executions_finished_total", {{"playbook", kGood}, {"status", "succeeded"}}),
            1.0);
  // The aborted one ran no step: three steps of the other.
  EXPECT_EQ(e.value("atio_step_duration_seconds_count",
                    {{"step_type", "action"}, {"command_type", "http-api"}}),
            1.0);
}

}  // namespace
}  // namespace atio::engine
