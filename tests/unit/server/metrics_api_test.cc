// GET /metrics through the router: who may scrape (admins, auditors, the
// scrape token; nobody anonymous), the content type Prometheus expects, and
// the webhook trigger's counts read back by the reference parser.
#include "atio/server/auth/crypto.h"
#include "atio/server/auth/scrape_token.h"
#include "server_test_support.h"
#include "unit/metrics/exposition_oracle.h"

namespace atio::server::testing {
namespace {

using metrics::testing::Exposition;
using metrics::testing::parse_exposition;

class MetricsApiTest : public ServerTest {
 protected:
  Exposition scrape() {
    Response r = call("GET", "/metrics");
    EXPECT_EQ(r.status, 200) << r.body;
    Exposition e = parse_exposition(r.body);
    EXPECT_EQ(e.error, "");
    return e;
  }
};

TEST_F(MetricsApiTest, AdminsAndAuditorsScrapeInTheTextFormatOthersAreRefused) {
  Response r = call("GET", "/metrics");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.content_type, "text/plain; version=0.0.4; charset=utf-8");
  EXPECT_EQ(header(r, "Cache-Control"), "no-store");
  EXPECT_TRUE(parse_exposition(r.body).value("atio_build_info", {{"version", ctx_.version}}));
  EXPECT_EQ(call("GET", "/metrics", "", {}, false).status, 401);
  for (const char* role : {"auditor", "viewer", "analyst", "author"}) {
    auto key = api_keys_->create({std::string("k-") + role, role});
    ASSERT_TRUE(key.is_ok());
    const int status = call("GET", "/metrics", "", {{"authorization", "Bearer " + *key}}).status;
    EXPECT_EQ(status, std::string(role) == "auditor" ? 200 : 403) << role;
  }
}

TEST_F(MetricsApiTest, TheScrapeTokenReadsMetricsAndNothingElse) {
  const std::string token = auth::new_secret("scrape_");
  auth::ScrapeTokenAuthenticator with_token(*authenticator_, token);
  Router router(with_token, store_.get());
  add_api_routes(router, ctx_);
  auto send = [&router](const std::string& target, const std::string& bearer) {
    Request r;
    r.method = "GET";
    r.target = target;
    if (!bearer.empty()) r.headers["authorization"] = "Bearer " + bearer;
    std::promise<Response> p;
    auto f = p.get_future();
    router.dispatch(std::move(r), [&p](Response res) { p.set_value(std::move(res)); });
    return f.get();
  };
  EXPECT_EQ(send("/metrics", token).status, 200);
  EXPECT_EQ(send("/api/v1/playbooks", token).status, 403);
  EXPECT_EQ(send("/api/v1/audit", token).status, 403);
  EXPECT_EQ(send("/metrics", token + "0").status, 401);
  EXPECT_EQ(send("/metrics", "").status, 401);
  // API keys still work beside it.
  EXPECT_EQ(send("/api/v1/playbooks", key_).status, 200);
}

TEST_F(MetricsApiTest, WebhookEventsAcceptedAndRequestsRejectedAreCounted) {
  const std::string pb = create_playbook(lua_playbook(new_playbook_id()));
  Response made = call_json("POST", "/api/v1/hooks",
                            bj::object{{"playbook_id", pb}, {"auth", "token"}, {"name", "ids"}});
  ASSERT_EQ(made.status, 201) << made.body;
  const std::string hook(body(made).at("hook_id").as_string());
  const std::string token(body(made).at("token").as_string());
  auto trigger = [this, &hook](const std::string& id, const std::string& payload,
                               std::map<std::string, std::string> headers) {
    return call("POST", "/api/v1/hooks/" + id, payload, std::move(headers), false).status;
  };
  const std::map<std::string, std::string> good = {{"authorization", "Bearer " + token}};
  EXPECT_EQ(trigger(hook, "{}", good), 202);
  // Three events in one NDJSON body.
  EXPECT_EQ(trigger(hook, "{\"a\":1}\n{\"a\":2}\n{\"a\":3}\n",
                    {{"authorization", "Bearer " + token}, {"content-type", "application/x-ndjson"}}),
            202);
  EXPECT_EQ(trigger(hook, "{}", {{"authorization", "Bearer wrong"}}), 401);
  EXPECT_EQ(trigger(hook, "{}", {}), 401);
  EXPECT_EQ(trigger(hook, "{\"a\":1}\nnot json\n", good), 400);
  EXPECT_EQ(trigger("no-such-hook", "{}", good), 404);
  Exposition e = scrape();
  EXPECT_EQ(e.value("atio_webhook_events_accepted_total", {{"hook", hook}}), 4.0);
  EXPECT_EQ(e.value("atio_webhook_requests_rejected_total",
                    {{"hook", hook}, {"reason", "unauthenticated"}}),
            2.0);
  EXPECT_EQ(e.value("atio_webhook_requests_rejected_total", {{"hook", hook}, {"reason", "invalid"}}),
            1.0);
  // An unknown hook is not named: made-up ids create no series.
  EXPECT_EQ(e.value("atio_webhook_requests_rejected_total",
                    {{"hook", ""}, {"reason", "unknown_hook"}}),
            1.0);
  EXPECT_EQ(e.count("atio_webhook_requests_rejected_total"), 3u);
  // The four executions they started are counted by the engine.
  EXPECT_EQ(e.value("atio_executions_started_total", {{"playbook", pb}}), 4.0);
}

TEST_F(MetricsApiTest, WithoutMetricsTheRouteAnswers503) {
  ctx_.metrics = nullptr;
  EXPECT_EQ(call("GET", "/metrics").status, 503);
}

}  // namespace
}  // namespace atio::server::testing
