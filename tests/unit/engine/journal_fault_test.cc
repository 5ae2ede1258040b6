// A journal write that fails while the database is away stops the execution
// without recording the steps it cuts short: when the execution is resumed,
// every step after the lost write really runs. (Before, the next step was
// journaled as failed with "journal write failed", and the resumed run took
// that end as real and went on past the step without running it.)
#include <gtest/gtest.h>

#include <atomic>
#include <map>
#include <mutex>
#include <thread>
#include <variant>

#include "atio/engine/engine.h"
#include "support/engine_world.h"
#include "support/http_receiver.h"

namespace atio::engine {
namespace {

namespace bj = boost::json;

// The store, except that the write of one step's successful end fails once,
// as when the database is restarted under it. As with a real database, the
// failure is known only later, on the store's thread: here once `until` is
// true (the next step is in flight by then).
class JournalFaultStore final : public store::Store {
 public:
  JournalFaultStore(store::Store& inner, std::string step_id, std::function<bool()> until)
      : inner_(inner), step_id_(std::move(step_id)), until_(std::move(until)) {}
  ~JournalFaultStore() override {
    if (reporter_.joinable()) reporter_.join();
  }

  void submit(std::vector<store::WriteOp> ops, std::function<void(Status)> done) override {
    for (const auto& op : ops) {
      const auto* put = std::get_if<store::PutStep>(&op);
      if (put && put->step.step_id == step_id_ &&
          put->step.status == store::StepStatus::kSucceeded && !failed_.exchange(true)) {
        reporter_ = std::thread([this, done = std::move(done)] {
          until_();
          done(Status(Code::kUnavailable, "the database cannot be reached"));
        });
        return;
      }
    }
    inner_.submit(std::move(ops), std::move(done));
  }
  Result<std::optional<store::PlaybookRecord>> get_playbook(const std::string& id) override {
    return inner_.get_playbook(id);
  }
  Result<std::vector<store::PlaybookRecord>> list_playbooks() override {
    return inner_.list_playbooks();
  }
  Result<std::optional<store::ExecutionRecord>> get_execution(const std::string& id) override {
    return inner_.get_execution(id);
  }
  Result<std::vector<store::ExecutionRecord>> list_executions(
      const store::ExecutionFilter& filter) override {
    return inner_.list_executions(filter);
  }
  Result<std::vector<store::ExecutionRecord>> unfinished_executions() override {
    return inner_.unfinished_executions();
  }
  Result<std::vector<store::StepRecord>> get_steps(const std::string& execution_id) override {
    return inner_.get_steps(execution_id);
  }
  void close() override { inner_.close(); }

  bool failed() const { return failed_.load(); }

 private:
  store::Store& inner_;
  std::string step_id_;
  std::function<bool()> until_;
  std::atomic<bool> failed_{false};
  std::thread reporter_;
};

constexpr const char* kStepA = "action--00000000-0000-4000-8000-00000000000a";
constexpr const char* kStepB = "action--00000000-0000-4000-8000-00000000000b";
constexpr const char* kStepC = "action--00000000-0000-4000-8000-00000000000c";  // the call

// start -> a -> b -> c -> end: a and b Lua transforms that set their own
// variable, c a call to `url`; on_completion links, as SOARCA's and many real
// playbooks use, so a failed step would not stop the walk.
std::string playbook_text(const std::string& url) {
  auto step = [](const std::string& var, const std::string& next) {
    return R"({"type":"action","agent":"individual--8a7c2f4e-5b1d-4c3a-9e8f-1a2b3c4d5e6f",
      "commands":[{"type":"x-atio-lua","command":"return { )" + var + R"( = 'ran' }"}],
      "out_args":[")" + var + R"("],"on_completion":")" + next + R"("})";
  };
  auto call = [&url](const std::string& next) {
    return R"({"type":"action","agent":"individual--8a7c2f4e-5b1d-4c3a-9e8f-1a2b3c4d5e6f",
      "commands":[{"type":"http-api","command":"POST )" + url + R"( HTTP/1.1","content":"c"}],
      "on_completion":")" + next + R"("})";
  };
  return std::string(R"({"type":"playbook","spec_version":"cacao-2.0",
    "id":"playbook--00000000-0000-4000-8000-000000000001","name":"journal fault",
    "created_by":"identity--00000000-0000-4000-8000-000000000002",
    "created":"2026-01-01T00:00:00.000Z","modified":"2026-01-01T00:00:00.000Z",
    "agent_definitions":{"individual--8a7c2f4e-5b1d-4c3a-9e8f-1a2b3c4d5e6f":{"type":"individual","name":"soc"}},
    "playbook_variables":{"__a__":{"type":"string","value":""},"__b__":{"type":"string","value":""}},
    "workflow_start":"start--00000000-0000-4000-8000-000000000010",
    "workflow":{
      "start--00000000-0000-4000-8000-000000000010":{"type":"start","on_completion":")") +
         kStepA + R"("},")" + kStepA + R"(":)" + step("__a__", kStepB) + R"(,")" + kStepB +
         R"(":)" + step("__b__", kStepC) + R"(,")" + kStepC + R"(":)" +
         call("end--00000000-0000-4000-8000-000000000014") +
         R"(,"end--00000000-0000-4000-8000-000000000014":{"type":"end"}}})";
}

TEST(JournalFault, StepsCutShortByAFailedJournalWriteRunWhenResumed) {
  atio::testing::HttpReceiver rx;
  atio::testing::Reply slow;
  slow.delay = std::chrono::seconds(30);  // c is in flight when b's write fails
  rx.enqueue_reply("/c", slow);
  atio::testing::EngineWorld w;
  ASSERT_EQ(w.open_store(), "");
  std::string error;
  auto pb = w.add_playbook(playbook_text(rx.url("/c")), &error);
  ASSERT_TRUE(pb) << error;
  JournalFaultStore faulty(*w.store, kStepB,
                           [&rx] { return rx.wait_for_requests(1, std::chrono::seconds(20)); });
  Engine engine({}, faulty, w.registry, w.source, w.board);
  std::map<std::string, store::ExecutionStatus> outcomes;
  std::mutex mu;
  engine.on_finished([&](const ExecutionOutcome& o) {
    std::lock_guard<std::mutex> lk(mu);
    outcomes[o.id] = o.status;
  });
  auto ids = engine.start_sync(pb->id, std::vector<bj::object>(1), {{"kind", "test"}});
  ASSERT_TRUE(ids.is_ok()) << ids.status().to_string();
  const std::string id = (*ids)[0];
  engine.wait_idle();
  ASSERT_TRUE(faulty.failed()) << "the write of b's end was refused";
  {
    std::lock_guard<std::mutex> lk(mu);
    EXPECT_EQ(outcomes.count(id), 0u) << "stopped without an end, to be resumed";
  }
  // Nothing after the failed write is in the journal as failed.
  auto steps = w.store->get_steps(id);
  ASSERT_TRUE(steps.is_ok());
  for (const auto& s : *steps) {
    EXPECT_NE(s.status, store::StepStatus::kFailed) << s.step_id << ": " << s.error;
  }

  // The database is back: the execution resumes from its journal.
  EXPECT_EQ(engine.resume_deferred(), 1u);
  engine.wait_idle();
  {
    std::lock_guard<std::mutex> lk(mu);
    ASSERT_EQ(outcomes.count(id), 1u);
    EXPECT_EQ(outcomes[id], store::ExecutionStatus::kSucceeded);
  }
  // Each step ran and wrote its variable (a step replayed from a "failed"
  // record writes none).
  steps = w.store->get_steps(id);
  ASSERT_TRUE(steps.is_ok());
  std::map<std::string, std::string> written;
  for (const auto& s : *steps) {
    if (s.step_type != "action") continue;
    EXPECT_EQ(s.status, store::StepStatus::kSucceeded) << s.step_id << ": " << s.error;
    for (const auto& kv : s.variables) {
      if (kv.value().is_string()) written[std::string(kv.key())] = std::string(kv.value().get_string());
    }
  }
  EXPECT_EQ(written,
            (std::map<std::string, std::string>{{"__a__", "ran"}, {"__b__", "ran"}}));
  // c was called again after the resume, with the same Idempotency-Key.
  auto calls = rx.requests();
  ASSERT_EQ(calls.size(), 2u);
  EXPECT_EQ(calls[0].header("Idempotency-Key"), calls[1].header("Idempotency-Key"));
}

}  // namespace
}  // namespace atio::engine
