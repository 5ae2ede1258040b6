// CACAO openc2-http against an OpenC2 consumer of the test's own that checks
// what the OpenC2 HTTPS transfer spec asks of a producer: POST, the command
// media type, an OpenC2 v1.0 command in the body; and answers as a consumer
// does, with an OpenC2 response (status, status_text, results).
#include <gtest/gtest.h>

#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

#include <boost/json/serialize.hpp>

#include "atio/actions/connectors/openc2_command.h"
#include "atio/core/base64.h"
#include "unit/actions/connector_fixture.h"
#include "unit/cacao/cacao_test_support.h"

namespace atio::actions::connectors {
namespace {

using atio::testing::ReceivedRequest;
using atio::testing::Reply;
using testing::ConnectorWorld;
using testing::errors_text;

constexpr const char* kDeny =
    R"({"action":"deny","target":{"ipv4_net":"10.0.0.5"},"args":{"response_requested":"complete"},"actuator":{"slpf":{}}})";

std::string command_json(std::string_view openc2, std::string_view line = "POST /.well-known/openc2 HTTP/1.1") {
  return R"({"type":"openc2-http","command":")" + std::string(line) + R"(","content_b64":")" +
         base64_encode(openc2) + R"("})";
}

Reply openc2_response(int status, std::string text, std::string results = "") {
  Reply r = Reply::json(R"({"status":)" + std::to_string(status) + R"(,"status_text":")" + text +
                        "\"" + (results.empty() ? "" : ",\"results\":" + results) + "}");
  r.headers = {{"Content-Type", "application/openc2-rsp+json;version=1.0"}};
  return r;
}

// The consumer: refuses what the transfer spec does not allow, else runs the
// command and answers 200 with the OpenC2 response.
Reply consumer(const ReceivedRequest& r) {
  if (r.method != "POST" || r.path != "/.well-known/openc2") return Reply{.status = 404};
  if (r.header("Content-Type") != "application/openc2-cmd+json;version=1.0") {
    return openc2_response(400, "bad content type " + r.header("Content-Type"));
  }
  if (r.header("Accept").find("application/openc2-rsp+json") != 0) {
    return openc2_response(400, "producer does not accept OpenC2 responses");
  }
  bj::value cmd = bj::parse(r.body);
  if (cmd.at("action") != "deny" || !cmd.at("target").as_object().contains("ipv4_net")) {
    return openc2_response(501, "command not supported");
  }
  return openc2_response(200, "rule added", R"({"slpf":{"rule_number":1234}})");
}

TEST(OpenC2Test, PostsTheCommandWithTheTransferSpecsMediaTypesAndCredential) {
  ConnectorWorld world{bj::value("consumer-token")};
  world.step.out_args = {"__results__", "__status__"};
  world.receiver.set_handler(consumer);
  OpenC2Command type{world.sender, world.options};
  Outcome o = world.run(type, command_json(kDeny));
  ASSERT_TRUE(o.status.is_ok()) << o.status.to_string();
  auto r = world.receiver.requests().at(0);
  EXPECT_EQ(r.header("Authorization"), "Bearer consumer-token");
  EXPECT_EQ(r.header("X-Request-ID"), "exec-1:" + world.step.id);
  EXPECT_EQ(bj::parse(r.body), bj::parse(kDeny));
  EXPECT_EQ(o.outputs.at("openc2_status").as_int64(), 200);
  EXPECT_EQ(o.outputs.at("status_text").as_string(), "rule added");
  EXPECT_EQ(o.out_args.at("__results__").at("slpf").at("rule_number").as_int64(), 1234);
  EXPECT_EQ(o.out_args.at("__status__").as_int64(), 200);
}

TEST(OpenC2Test, AnOpenC2StatusOtherThan200Or102FailsNamingItsText) {
  ConnectorWorld world;
  world.receiver.set_handler(consumer);
  OpenC2Command type{world.sender, world.options};
  Outcome o = world.run(type, command_json(R"({"action":"scan","target":{"device":{}}})"));
  EXPECT_EQ(o.status.code(), Code::kFailed);
  EXPECT_NE(o.status.message().find("OpenC2 status 501"), std::string::npos) << o.status.message();
  EXPECT_NE(o.status.message().find("command not supported"), std::string::npos);

  // 102 Processing is success: the consumer took the command.
  world.receiver.set_handler([](const ReceivedRequest&) { return openc2_response(102, "queued"); });
  EXPECT_TRUE(world.run(type, command_json(kDeny)).status.is_ok());

  // A 2xx that is no OpenC2 response is a failure.
  world.receiver.set_handler([](const ReceivedRequest&) { return Reply::json("{}"); });
  Outcome odd = world.run(type, command_json(kDeny));
  EXPECT_EQ(odd.status.code(), Code::kFailed);
  EXPECT_NE(odd.status.message().find("not an OpenC2 response"), std::string::npos);
}

TEST(OpenC2Test, A503IsRetriedUntilTheConsumerAnswers) {
  ConnectorWorld world;
  world.receiver.enqueue_reply("/.well-known/openc2", Reply{.status = 503, .body = "busy"});
  world.receiver.set_reply("/.well-known/openc2", openc2_response(200, "ok"));
  OpenC2Command type{world.sender, world.options};
  Outcome o = world.run(type, command_json(kDeny));
  ASSERT_TRUE(o.status.is_ok()) << o.status.to_string();
  EXPECT_EQ(o.outputs.at("attempts").as_int64(), 2);
  auto requests = world.receiver.requests();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_EQ(requests[0].body, requests[1].body);
  EXPECT_EQ(requests[0].header("X-Request-ID"), requests[1].header("X-Request-ID"));
}

// The OpenC2 message of SOARCA's example playbook (shared corpus): the
// command inside {"headers", "body": {"openc2": {"request"}}}.
std::string soarca_message_b64() {
  auto doc = bj::parse(cacao::testing::read_text(
      cacao::testing::cacao_dir() + "/playbooks/v2.0/soarca/docs/executable-playbooks-example.json"));
  for (const auto& step : doc.at("workflow").as_object()) {
    const bj::value* commands = step.value().as_object().if_contains("commands");
    if (commands == nullptr) continue;
    for (const auto& c : commands->as_array()) {
      if (c.at("type") == "openc2-http") return std::string(c.at("content_b64").as_string());
    }
  }
  return "";
}

TEST(OpenC2Test, AnOpenC2MessageAsSoarcaWritesItIsSentAsAMessage) {
  const std::string b64 = soarca_message_b64();
  ASSERT_FALSE(b64.empty()) << "the corpus playbook has an openc2-http command";
  const std::string command =
      R"({"type":"openc2-http","command":"POST /.well-known/openc2 HTTP/1.1","content_b64":")" +
      b64 + R"("})";
  ConnectorWorld world;
  world.step.out_args = {"__results__"};
  world.receiver.set_handler([](const ReceivedRequest& r) {
    // A consumer of messages (HTTPS transfer spec v1.1): the message media
    // type both ways, the request inside the body, the answer in a message.
    if (r.header("Content-Type") != "application/openc2+json;version=1.0" ||
        r.header("Accept") != "application/openc2+json;version=1.0") {
      return Reply{.status = 415};
    }
    bj::value msg = bj::parse(r.body);
    const auto& request = msg.at("body").at("openc2").at("request");
    if (request.at("action") != "deny" || !request.at("target").as_object().contains("file")) {
      return Reply{.status = 400};
    }
    Reply reply = Reply::json(
        R"({"headers":{"request_id":")" + std::string(msg.at("headers").at("request_id").as_string()) +
        R"("},"body":{"openc2":{"response":{"status":200,"status_text":"denied","results":{"blocked":1}}}}})");
    reply.headers = {{"Content-Type", "application/openc2+json;version=1.0"}};
    return reply;
  });
  OpenC2Command type{world.sender, world.options};
  EXPECT_TRUE(world.validate(type, command).empty()) << errors_text(world.validate(type, command));
  Outcome o = world.run(type, command);
  ASSERT_TRUE(o.status.is_ok()) << o.status.to_string();
  EXPECT_EQ(o.outputs.at("openc2_status").as_int64(), 200);
  EXPECT_EQ(o.outputs.at("status_text").as_string(), "denied");
  EXPECT_EQ(o.out_args.at("__results__").at("blocked").as_int64(), 1);

  // A message whose request breaks a rule is named inside the message.
  auto errors = world.validate(
      type, command_json(R"({"headers":{},"body":{"openc2":{"request":{"action":"blok","target":{"file":{}}}}}})"));
  ASSERT_EQ(errors.size(), 1u) << errors_text(errors);
  EXPECT_NE(errors[0].message.find("the OpenC2 message's /body/openc2/request/action must be"),
            std::string::npos) << errors[0].message;
  errors = world.validate(type, command_json(R"({"headers":{},"body":{"openc2":{}}})"));
  ASSERT_EQ(errors.size(), 1u) << errors_text(errors);
  EXPECT_NE(errors[0].message.find("must hold the OpenC2 command"), std::string::npos);
}

TEST(OpenC2Test, ValidationNamesThePointerInsideTheCommand) {
  ConnectorWorld world;
  OpenC2Command type{world.sender, world.options};
  auto errors = world.validate(type, command_json(R"({"action":"blok","target":{}})"));
  ASSERT_EQ(errors.size(), 2u) << errors_text(errors);
  EXPECT_EQ(errors[0].pointer, "/workflow/x/commands/0/content_b64");
  EXPECT_NE(errors[0].message.find("/action must be an OpenC2 v1.0 action"), std::string::npos)
      << errors[0].message;
  EXPECT_NE(errors[1].message.find("/target must be an object with exactly one property"),
            std::string::npos) << errors[1].message;

  errors = world.validate(type, command_json(R"({"target":{"ipv4_net":"10.0.0.5"}})"));
  ASSERT_EQ(errors.size(), 1u) << errors_text(errors);
  EXPECT_NE(errors[0].message.find("/action is required"), std::string::npos);

  errors = world.validate(type, command_json(kDeny, "GET /.well-known/openc2 HTTP/1.1"));
  ASSERT_EQ(errors.size(), 1u) << errors_text(errors);
  EXPECT_EQ(errors[0].pointer, "/workflow/x/commands/0/command");
  EXPECT_NE(errors[0].message.find("must be POST"), std::string::npos);

  errors = world.validate(type, R"({"type":"openc2-http","command":"POST / HTTP/1.1","content_b64":"%%"})");
  ASSERT_FALSE(errors.empty());
  EXPECT_EQ(errors.back().pointer, "/workflow/x/commands/0/content_b64");

  EXPECT_TRUE(world.validate(type, command_json(kDeny)).empty());
}

}  // namespace
}  // namespace atio::actions::connectors
