// Schedules: the API's validation and the runner's timing (with a test clock).
#include "atio/server/api/common.h"
#include "atio/server/schedule_runner.h"
#include "server_test_support.h"

namespace atio::server::testing {
namespace {

class SchedulesTest : public ServerTest {
 protected:
  std::int64_t last_run(const std::string& id) {
    auto s = store_->get_schedule(id);
    return s.is_ok() && *s ? (*s)->last_run_at_ms : -1;
  }
  // Waits until the store records a run of schedule `id` (the runner writes
  // it after the execution is stored).
  bool wait_last_run(const std::string& id, std::int64_t at) {
    for (int i = 0; i < 400; ++i) {
      if (last_run(id) == at) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return false;
  }
};

TEST_F(SchedulesTest, CreateValidatesEveryField) {
  const std::string pb = create_playbook(lua_playbook(new_playbook_id()));
  auto ptrs = [&](const bj::object& o) {
    auto p = pointers(call_json("POST", "/api/v1/schedules", o));
    std::sort(p.begin(), p.end());
    return p;
  };
  EXPECT_EQ(ptrs({{"playbook_id", pb}}), std::vector<std::string>{"/interval_seconds"});
  EXPECT_EQ(ptrs({{"playbook_id", pb}, {"interval_seconds", 5}, {"cron", "* * * * *"}}),
            std::vector<std::string>{"/cron"});
  EXPECT_EQ(ptrs({{"playbook_id", pb}, {"interval_seconds", 0}}),
            std::vector<std::string>{"/interval_seconds"});
  EXPECT_EQ(ptrs({{"playbook_id", pb}, {"cron", "* 25 * * *"}}), std::vector<std::string>{"/cron"});
  EXPECT_EQ(ptrs({{"playbook_id", pb}, {"cron", "0 0 30 2 *"}}), std::vector<std::string>{"/cron"});
  EXPECT_EQ(ptrs({{"playbook_id", "playbook--nope"}, {"interval_seconds", 5}}),
            std::vector<std::string>{"/playbook_id"});
  EXPECT_EQ(ptrs({{"interval_seconds", 5}, {"every", 1}}),
            (std::vector<std::string>{"/every", "/playbook_id"}));
  EXPECT_EQ(ptrs({{"playbook_id", pb}, {"interval_seconds", 5}, {"variables", bj::array{}}}),
            std::vector<std::string>{"/variables"});

  Response cron = call_json("POST", "/api/v1/schedules",
                            bj::object{{"playbook_id", pb}, {"cron", "*/5 * * * *"}, {"name", "sweep"}});
  ASSERT_EQ(cron.status, 201) << cron.body;
  EXPECT_TRUE(body(cron).at("interval_seconds").is_null());
  EXPECT_TRUE(body(cron).at("next_run_at").is_string());
  EXPECT_EQ(body(call("GET", "/api/v1/schedules")).at("schedules").as_array().size(), 1u);
  std::string id(body(cron).at("id").as_string());
  EXPECT_EQ(call("GET", "/api/v1/schedules/" + id).status, 200);
  EXPECT_EQ(call("DELETE", "/api/v1/schedules/" + id).status, 204);
  EXPECT_EQ(call("DELETE", "/api/v1/schedules/" + id).status, 404);
}

TEST_F(SchedulesTest, IntervalRunsWhenDueAndOnceAfterDowntime) {
  const std::string pb = create_playbook(lua_playbook(new_playbook_id()));
  Response r = call_json("POST", "/api/v1/schedules",
                         bj::object{{"playbook_id", pb}, {"interval_seconds", 60},
                                    {"variables", bj::object{{"source", "schedule"}}}});
  ASSERT_EQ(r.status, 201) << r.body;
  const std::string id(body(r).at("id").as_string());
  const std::int64_t created = (*store_->get_schedule(id))->created_at_ms;

  ScheduleRunner runner(*store_, *engine_);
  EXPECT_EQ(runner.tick(created + 59'000), 0);
  EXPECT_EQ(runner.tick(created + 60'000), 1);
  ASSERT_TRUE(wait_last_run(id, created + 60'000));
  EXPECT_EQ(runner.tick(created + 61'000), 0);  // next is at +120 s
  EXPECT_EQ(execution_count(), 1u);

  // Down for ten intervals: one run on the next tick, not ten.
  const std::int64_t later = created + 60'000 + 600'000;
  EXPECT_EQ(runner.tick(later), 1);
  ASSERT_TRUE(wait_last_run(id, later));
  EXPECT_EQ(runner.tick(later + 1'000), 0);
  EXPECT_EQ(execution_count(), 2u);

  store::ExecutionFilter f;
  auto all = store_->list_executions(f);
  ASSERT_TRUE(all.is_ok());
  EXPECT_EQ(all->front().trigger.at("kind"), "schedule");
  EXPECT_EQ(all->front().variables.at("__source__"), "schedule");
  // A new runner (a restart) reads the last run from the store.
  ScheduleRunner restarted(*store_, *engine_);
  EXPECT_EQ(restarted.tick(later + 1'000), 0);
  EXPECT_EQ(restarted.tick(later + 60'000), 1);
}

TEST_F(SchedulesTest, ADueTimeStartsOneExecutionWhenSeveralNodesTickAtOnce) {
  const std::string pb = create_playbook(lua_playbook(new_playbook_id()));
  Response r = call_json("POST", "/api/v1/schedules",
                         bj::object{{"playbook_id", pb}, {"interval_seconds", 60}});
  ASSERT_EQ(r.status, 201) << r.body;
  const std::string id(body(r).at("id").as_string());
  const std::int64_t created = (*store_->get_schedule(id))->created_at_ms;
  // Three nodes' runners read the same last run and start the same due time
  // (one engine here; each runner stands for a node of its own).
  ScheduleRunner a(*store_, *engine_), b(*store_, *engine_), c(*store_, *engine_);
  // (A runner that reads the store after the first run is recorded starts
  // nothing: at least one starts, usually all three.)
  EXPECT_GE(a.tick(created + 60'000) + b.tick(created + 60'010) + c.tick(created + 60'020), 1);
  engine_->wait_idle();
  for (int i = 0; i < 400 && last_run(id) <= 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  engine_->wait_idle();
  EXPECT_EQ(execution_count(), 1u);
  const std::int64_t recorded = last_run(id);
  EXPECT_TRUE(recorded >= created + 60'000 && recorded <= created + 60'020) << recorded;
  // The next due time counts from the run that was recorded, on every node.
  EXPECT_EQ(a.tick(recorded + 59'000) + b.tick(recorded + 59'000), 0);
  EXPECT_GE(a.tick(recorded + 60'000) + b.tick(recorded + 60'000), 1);
  engine_->wait_idle();
  for (int i = 0; i < 400 && execution_count() < 2; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_EQ(execution_count(), 2u);
}

TEST_F(SchedulesTest, CronNextRunFollowsTheExpression) {
  store::ScheduleRecord s;
  s.cron = "0 * * * *";
  s.created_at_ms = 1'700'000'000'000;  // 2023-11-14T22:13:20Z
  EXPECT_EQ(next_run_ms(s), std::optional<std::int64_t>(1'700'002'800'000));  // 23:00
  s.last_run_at_ms = 1'700'002'800'000;
  EXPECT_EQ(next_run_ms(s), std::optional<std::int64_t>(1'700'006'400'000));  // 00:00
  s.cron = "nonsense";
  EXPECT_EQ(next_run_ms(s), std::nullopt);
  s.cron.clear();
  s.interval_seconds = 30;
  EXPECT_EQ(next_run_ms(s), std::optional<std::int64_t>(1'700'002'830'000));
}

class SchedulesFullEngine : public SchedulesTest {
 protected:
  SchedulesFullEngine() { engine_options_.max_active_executions = 0; }
};

TEST_F(SchedulesFullEngine, FullEngineLeavesTheScheduleDue) {
  const std::string pb = create_playbook(lua_playbook(new_playbook_id()));
  Response r = call_json("POST", "/api/v1/schedules", bj::object{{"playbook_id", pb}, {"interval_seconds", 1}});
  ASSERT_EQ(r.status, 201);
  const std::string id(body(r).at("id").as_string());
  ScheduleRunner runner(*store_, *engine_);
  const std::int64_t t = now_ms() + 5'000;
  EXPECT_EQ(runner.tick(t), 1);
  EXPECT_EQ(last_run(id), 0);
  EXPECT_EQ(runner.tick(t), 1);  // still due: tried again
  EXPECT_EQ(execution_count(), 0u);
}

}  // namespace
}  // namespace atio::server::testing
