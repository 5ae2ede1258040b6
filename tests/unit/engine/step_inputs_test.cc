// The journal records what each action step got: its in_args and its command
// after substitution, with credential headers redacted.
#include <gtest/gtest.h>

#include <boost/json/serialize.hpp>

#include "atio/engine/engine.h"
#include "support/engine_world.h"
#include "support/http_receiver.h"

namespace atio::engine {
namespace {

std::string playbook(const std::string& id, const std::string& url) {
  return R"({"type":"playbook","spec_version":"cacao-2.0","id":")" + id + R"(","name":"p",
    "created_by":"identity--00000000-0000-4000-8000-000000000002",
    "created":"2026-01-01T00:00:00.000Z","modified":"2026-01-01T00:00:00.000Z",
    "playbook_variables":{
      "__token__":{"type":"string","value":"s3cr3t-t0ken"},
      "__case__":{"type":"string","value":"CASE-42"}},
    "agent_definitions":{"individual--8a7c2f4e-5b1d-4c3a-9e8f-1a2b3c4d5e6f":{"type":"individual","name":"soc"}},
    "workflow_start":"start--00000000-0000-4000-8000-000000000010",
    "workflow":{
      "start--00000000-0000-4000-8000-000000000010":{"type":"start","on_completion":"action--00000000-0000-4000-8000-000000000011"},
      "action--00000000-0000-4000-8000-000000000011":{"type":"action","agent":"individual--8a7c2f4e-5b1d-4c3a-9e8f-1a2b3c4d5e6f",
        "in_args":["__case__"],
        "commands":[{"type":"http-api","command":"POST )" + url + R"( HTTP/1.1",
          "headers":{"Authorization":["Bearer __token__:value"],"X-Case":["__case__:value"]},
          "content":"{\"case\":\"__case__:value\"}"}],
        "on_completion":"end--00000000-0000-4000-8000-000000000014"},
      "end--00000000-0000-4000-8000-000000000014":{"type":"end"}}})";
}

TEST(StepInputs, InArgsAndTheCommandAsRunAreJournaledWithoutCredentials) {
  atio::testing::HttpReceiver rx;
  atio::testing::EngineWorld w;
  const std::string id = "playbook--00000000-0000-4000-8000-0000000000b1";
  std::string error;
  ASSERT_TRUE(w.add_playbook(playbook(id, rx.url("/cases")), &error)) << error;
  ASSERT_EQ(w.open_store(), "");
  Engine engine(EngineOptions{}, *w.store, w.registry, w.source, w.board);
  auto ids = engine.start_sync(id, std::vector<boost::json::object>(1), {});
  ASSERT_TRUE(ids.is_ok());
  engine.wait_idle();

  ASSERT_EQ(rx.request_count(), 1u);
  EXPECT_EQ(rx.requests()[0].header("Authorization"), "Bearer s3cr3t-t0ken");

  auto steps = w.store->get_steps((*ids)[0]);
  ASSERT_TRUE(steps.is_ok());
  const store::StepRecord* action = nullptr;
  for (const auto& s : *steps) {
    if (s.step_type == "action") action = &s;
  }
  ASSERT_NE(action, nullptr);
  const auto& in = action->inputs;
  ASSERT_TRUE(in.contains("in_args")) << boost::json::serialize(in);
  EXPECT_EQ(in.at("in_args").at("__case__"), "CASE-42");
  const auto& cmd = in.at("command").as_object();
  EXPECT_EQ(cmd.at("headers").at("X-Case").at(0), "CASE-42");
  EXPECT_EQ(cmd.at("headers").at("Authorization").at(0), "[redacted]");
  EXPECT_EQ(cmd.at("content"), "{\"case\":\"CASE-42\"}");
  EXPECT_EQ(boost::json::serialize(in).find("s3cr3t"), std::string::npos);
}

}  // namespace
}  // namespace atio::engine
