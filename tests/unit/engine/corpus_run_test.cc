// Every CACAO playbook of the shared corpus that atio accepts also runs: its
// http-api agents and targets are pointed at a local receiver, its manual
// steps are answered, and the execution must succeed with every action step
// journaled as succeeded (ssh steps, whose corpus hosts do not exist here,
// as failed with the reason).
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "atio/core/json.h"
#include "atio/engine/engine.h"
#include "support/engine_world.h"
#include "support/http_receiver.h"
#include "unit/cacao/cacao_test_support.h"

namespace atio::engine {
namespace {

namespace bj = boost::json;
using atio::cacao::testing::cacao_dir;
using atio::cacao::testing::json_files;
using atio::cacao::testing::read_text;
using atio::cacao::testing::short_name;

// Points every http-api agent and target at `url`.
void point_at(bj::object& doc, const std::string& url) {
  for (const char* defs : {"agent_definitions", "target_definitions"}) {
    bj::value* d = doc.if_contains(defs);
    if (!d || !d->is_object()) continue;
    for (auto& kv : d->get_object()) {
      if (!kv.value().is_object()) continue;
      bj::object& def = kv.value().get_object();
      const bj::value* type = def.if_contains("type");
      if (!type || *type != "http-api") continue;
      def["address"] = bj::object{{"url", bj::array{bj::value(url)}}};
      def.erase("port");
    }
  }
}

// Whether the step runs an ssh command.
bool runs_ssh(const cacao::Playbook& pb, const std::string& step_id) {
  for (const auto& step : pb.steps) {
    if (step.id != step_id) continue;
    for (const auto& c : step.commands) {
      if (c.type == "ssh") return true;
    }
  }
  return false;
}

TEST(CorpusRun, EveryAcceptedCorpusPlaybookRunsToTheEnd) {
  atio::testing::HttpReceiver rx;
  atio::testing::EngineWorld w;
  ASSERT_EQ(w.open_store(), "");
  Engine engine(EngineOptions{}, *w.store, w.registry, w.source, w.board);
  std::atomic<bool> stop{false};
  std::thread answerer([&] {
    while (!stop.load()) {
      for (const auto& t : w.board.list()) {
        actions::ManualAnswer a;
        a.response = "done";
        a.answered_by = "corpus-test";
        (void)w.board.answer(t.execution_id, t.step_key, a);
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
  });

  int ran = 0;
  for (const auto& path : json_files(cacao_dir() + "/playbooks")) {
    SCOPED_TRACE(short_name(path));
    auto doc = json::parse(read_text(path));
    if (!doc.is_ok() || !doc->is_object()) continue;
    // The OASIS schema's url pattern wants a ".tld"-like part somewhere.
    point_at(doc->get_object(), rx.url("/corpus.test"));
    auto pb = compile_playbook(*doc, w.registry);
    if (!pb.is_ok()) continue;  // rejected: the cacao corpus tests check why
    w.source.put(*pb);
    auto ids = engine.start_sync((*pb)->id, std::vector<bj::object>(1), {});
    ASSERT_TRUE(ids.is_ok()) << ids.status().to_string();
    engine.wait_idle();
    auto e = w.store->get_execution((*ids)[0]);
    ASSERT_TRUE(e.is_ok() && *e);
    EXPECT_EQ((*e)->status, store::ExecutionStatus::kSucceeded) << (*e)->error;
    auto steps = w.store->get_steps((*ids)[0]);
    ASSERT_TRUE(steps.is_ok());
    std::size_t actions = 0;
    for (const auto& s : *steps) {
      if (s.step_type != "action") continue;
      ++actions;
      if (runs_ssh(**pb, s.step_id)) {
        // No host of the corpus exists here: the step fails, saying where it
        // tried (tests/integration/test_ssh.py runs these against a real sshd).
        EXPECT_EQ(s.status, store::StepStatus::kFailed) << s.step_key;
        EXPECT_TRUE(s.error.starts_with("ssh ")) << s.step_key << ": " << s.error;
        continue;
      }
      EXPECT_EQ(s.status, store::StepStatus::kSucceeded) << s.step_key << ": " << s.error;
    }
    std::size_t declared = 0;
    for (const auto& step : (*pb)->steps) declared += step.kind == cacao::StepKind::kAction;
    EXPECT_EQ(actions, declared) << "every action step ran";
    ++ran;
  }
  stop = true;
  answerer.join();
  // The corpus holds runnable playbooks (http-api and manual ones): a run
  // that found none would prove nothing.
  EXPECT_GE(ran, 3);
  EXPECT_GE(rx.request_count(), 1u) << "the http-api playbook called the receiver";
}

}  // namespace
}  // namespace atio::engine
