#include "atio/actions/http/http_api_command.h"

#include <gtest/gtest.h>

// Designated initializers below name only the fields a test cares about.
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

#include <boost/json/parse.hpp>

#include <atomic>
#include <condition_variable>
#include <mutex>

#include "support/command_runner.h"
#include "support/http_receiver.h"

namespace atio::actions {
namespace {

using atio::testing::HttpReceiver;
using atio::testing::Reply;
using namespace std::chrono_literals;

bj::object obj(std::string_view text) { return bj::parse(text).as_object(); }

cacao::Command command(std::string_view raw_json) {
  cacao::Command c;
  c.raw = obj(raw_json);
  c.type = std::string(c.raw.at("type").as_string());
  if (auto* cmd = c.raw.if_contains("command")) c.command = std::string(cmd->as_string());
  return c;
}

// A playbook with one action step whose http-api target points at `address`.
struct Fixture {
  cacao::Playbook playbook;
  cacao::Step step;

  explicit Fixture(std::string target_json) {
    cacao::AgentTarget target;
    target.id = "http-api--11111111-1111-4111-8111-111111111111";
    target.type = "http-api";
    target.raw = obj(target_json);
    playbook.targets[target.id] = target;
    step.id = "action--22222222-2222-4222-8222-222222222222";
    step.kind = cacao::StepKind::kAction;
    step.targets = {target.id};
  }

  void add_auth(std::string id, std::string json) {
    cacao::AuthInfo auth;
    auth.id = id;
    auth.raw = obj(json);
    auth.type = std::string(auth.raw.at("type").as_string());
    playbook.auth_infos[id] = auth;
  }

  Invocation invocation(std::string_view command_json) const {
    Invocation inv;
    inv.execution_id = "exec-1";
    inv.step_id = step.id;
    inv.idempotency_key = "exec-1/" + step.id;
    inv.playbook = &playbook;
    inv.step = &step;
    inv.command = command(command_json);
    inv.cancel = std::make_shared<CancelToken>();
    return inv;
  }
};

std::string url_target(const HttpReceiver& r, std::string_view base_path = "") {
  return R"({"type":"http-api","address":{"url":[")" + r.url(base_path) + R"("]}})";
}

class HttpApiCommandTest : public ::testing::Test {
 protected:
  HttpReceiver receiver_;
  HttpClient client_;
  HttpApiCommand type_{client_};

  Outcome run(const Invocation& inv) {
    auto outcome = atio::testing::run_command(type_, inv);
    EXPECT_TRUE(outcome.has_value()) << "done was not called";
    return outcome ? std::move(*outcome) : Outcome{};
  }
};

TEST_F(HttpApiCommandTest, GetWithHeadersGoesToTheTargetUrl) {
  Fixture f(url_target(receiver_, "/base/"));
  Outcome o = run(f.invocation(R"({"type":"http-api",
      "command":"GET /api/v1/x?y=1 HTTP/1.1",
      "headers":{"Accept":["application/json"],"X-Multi":["a","b"]}})"));
  ASSERT_TRUE(o.status.is_ok()) << o.status.to_string();
  auto req = receiver_.requests().at(0);
  EXPECT_EQ(req.method, "GET");
  EXPECT_EQ(req.target, "/base/api/v1/x?y=1");
  EXPECT_EQ(req.header("Accept"), "application/json");
  int multi = 0;
  for (const auto& [k, v] : req.headers) multi += (k == "X-Multi");
  EXPECT_EQ(multi, 2);
  EXPECT_EQ(req.header("Idempotency-Key"), "exec-1/" + f.step.id);
  EXPECT_FALSE(req.has_header("Authorization"));
  EXPECT_EQ(o.outputs.at("status_code").as_int64(), 200);
}

TEST_F(HttpApiCommandTest, PostSendsContent) {
  Fixture f(url_target(receiver_));
  Outcome o = run(f.invocation(R"({"type":"http-api","command":"POST /alerts HTTP/1.1",
      "headers":{"Content-Type":["application/json"]},"content":"{\"a\":1}"})"));
  ASSERT_TRUE(o.status.is_ok()) << o.status.to_string();
  auto req = receiver_.requests().at(0);
  EXPECT_EQ(req.method, "POST");
  EXPECT_EQ(req.body, R"({"a":1})");
  EXPECT_EQ(req.header("Content-Type"), "application/json");
}

TEST_F(HttpApiCommandTest, ContentB64IsDecoded) {
  Fixture f(url_target(receiver_));
  // "hello\0world" with a NUL byte: binary content survives.
  Outcome o = run(f.invocation(
      R"({"type":"http-api","command":"PUT /blob HTTP/1.1","content_b64":"aGVsbG8Ad29ybGQ="})"));
  ASSERT_TRUE(o.status.is_ok()) << o.status.to_string();
  EXPECT_EQ(receiver_.requests().at(0).body, std::string("hello\0world", 11));
}

TEST_F(HttpApiCommandTest, HttpBasicAuthentication) {
  Fixture f(R"({"type":"http-api","address":{"url":[")" + receiver_.url() +
            R"("]},"authentication_info":"http-basic--1"})");
  f.add_auth("http-basic--1", R"({"type":"http-basic","user_id":"admin","password":"secret"})");
  ASSERT_TRUE(run(f.invocation(R"({"type":"http-api","command":"GET /x HTTP/1.1"})")).status);
  EXPECT_EQ(receiver_.requests().at(0).header("Authorization"), "Basic YWRtaW46c2VjcmV0");
}

TEST_F(HttpApiCommandTest, UserAuthAuthentication) {
  Fixture f(R"({"type":"http-api","address":{"url":[")" + receiver_.url() +
            R"("]},"authentication_info":"user-auth--1"})");
  f.add_auth("user-auth--1", R"({"type":"user-auth","username":"admin","password":"secret"})");
  ASSERT_TRUE(run(f.invocation(R"({"type":"http-api","command":"GET /x HTTP/1.1"})")).status);
  EXPECT_EQ(receiver_.requests().at(0).header("Authorization"), "Basic YWRtaW46c2VjcmV0");
}

TEST_F(HttpApiCommandTest, OAuth2BearerToken) {
  Fixture f(R"({"type":"http-api","address":{"url":[")" + receiver_.url() +
            R"("]},"authentication_info":"oauth2--1"})");
  f.add_auth("oauth2--1", R"({"type":"oauth2","oauth_header":"Authorization","token":"tok-123"})");
  ASSERT_TRUE(run(f.invocation(R"({"type":"http-api","command":"GET /x HTTP/1.1"})")).status);
  EXPECT_EQ(receiver_.requests().at(0).header("Authorization"), "Bearer tok-123");
}

TEST_F(HttpApiCommandTest, CommandHeadersWinOverAuthAndIdempotencyDefaults) {
  Fixture f(R"({"type":"http-api","address":{"url":[")" + receiver_.url() +
            R"("]},"authentication_info":"oauth2--1"})");
  f.add_auth("oauth2--1", R"({"type":"oauth2","oauth_header":"x","token":"tok"})");
  ASSERT_TRUE(run(f.invocation(R"({"type":"http-api","command":"GET /x HTTP/1.1",
      "headers":{"authorization":["ApiKey k"],"Idempotency-Key":["mine"]}})")).status);
  auto req = receiver_.requests().at(0);
  EXPECT_EQ(req.header("Authorization"), "ApiKey k");
  EXPECT_EQ(req.header("Idempotency-Key"), "mine");
  int auth_headers = 0;
  for (const auto& [k, v] : req.headers) auth_headers += atio::testing::header_name_equals(k, "Authorization");
  EXPECT_EQ(auth_headers, 1);
}

TEST_F(HttpApiCommandTest, NonSuccessStatusFailsWithStatusInMessage) {
  receiver_.set_reply("/x", Reply{.status = 503, .body = "down"});
  Fixture f(url_target(receiver_));
  Outcome o = run(f.invocation(R"({"type":"http-api","command":"GET /x HTTP/1.1"})"));
  EXPECT_EQ(o.status.code(), Code::kFailed);
  EXPECT_EQ(o.status.message(), "HTTP 503 from " + receiver_.url("/x"));
  EXPECT_EQ(o.outputs.at("status_code").as_int64(), 503);
  EXPECT_EQ(o.outputs.at("body").as_string(), "down");
  EXPECT_TRUE(o.out_args.empty());
}

TEST_F(HttpApiCommandTest, JsonResponseFillsOutputsAndOutArgs) {
  Reply reply = Reply::json(R"({"id":9007199254740993,"tags":["a","b"]})");
  reply.headers.emplace_back("X-Request-Id", "r1");
  receiver_.set_reply("/x", reply);
  Fixture f(url_target(receiver_));
  f.step.out_args = {"__result__", "__status__", "__unused__"};
  Outcome o = run(f.invocation(R"({"type":"http-api","command":"GET /x HTTP/1.1"})"));
  ASSERT_TRUE(o.status.is_ok()) << o.status.to_string();
  EXPECT_EQ(o.outputs.at("headers").at("x-request-id").as_string(), "r1");
  EXPECT_EQ(o.outputs.at("headers").at("content-type").as_string(), "application/json");
  EXPECT_EQ(o.outputs.at("json").at("id").as_int64(), 9007199254740993);
  EXPECT_TRUE(o.outputs.at("body").is_string());
  EXPECT_EQ(o.out_args.at("__result__").at("tags").as_array().size(), 2u);
  EXPECT_EQ(o.out_args.at("__status__").as_int64(), 200);
  EXPECT_FALSE(o.out_args.contains("__unused__"));
}

TEST_F(HttpApiCommandTest, TextResponseGoesToOutArgsAsString) {
  receiver_.set_reply("/x", Reply{.body = "plain text", .headers = {{"Content-Type", "text/plain"}}});
  Fixture f(url_target(receiver_));
  f.step.out_args = {"__result__"};
  Outcome o = run(f.invocation(R"({"type":"http-api","command":"GET /x HTTP/1.1"})"));
  ASSERT_TRUE(o.status.is_ok());
  EXPECT_FALSE(o.outputs.contains("json"));
  EXPECT_EQ(o.out_args.at("__result__").as_string(), "plain text");
}

TEST_F(HttpApiCommandTest, BinaryResponseIsBase64) {
  receiver_.set_reply("/x", Reply{.body = std::string("\xff\xfe\x00\x01", 4),
                                  .headers = {{"Content-Type", "application/octet-stream"}}});
  Fixture f(url_target(receiver_));
  Outcome o = run(f.invocation(R"({"type":"http-api","command":"GET /x HTTP/1.1"})"));
  ASSERT_TRUE(o.status.is_ok());
  EXPECT_FALSE(o.outputs.contains("body"));
  EXPECT_EQ(o.outputs.at("body_b64").as_string(), "//4AAQ==");
}

TEST_F(HttpApiCommandTest, TimeoutFromTheInvocation) {
  receiver_.set_reply("/slow", Reply{.delay = 5s});
  Fixture f(url_target(receiver_));
  Invocation inv = f.invocation(R"({"type":"http-api","command":"GET /slow HTTP/1.1"})");
  inv.timeout = 200ms;
  Outcome o = run(inv);
  EXPECT_EQ(o.status.code(), Code::kTimeout) << o.status.to_string();
  EXPECT_NE(o.status.to_string().find("GET " + receiver_.url("/slow")), std::string::npos);
}

TEST_F(HttpApiCommandTest, ConnectionRefusedIsUnavailable) {
  Fixture f(R"({"type":"http-api","address":{"url":["http://127.0.0.1:)" +
            std::to_string(HttpReceiver::unused_port()) + R"("]}})");
  Outcome o = run(f.invocation(R"({"type":"http-api","command":"GET /x HTTP/1.1"})"));
  EXPECT_EQ(o.status.code(), Code::kUnavailable) << o.status.to_string();
}

TEST_F(HttpApiCommandTest, CancelAbortsTheRequest) {
  receiver_.set_reply("/slow", Reply{.delay = 10s});
  Fixture f(url_target(receiver_));
  Invocation inv = f.invocation(R"({"type":"http-api","command":"GET /slow HTTP/1.1"})");
  auto token = inv.cancel;
  std::thread canceller([&] {
    receiver_.wait_for_requests(1, 10s);
    token->cancel();
  });
  auto outcome = atio::testing::run_command(type_, inv, 8s);
  canceller.join();
  ASSERT_TRUE(outcome.has_value());
  EXPECT_EQ(outcome->status.code(), Code::kAborted);
}

TEST_F(HttpApiCommandTest, SoarcaStyleRequestLineWithoutSlash) {
  Fixture f(url_target(receiver_));
  ASSERT_TRUE(run(f.invocation(R"({"type":"http-api","command":"GET get HTTP1.1"})")).status);
  EXPECT_EQ(receiver_.requests().at(0).target, "/get");
}

TEST_F(HttpApiCommandTest, AbsoluteUrlNeedsNoTargetAndGetsNoCredentials) {
  Fixture f(R"({"type":"http-api","address":{"dname":["unused.example"]},
      "authentication_info":"http-basic--1"})");
  f.add_auth("http-basic--1", R"({"type":"http-basic","user_id":"a","password":"b"})");
  Outcome o = run(f.invocation(R"({"type":"http-api","command":"GET )" +
                               receiver_.url("/abs/1") + R"("})"));
  ASSERT_TRUE(o.status.is_ok()) << o.status.to_string();
  auto req = receiver_.requests().at(0);
  EXPECT_EQ(req.target, "/abs/1");
  EXPECT_FALSE(req.has_header("Authorization"));
}

TEST_F(HttpApiCommandTest, AgentIsUsedWhenNoTargetIsHttpApi) {
  Fixture f(R"({"type":"http-api","address":{"dname":["unused.example"]}})");
  f.playbook.targets.begin()->second.type = "ssh";
  cacao::AgentTarget agent;
  agent.id = "http-api--33333333-3333-4333-8333-333333333333";
  agent.type = "http-api";
  agent.raw = obj(url_target(receiver_, "/agent"));
  f.playbook.agents[agent.id] = agent;
  f.step.agent = agent.id;
  ASSERT_TRUE(run(f.invocation(R"({"type":"http-api","command":"DELETE /x/1 HTTP/1.1"})")).status);
  EXPECT_EQ(receiver_.requests().at(0).target, "/agent/x/1");
  EXPECT_EQ(receiver_.requests().at(0).method, "DELETE");
}

TEST_F(HttpApiCommandTest, ConsecutiveInvocationsReuseTheConnection) {
  Fixture f(url_target(receiver_));
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(run(f.invocation(R"({"type":"http-api","command":"GET /x HTTP/1.1"})")).status);
  }
  EXPECT_EQ(receiver_.request_count(), 3u);
  EXPECT_EQ(receiver_.connection_count(), 1u);
}

TEST_F(HttpApiCommandTest, HundredConcurrentInvocationsComplete) {
  receiver_.set_default_reply(Reply{.body = "ok", .delay = 10ms});
  Fixture f(url_target(receiver_));
  std::mutex mu;
  std::condition_variable cv;
  int ok = 0, done = 0;
  for (int i = 0; i < 100; ++i) {
    type_.start(f.invocation(R"({"type":"http-api","command":"POST /bulk HTTP/1.1","content":"x"})"),
                [&](Outcome o) {
                  std::lock_guard<std::mutex> lock(mu);
                  ++done;
                  ok += o.status.is_ok();
                  cv.notify_all();
                });
  }
  std::unique_lock<std::mutex> lock(mu);
  ASSERT_TRUE(cv.wait_for(lock, 30s, [&] { return done == 100; }));
  EXPECT_EQ(ok, 100);
}

TEST_F(HttpApiCommandTest, UnbuildableCommandFailsInline) {
  Fixture f(url_target(receiver_));
  f.step.targets.clear();
  Outcome o = run(f.invocation(R"({"type":"http-api","command":"GET /x HTTP/1.1"})"));
  EXPECT_EQ(o.status.code(), Code::kInvalidArgument);
  EXPECT_EQ(receiver_.request_count(), 0u);
}

}  // namespace
}  // namespace atio::actions
