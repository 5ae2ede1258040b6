// Webhooks: per-hook token or HMAC, __event__, NDJSON all-or-nothing, 429.
#include "atio/server/auth/crypto.h"
#include "server_test_support.h"

namespace atio::server::testing {
namespace {

class WebhookTest : public ServerTest {
 protected:
  // Creates a hook on a new Lua playbook; returns {hook_id, credential}.
  std::pair<std::string, std::string> make_hook(const std::string& auth,
                                                const bj::object& playbook = {}) {
    const std::string pb = create_playbook(playbook.empty() ? lua_playbook(new_playbook_id()) : playbook);
    Response r = call_json("POST", "/api/v1/hooks",
                           bj::object{{"playbook_id", pb}, {"auth", auth}, {"name", "suricata"}});
    EXPECT_EQ(r.status, 201) << r.body;
    bj::value b = body(r);
    std::string cred(b.at(auth == "hmac" ? "secret" : "token").as_string());
    return {std::string(b.at("hook_id").as_string()), cred};
  }
  Response trigger(const std::string& hook, const std::string& payload,
                   std::map<std::string, std::string> headers) {
    return call("POST", "/api/v1/hooks/" + hook, payload, std::move(headers), false);
  }
  static std::vector<std::string> ids(const Response& r) {
    std::vector<std::string> out;
    const bj::value b = body(r);
    if (!b.is_object() || !b.as_object().contains("execution_ids")) {
      ADD_FAILURE() << "no execution_ids: " << r.body;
      return out;
    }
    for (const auto& v : b.at("execution_ids").as_array()) out.push_back(std::string(v.as_string()));
    return out;
  }
};

TEST_F(WebhookTest, TokenHookStartsExecutionWithEvent) {
  auto [hook, token] = make_hook("token");
  Response r = trigger(hook, R"({"alert":{"signature":"ET SCAN"}})",
                       {{"authorization", "Bearer " + token}});
  ASSERT_EQ(r.status, 202) << r.body;
  auto got = ids(r);
  ASSERT_EQ(got.size(), 1u);
  // 202 means stored: the execution is readable at once.
  auto e = store_->get_execution(got[0]);
  ASSERT_TRUE(e.is_ok() && *e);
  EXPECT_EQ((*e)->variables.at("__event__").at("alert").at("signature"), "ET SCAN");
  EXPECT_EQ((*e)->trigger.at("kind"), "webhook");
  EXPECT_EQ((*e)->trigger.at("hook_id"), bj::value(hook));
  EXPECT_EQ(wait_finished(got[0]), "succeeded");

  Response x_token = trigger(hook, "{}", {{"x-atio-token", token}});
  EXPECT_EQ(x_token.status, 202);
}

TEST_F(WebhookTest, WrongOrMissingTokenIs401AndStoresNothing) {
  auto [hook, token] = make_hook("token");
  EXPECT_EQ(trigger(hook, "{}", {{"authorization", "Bearer " + token + "x"}}).status, 401);
  EXPECT_EQ(trigger(hook, "{}", {}).status, 401);
  // An API key is not a hook token.
  EXPECT_EQ(trigger(hook, "{}", {{"authorization", "Bearer " + key_}}).status, 401);
  EXPECT_EQ(execution_count(), 0u);
  EXPECT_EQ(trigger("nope", "{}", {{"authorization", "Bearer " + token}}).status, 404);
}

TEST_F(WebhookTest, HmacHookVerifiesTheRawBody) {
  auto [hook, secret] = make_hook("hmac");
  const std::string payload = R"({"event":"login failed"})";
  const std::string sig = "sha256=" + auth::hmac_sha256_hex(secret, payload);
  Response ok = trigger(hook, payload, {{"x-atio-signature", sig}});
  EXPECT_EQ(ok.status, 202) << ok.body;
  std::string upper = sig;
  for (auto& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  EXPECT_EQ(trigger(hook, payload, {{"x-atio-signature", upper}}).status, 202);
  EXPECT_EQ(trigger(hook, payload + " ", {{"x-atio-signature", sig}}).status, 401);
  EXPECT_EQ(trigger(hook, payload, {{"x-atio-signature", "sha256=00"}}).status, 401);
  EXPECT_EQ(trigger(hook, payload, {}).status, 401);
  EXPECT_EQ(execution_count(), 2u);
}

TEST_F(WebhookTest, NdjsonStartsOneExecutionPerLine) {
  auto [hook, token] = make_hook("token");
  Response r = trigger(hook, "{\"n\":1}\n{\"n\":2}\n\n{\"n\":3}\n",
                       {{"authorization", "Bearer " + token}, {"content-type", "application/x-ndjson"}});
  ASSERT_EQ(r.status, 202) << r.body;
  auto got = ids(r);
  ASSERT_EQ(got.size(), 3u);
  for (std::size_t i = 0; i < got.size(); ++i) {
    auto e = store_->get_execution(got[i]);
    ASSERT_TRUE(e.is_ok() && *e);
    EXPECT_EQ((*e)->variables.at("__event__").at("n"), static_cast<int>(i + 1));
  }
  // Several JSON lines without the NDJSON content type are NDJSON too.
  Response plain = trigger(hook, "{\"n\":1}\n{\"n\":2}", {{"authorization", "Bearer " + token}});
  EXPECT_EQ(ids(plain).size(), 2u);
  // One pretty-printed document is one event.
  Response pretty = trigger(hook, "{\n  \"n\": 1\n}\n", {{"authorization", "Bearer " + token}});
  EXPECT_EQ(ids(pretty).size(), 1u);
}

TEST_F(WebhookTest, XmlAndCsvBodiesAreOneEventOfText) {
  auto [hook, token] = make_hook("token");
  const std::string xml = "<report id=\"1\"><results><result/></results></report>\n";
  Response r = trigger(hook, xml,
                       {{"authorization", "Bearer " + token}, {"content-type", "application/xml"}});
  ASSERT_EQ(r.status, 202) << r.body;
  auto got = ids(r);
  ASSERT_EQ(got.size(), 1u);
  auto e = store_->get_execution(got[0]);
  ASSERT_TRUE(e.is_ok() && *e);
  EXPECT_EQ((*e)->variables.at("__event__"), bj::value(xml));
  Response csv = trigger(hook, "IP,NVT OID\n10.0.0.1,1.3.6\n",
                         {{"authorization", "Bearer " + token}, {"content-type", "text/csv; charset=utf-8"}});
  EXPECT_EQ(ids(csv).size(), 1u);
}

TEST_F(WebhookTest, BadNdjsonLineRejectsTheWholeBody) {
  auto [hook, token] = make_hook("token");
  Response r = trigger(hook, "{\"n\":1}\n{\"n\":\n{\"n\":3}\n",
                       {{"authorization", "Bearer " + token}, {"content-type", "application/x-ndjson"}});
  EXPECT_EQ(r.status, 400);
  EXPECT_NE(std::string(body(r).at("error").at("message").as_string()).find("line 2"),
            std::string::npos)
      << r.body;
  EXPECT_EQ(execution_count(), 0u);
  Response not_json = trigger(hook, "hello", {{"authorization", "Bearer " + token}});
  EXPECT_EQ(not_json.status, 400);
  EXPECT_EQ(execution_count(), 0u);
}

TEST_F(WebhookTest, WaitAnswersWhenTheExecutionsHaveEnded) {
  auto [hook, token] = make_hook("token");
  Response r = call("POST", "/api/v1/hooks/" + hook + "?wait=10", "{\"n\":1}\n{\"n\":2}\n",
                    {{"authorization", "Bearer " + token}, {"content-type", "application/x-ndjson"}},
                    false);
  ASSERT_EQ(r.status, 200) << r.body;
  auto got = ids(r);
  ASSERT_EQ(got.size(), 2u);
  const bj::value b = body(r);
  const auto& executions = b.at("executions").as_array();
  ASSERT_EQ(executions.size(), 2u);
  for (std::size_t i = 0; i < 2; ++i) {
    EXPECT_EQ(executions[i].at("id"), bj::value(got[i]));
    EXPECT_EQ(executions[i].at("status"), "succeeded");
    // 200 means ended and durable: the store says so too.
    EXPECT_EQ((*store_->get_execution(got[i]))->status, store::ExecutionStatus::kSucceeded);
  }
}

TEST_F(WebhookTest, WaitTimesOutWith202WhileAPersonDecides) {
  auto [hook, token] = make_hook("token", manual_playbook(new_playbook_id()));
  Response r = call("POST", "/api/v1/hooks/" + hook + "?wait=1", "{}",
                    {{"authorization", "Bearer " + token}}, false);
  ASSERT_EQ(r.status, 202) << r.body;
  const bj::value b = body(r);
  const auto& executions = b.at("executions").as_array();
  ASSERT_EQ(executions.size(), 1u);
  EXPECT_EQ(executions[0].at("status"), "running");
}

TEST_F(WebhookTest, BadWaitIs400NamingTheParameterAndStoresNothing) {
  auto [hook, token] = make_hook("token");
  for (const char* bad : {"0", "301", "abc", ""}) {
    Response r = call("POST", "/api/v1/hooks/" + hook + "?wait=" + bad, "{}",
                      {{"authorization", "Bearer " + token}}, false);
    EXPECT_EQ(r.status, 400) << bad;
    EXPECT_NE(r.body.find("/query/wait"), std::string::npos) << r.body;
  }
  EXPECT_EQ(execution_count(), 0u);
}

TEST_F(WebhookTest, HookListNeverShowsSecrets) {
  auto [hook, token] = make_hook("token");
  Response list = call("GET", "/api/v1/hooks");
  ASSERT_EQ(list.status, 200);
  EXPECT_EQ(list.body.find(token), std::string::npos);
  EXPECT_EQ(body(list).at("hooks").at(0).at("hook_id"), bj::value(hook));
  EXPECT_EQ(call("GET", "/api/v1/hooks/" + hook).status, 200);
  Response bad = call_json("POST", "/api/v1/hooks", bj::object{{"auth", "password"}});
  EXPECT_EQ(bad.status, 422);
  auto ptrs = pointers(bad);
  std::sort(ptrs.begin(), ptrs.end());
  EXPECT_EQ(ptrs, (std::vector<std::string>{"/auth", "/playbook_id"}));
  Response unknown_pb = call_json("POST", "/api/v1/hooks", bj::object{{"playbook_id", "playbook--x"}});
  EXPECT_EQ(pointers(unknown_pb), std::vector<std::string>{"/playbook_id"});
  EXPECT_EQ(call("DELETE", "/api/v1/hooks/" + hook).status, 204);
  EXPECT_EQ(trigger(hook, "{}", {{"authorization", "Bearer " + token}}).status, 404);
}

class FullEngineTest : public WebhookTest {
 protected:
  FullEngineTest() {
    engine_options_.max_active_executions = 2;
    limits_.max_events_per_request = 5;
  }
};

TEST_F(FullEngineTest, FullEngineIs429WithRetryAfterAndStoresNothing) {
  auto [hook, token] = make_hook("token", manual_playbook(new_playbook_id()));
  ASSERT_EQ(trigger(hook, "{}", {{"authorization", "Bearer " + token}}).status, 202);
  // One slot left: three events do not fit, so none is stored.
  Response r = trigger(hook, "{}\n{}\n{}", {{"authorization", "Bearer " + token}});
  EXPECT_EQ(r.status, 429) << r.body;
  EXPECT_EQ(header(r, "Retry-After"), "1");
  EXPECT_EQ(execution_count(), 1u);
  EXPECT_EQ(trigger(hook, "{}", {{"authorization", "Bearer " + token}}).status, 202);
  EXPECT_EQ(trigger(hook, "{}", {{"authorization", "Bearer " + token}}).status, 429);
  EXPECT_EQ(execution_count(), 2u);
  Response too_many = trigger(hook, "{}\n{}\n{}\n{}\n{}\n{}", {{"authorization", "Bearer " + token}});
  EXPECT_EQ(too_many.status, 413);
}

}  // namespace
}  // namespace atio::server::testing
