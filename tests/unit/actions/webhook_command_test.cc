// x-atio-webhook and x-atio-chat against receivers that answer as a JSON
// webhook and Slack's incoming webhooks do.
#include <gtest/gtest.h>

// Designated initializers below name only the fields a test cares about.
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

#include <boost/json/serialize.hpp>

#include "atio/actions/connectors/webhook_command.h"
#include "unit/actions/connector_fixture.h"

namespace atio::actions::connectors {
namespace {

using atio::testing::Reply;
using testing::ConnectorWorld;
using testing::errors_text;

TEST(WebhookTest, PostsThePayloadWithTheTargetsCredential) {
  ConnectorWorld world{bj::value("hook-token")};
  world.step.out_args = {"__answer__", "__status__"};
  world.receiver.set_reply("/hooks/soc", Reply::json(R"({"accepted":1})", 202));
  WebhookCommand type{world.sender, world.options};
  Outcome o = world.run(type, R"({"type":"x-atio-webhook","path":"/hooks/soc",
      "payload":{"alert":"x"},"headers":{"X-Source":["atio"]}})");
  ASSERT_TRUE(o.status.is_ok()) << o.status.to_string();
  auto r = world.receiver.requests().at(0);
  EXPECT_EQ(r.header("Authorization"), "Bearer hook-token");
  EXPECT_EQ(r.header("X-Source"), "atio");
  EXPECT_EQ(r.header("Content-Type"), "application/json");
  EXPECT_EQ(bj::parse(r.body), bj::parse(R"({"alert":"x"})"));
  EXPECT_EQ(o.out_args.at("__answer__").at("accepted").as_int64(), 1);
  EXPECT_EQ(o.out_args.at("__status__").as_int64(), 202);

  // The journal never keeps a credential header a playbook sets itself.
  cacao::Command cmd;
  cmd.raw = testing::obj(R"({"type":"x-atio-webhook","payload":1,
      "headers":{"Authorization":["Bearer inline"]}})");
  EXPECT_EQ(type.journal_view(cmd).at("headers").at("Authorization").at(0).as_string(),
            "[redacted]");
  auto errors = world.validate(type, R"({"type":"x-atio-webhook","payload":1,"path":"../x"})");
  ASSERT_EQ(errors.size(), 1u) << errors_text(errors);
  EXPECT_EQ(errors[0].message, "must start with /");
}

TEST(ChatTest, SlackHookPathComesFromTheSecretAndIsNeverShown) {
  ConnectorWorld world{bj::value(bj::object{{"webhook_path", "/services/T000/B000/XXXX"}})};
  world.step.out_args = {"__answer__"};
  // Slack: 429 with Retry-After when a hook posts too fast, then "ok".
  world.receiver.enqueue_reply("/services/T000/B000/XXXX",
                               Reply{.status = 429, .body = "rate_limited",
                                     .headers = {{"Retry-After", "0"}}});
  world.receiver.set_reply("/services/T000/B000/XXXX",
                           Reply{.body = "ok", .headers = {{"Content-Type", "text/html"}}});
  ChatCommand type{world.sender, world.options};
  Outcome o = world.run(type, R"({"type":"x-atio-chat","text":"*ET SCAN* from 10.0.0.5",
      "channel":"#soc","username":"atio"})");
  ASSERT_TRUE(o.status.is_ok()) << o.status.to_string();
  auto r = world.receiver.requests().at(1);
  EXPECT_EQ(r.method, "POST");
  EXPECT_FALSE(r.has_header("Authorization"));
  EXPECT_EQ(bj::parse(r.body),
            bj::parse(R"({"text":"*ET SCAN* from 10.0.0.5","channel":"#soc","username":"atio"})"));
  EXPECT_EQ(o.out_args.at("__answer__").as_string(), "ok");
  std::string shown = bj::serialize(o.outputs);
  EXPECT_EQ(shown.find("XXXX"), std::string::npos) << shown;

  world.receiver.set_reply("/services/T000/B000/XXXX",
                           Reply{.status = 404, .body = "channel_not_found"});
  Outcome refused = world.run(type, R"({"type":"x-atio-chat","text":"x","channel":"#gone"})");
  EXPECT_EQ(refused.status.code(), Code::kFailed);
  EXPECT_NE(refused.status.message().find("channel_not_found"), std::string::npos);
  EXPECT_EQ(refused.status.message().find("XXXX"), std::string::npos);
}

}  // namespace
}  // namespace atio::actions::connectors
