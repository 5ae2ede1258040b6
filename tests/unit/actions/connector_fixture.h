// A playbook with one action step whose http-api target is a local
// HttpReceiver, the target's credential in a secret store, and a connector
// command type to run against it: what every connector test starts from.
#pragma once

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

#include <map>
#include <memory>
#include <string>

#include "atio/actions/connectors/blocking_command.h"
#include "atio/actions/connectors/connector.h"
#include "atio/actions/connectors/retry_sender.h"
#include "atio/core/secret_source.h"
#include "support/command_runner.h"
#include "support/http_receiver.h"
#include "support/map_secrets.h"

namespace atio::actions::connectors::testing {

namespace bj = boost::json;

using atio::testing::MapSecrets;

inline bj::object obj(std::string_view text) { return bj::parse(text).as_object(); }

inline constexpr const char* kTarget = "http-api--11111111-1111-4111-8111-111111111111";
inline constexpr const char* kAuth = "oauth2--22222222-2222-4222-8222-222222222222";

// Fast retries, so tests of retry exhaustion stay short.
inline RetryPolicy fast_policy() {
  RetryPolicy p;
  p.max_attempts = 4;
  p.initial_delay = std::chrono::milliseconds(20);
  p.max_delay = std::chrono::milliseconds(200);
  return p;
}

// A playbook with one action step, and what runs a command type in it.
struct StepWorld {
  cacao::Playbook playbook;
  cacao::Step step;

  StepWorld() {
    step.id = "action--33333333-3333-4333-8333-333333333333";
    step.kind = cacao::StepKind::kAction;
  }

  Invocation invocation(const bj::object& command) const {
    Invocation inv;
    inv.execution_id = "exec-1";
    inv.step_id = step.id;
    inv.idempotency_key = "exec-1:" + step.id;
    inv.playbook = &playbook;
    inv.step = &step;
    inv.command.raw = command;
    inv.command.type = std::string(command.at("type").as_string());
    inv.cancel = std::make_shared<CancelToken>();
    inv.timeout = std::chrono::seconds(10);
    return inv;
  }

  Outcome run(CommandType& type, const Invocation& inv) {
    auto outcome = atio::testing::run_command(type, inv, std::chrono::seconds(30));
    EXPECT_TRUE(outcome.has_value()) << "done was not called";
    return outcome ? std::move(*outcome) : Outcome{};
  }
  Outcome run(CommandType& type, std::string_view command_json) {
    return run(type, invocation(obj(command_json)));
  }

  // The errors validate() reports for `command_json` in this world's step.
  json::FieldErrors validate(const CommandType& type, std::string_view command_json) const {
    cacao::Command cmd;
    cmd.raw = obj(command_json);
    cmd.type = std::string(cmd.raw.at("type").as_string());
    json::FieldErrors errors;
    type.validate(cmd, playbook, step, "/workflow/x/commands/0", &errors);
    return errors;
  }
};

struct ConnectorWorld : StepWorld {
  atio::testing::HttpReceiver receiver;
  HttpClient client;
  std::shared_ptr<RetrySender> sender;
  MapSecrets secrets;
  HttpApiOptions options;

  // The target at the receiver's URL (+ base_path), its credential an oauth2
  // kms secret named "product" whose value is `secret` (none when null).
  explicit ConnectorWorld(bj::value secret = bj::value(), std::string base_path = "",
                          RetryPolicy policy = fast_policy())
      : sender(std::make_shared<RetrySender>(client, policy)) {
    options.secrets = &secrets;
    cacao::AgentTarget target;
    target.id = kTarget;
    target.type = "http-api";
    target.raw = obj(R"({"type":"http-api","address":{"url":[")" + receiver.url(base_path) +
                     R"("]}})");
    if (!secret.is_null()) {
      target.raw["authentication_info"] = kAuth;
      cacao::AuthInfo auth;
      auth.id = kAuth;
      auth.type = "oauth2";
      auth.raw = obj(R"({"type":"oauth2","kms":true,"kms_key_identifier":"product",
                         "oauth_header":"","token":""})");
      playbook.auth_infos[kAuth] = auth;
      secrets.values["product"] = secret;
    }
    playbook.targets[kTarget] = target;
    step.targets = {kTarget};
  }
};

// A step for connectors that are not HTTP (syslog, email): their attempts run
// on a pool of two threads and are retried by a sender with fast retries.
struct BlockingWorld : StepWorld {
  HttpClient client;
  std::shared_ptr<RetrySender> retry;
  BlockingServices services;

  explicit BlockingWorld(RetryPolicy policy = fast_policy())
      : retry(std::make_shared<RetrySender>(client, policy)) {
    services.retry = retry;
    services.pool = std::make_shared<BlockingPool>(2);
  }

  // Runs `command_json` with `timeout` as the step's timeout.
  template <typename Type>
  Outcome run_with(std::string_view command_json, std::chrono::milliseconds timeout) {
    Type type{services};
    Invocation inv = invocation(obj(command_json));
    inv.timeout = timeout;
    return StepWorld::run(type, inv);
  }
  template <typename Type>
  json::FieldErrors validate_with(std::string_view command_json) const {
    Type type{services};
    return StepWorld::validate(type, command_json);
  }
};

// "pointer: message" lines, for assertions and failure output.
inline std::string errors_text(const json::FieldErrors& errors) {
  std::string out;
  for (const auto& e : errors) out += e.pointer + ": " + e.message + "\n";
  return out;
}

inline bj::value body_json(const atio::testing::ReceivedRequest& r) { return bj::parse(r.body); }

}  // namespace atio::actions::connectors::testing
