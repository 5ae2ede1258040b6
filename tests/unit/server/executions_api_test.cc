// Executions and manual steps through the router, with a real engine.
#include "server_test_support.h"

namespace atio::server::testing {
namespace {

class ExecutionsApiTest : public ServerTest {
 protected:
  std::string start(const std::string& playbook_id, const bj::object& body = {}) {
    Response r = call_json("POST", "/api/v1/playbooks/" + playbook_id + "/executions", body);
    EXPECT_EQ(r.status, 202) << r.body;
    if (r.status != 202) return "";
    return std::string(this->body(r).at("execution_ids").at(0).as_string());
  }
  // Waits until `execution_id` has a manual step waiting; returns its key.
  std::string wait_manual(const std::string& execution_id) {
    for (int i = 0; i < 400; ++i) {
      auto tasks = manual_->list(execution_id);
      if (!tasks.empty()) return tasks.front().step_key;
      std::this_thread::sleep_for(std::chrono::milliseconds(25));
    }
    ADD_FAILURE() << "no manual step waiting";
    return "";
  }
};

TEST_F(ExecutionsApiTest, StartRunsAndGetShowsEveryStep) {
  const std::string pb = create_playbook(lua_playbook(new_playbook_id()));
  const std::string id = start(pb, bj::object{{"variables", bj::object{{"severity", 7}}}});
  ASSERT_EQ(wait_finished(id), "succeeded");
  Response r = call("GET", "/api/v1/executions/" + id);
  ASSERT_EQ(r.status, 200);
  bj::value e = body(r);
  EXPECT_EQ(e.at("status"), "succeeded");
  EXPECT_EQ(e.at("playbook_id"), bj::value(pb));
  EXPECT_EQ(e.at("variables").at("__severity__"), 7);
  EXPECT_EQ(e.at("trigger").at("kind"), "api");
  const auto& steps = e.at("steps").as_array();
  ASSERT_EQ(steps.size(), 3u) << r.body;
  for (const auto& s : steps) {
    EXPECT_EQ(s.at("status"), "succeeded");
    EXPECT_TRUE(s.at("started_at").is_string());
    EXPECT_TRUE(s.at("finished_at").is_string());
    EXPECT_TRUE(s.at("duration_ms").is_int64());
    EXPECT_TRUE(s.at("inputs").is_object());
    EXPECT_TRUE(s.at("outputs").is_object());
  }
  EXPECT_EQ(steps[1].at("type"), "action");
}

TEST_F(ExecutionsApiTest, StartErrorsNameTheField) {
  const std::string pb = create_playbook(make_playbook(
      new_playbook_id(), bj::object{{"type", "x-atio-lua"}, {"command", "return {}"}},
      bj::object{{"__count__", bj::object{{"type", "integer"}, {"value", "1"}}},
                 {"__fixed__", bj::object{{"type", "string"}, {"value", "x"}, {"constant", true}}}}));
  EXPECT_EQ(call_json("POST", "/api/v1/playbooks/playbook--00000000-0000-4000-8000-000000000000/executions",
                      bj::object{}).status, 404);
  Response not_object = call_json("POST", "/api/v1/playbooks/" + pb + "/executions",
                                  bj::object{{"variables", 3}});
  EXPECT_EQ(not_object.status, 422);
  EXPECT_EQ(pointers(not_object), std::vector<std::string>{"/variables"});
  Response unknown = call_json("POST", "/api/v1/playbooks/" + pb + "/executions",
                              bj::object{{"vars", bj::object{}}});
  EXPECT_EQ(pointers(unknown), std::vector<std::string>{"/vars"});
  Response bad = call_json("POST", "/api/v1/playbooks/" + pb + "/executions",
                           bj::object{{"variables", bj::object{{"__count__", "many"},
                                                               {"__fixed__", "y"},
                                                               {"bad name!", 1}}}});
  EXPECT_EQ(bad.status, 422);
  auto ptrs = pointers(bad);
  std::sort(ptrs.begin(), ptrs.end());
  EXPECT_EQ(ptrs, (std::vector<std::string>{"/variables/__count__", "/variables/__fixed__",
                                            "/variables/bad name!"}))
      << bad.body;
  EXPECT_EQ(execution_count(), 0u);
}

TEST_F(ExecutionsApiTest, ListFiltersAndPages) {
  const std::string a = create_playbook(lua_playbook(new_playbook_id()));
  const std::string b = create_playbook(lua_playbook(new_playbook_id()));
  std::vector<std::string> ids;
  for (int i = 0; i < 5; ++i) ids.push_back(start(a));
  const std::string other = start(b);
  for (const auto& id : ids) wait_finished(id);
  wait_finished(other);

  std::vector<std::string> seen;
  std::string after;
  for (int page = 0; page < 5; ++page) {
    Response r = call("GET", "/api/v1/executions?playbook_id=" + a + "&limit=2" +
                                 (after.empty() ? "" : "&after=" + after));
    ASSERT_EQ(r.status, 200) << r.body;
    const bj::value page_body = body(r);
    for (const auto& e : page_body.at("executions").as_array()) {
      EXPECT_EQ(e.at("playbook_id"), bj::value(a));
      seen.push_back(std::string(e.at("id").as_string()));
    }
    if (body(r).at("next").is_null()) break;
    after = std::string(body(r).at("next").as_string());
  }
  EXPECT_EQ(seen.size(), 5u);
  std::vector<std::string> newest_first(ids.rbegin(), ids.rend());
  EXPECT_EQ(seen, newest_first);

  Response succeeded = call("GET", "/api/v1/executions?status=succeeded&limit=500");
  EXPECT_EQ(body(succeeded).at("executions").as_array().size(), 6u);
  Response bad_status = call("GET", "/api/v1/executions?status=done");
  EXPECT_EQ(bad_status.status, 400);
  EXPECT_EQ(pointers(bad_status), std::vector<std::string>{"/query/status"});
  EXPECT_EQ(pointers(call("GET", "/api/v1/executions?limit=0")), std::vector<std::string>{"/query/limit"});
  EXPECT_EQ(pointers(call("GET", "/api/v1/executions?limit=x")), std::vector<std::string>{"/query/limit"});
  EXPECT_EQ(pointers(call("GET", "/api/v1/executions?after=nope")), std::vector<std::string>{"/query/after"});
  EXPECT_EQ(call("GET", "/api/v1/executions/nope").status, 404);
}

TEST_F(ExecutionsApiTest, ManualAnswerRecordsWhoAnswered) {
  const std::string pb = create_playbook(manual_playbook(new_playbook_id()));
  const std::string id = start(pb);
  const std::string key = wait_manual(id);
  Response list = call("GET", "/api/v1/manual-steps?execution_id=" + id);
  ASSERT_EQ(list.status, 200);
  ASSERT_EQ(body(list).at("manual_steps").as_array().size(), 1u);
  EXPECT_EQ(body(list).at("manual_steps").at(0).at("command"), "Approve the block");
  EXPECT_EQ(body(call("GET", "/api/v1/executions/" + id)).at("manual_steps").as_array().size(), 1u);

  Response bad = call("POST", "/api/v1/executions/" + id + "/steps/" + key + "/answer",
                      "{\"success\": \"yes\"}");
  EXPECT_EQ(bad.status, 422);
  EXPECT_EQ(pointers(bad), std::vector<std::string>{"/success"});

  Response ok = call("POST", "/api/v1/executions/" + id + "/steps/" + key + "/answer",
                     "{\"success\": true, \"response\": {\"ticket\": 42}}");
  ASSERT_EQ(ok.status, 200) << ok.body;
  EXPECT_NE(std::string(body(ok).at("answered_by").as_string()).find("tester"), std::string::npos);
  EXPECT_EQ(wait_finished(id), "succeeded");
  std::string journal = call("GET", "/api/v1/executions/" + id).body;
  EXPECT_NE(journal.find("tester"), std::string::npos) << journal;

  Response again = call("POST", "/api/v1/executions/" + id + "/steps/" + key + "/answer", "{}");
  EXPECT_EQ(again.status, 404);
}

TEST_F(ExecutionsApiTest, AbortWaitingExecution) {
  const std::string pb = create_playbook(manual_playbook(new_playbook_id()));
  const std::string id = start(pb);
  wait_manual(id);
  Response r = call("POST", "/api/v1/executions/" + id + "/abort");
  EXPECT_EQ(r.status, 202) << r.body;
  EXPECT_EQ(wait_finished(id), "aborted");
  EXPECT_EQ(call("POST", "/api/v1/executions/" + id + "/abort").status, 409);
  EXPECT_EQ(call("POST", "/api/v1/executions/nope/abort").status, 404);
  EXPECT_TRUE(manual_->list(id).empty());
}

}  // namespace
}  // namespace atio::server::testing
