// EngineOptions::on_progress, which wakes the live execution views: it is
// told of every step's end once that end is in the store, and of the
// execution's end once that is in the store, so a reader woken by it always
// finds what changed.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <mutex>
#include <vector>

#include "atio/engine/engine.h"
#include "support/engine_world.h"

namespace atio::engine {
namespace {

const std::string kPlaybook = "playbook--00000000-0000-4000-8000-0000000000c1";

// start -> two Lua actions -> end.
std::string playbook() {
  return R"({"type":"playbook","spec_version":"cacao-2.0","id":")" + kPlaybook + R"(","name":"p",
    "created_by":"identity--00000000-0000-4000-8000-000000000002",
    "created":"2026-01-01T00:00:00.000Z","modified":"2026-01-01T00:00:00.000Z",
    "agent_definitions":{"individual--8a7c2f4e-5b1d-4c3a-9e8f-1a2b3c4d5e6f":{"type":"individual","name":"soc"}},
    "workflow_start":"start--00000000-0000-4000-8000-000000000010",
    "workflow":{
      "start--00000000-0000-4000-8000-000000000010":{"type":"start","on_completion":"action--00000000-0000-4000-8000-000000000011"},
      "action--00000000-0000-4000-8000-000000000011":{"type":"action","agent":"individual--8a7c2f4e-5b1d-4c3a-9e8f-1a2b3c4d5e6f",
        "commands":[{"type":"x-atio-lua","command":"return {}"}],
        "on_completion":"action--00000000-0000-4000-8000-000000000012"},
      "action--00000000-0000-4000-8000-000000000012":{"type":"action","agent":"individual--8a7c2f4e-5b1d-4c3a-9e8f-1a2b3c4d5e6f",
        "commands":[{"type":"x-atio-lua","command":"return {}"}],
        "on_completion":"end--00000000-0000-4000-8000-000000000014"},
      "end--00000000-0000-4000-8000-000000000014":{"type":"end"}}})";
}

TEST(EngineProgress, EveryDurableStepAndTheEndAreTold) {
  atio::testing::EngineWorld w;
  std::string error;
  ASSERT_TRUE(w.add_playbook(playbook(), &error)) << error;
  ASSERT_EQ(w.open_store(), "");
  std::mutex mu;
  std::map<std::string, std::vector<std::size_t>> seen;  // id -> journal size at each call
  std::map<std::string, bool> saw_end;                    // id -> a call found it ended
  store::Store* st = w.store.get();
  EngineOptions eo;
  eo.on_progress = [&](const std::string& id) {
    auto steps = st->get_steps(id);
    auto e = st->get_execution(id);
    std::lock_guard<std::mutex> lk(mu);
    seen[id].push_back(steps.is_ok() ? steps->size() : 0);
    if (e.is_ok() && *e && store::is_terminal((*e)->status)) saw_end[id] = true;
  };
  Engine engine(eo, *w.store, w.registry, w.source, w.board);
  auto ids = engine.start_sync(kPlaybook, std::vector<boost::json::object>(3), {});
  ASSERT_TRUE(ids.is_ok());
  engine.wait_idle();

  std::lock_guard<std::mutex> lk(mu);
  for (const auto& id : *ids) {
    auto journal = w.store->get_steps(id);
    ASSERT_TRUE(journal.is_ok());
    ASSERT_EQ(journal->size(), 4u);  // start, two actions, end
    const auto& sizes = seen[id];
    // Told at least once per step; some call found every step in the
    // journal, and some call found the execution ended.
    ASSERT_GE(sizes.size(), journal->size()) << id;
    EXPECT_EQ(*std::max_element(sizes.begin(), sizes.end()), journal->size()) << id;
    EXPECT_TRUE(saw_end[id]) << id;
  }
}

}  // namespace
}  // namespace atio::engine
