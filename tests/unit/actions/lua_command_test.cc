#include "atio/actions/lua/lua_command.h"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

#include "atio/core/base64.h"
#include "support/command_runner.h"

namespace atio::actions {
namespace {

bj::object obj(std::string_view text) { return bj::parse(text).as_object(); }

cacao::Command command(const bj::object& raw) {
  cacao::Command c;
  c.type = "x-atio-lua";
  c.raw = raw;
  if (auto* s = raw.if_contains("command"); s && s->is_string()) c.command = std::string(s->as_string());
  return c;
}

class LuaCommandTest : public ::testing::Test {
 protected:
  LuaCommand type_;
  cacao::Playbook playbook_;
  cacao::Step step_;

  void SetUp() override {
    step_.id = "action--1";
    step_.kind = cacao::StepKind::kAction;
    step_.in_args = {"__event__"};
    step_.out_args = {"__out__", "__missing__"};
  }

  Invocation invocation(const bj::object& raw, bj::object in_args = {}) {
    Invocation inv;
    inv.step_id = step_.id;
    inv.playbook = &playbook_;
    inv.step = &step_;
    inv.command = command(raw);
    inv.in_args = std::move(in_args);
    inv.cancel = std::make_shared<CancelToken>();
    return inv;
  }

  json::FieldErrors check(const bj::object& raw) {
    json::FieldErrors errors;
    type_.validate(command(raw), playbook_, step_, "/workflow/action--1/commands/0", &errors);
    return errors;
  }
};

TEST_F(LuaCommandTest, NameAndNoSubstitution) {
  EXPECT_EQ(type_.name(), "x-atio-lua");
  EXPECT_FALSE(type_.substitutes_variables());
}

TEST_F(LuaCommandTest, DeclaredKeysBecomeOutArgsAndTheTableIsTheResult) {
  bj::object raw;
  raw["type"] = "x-atio-lua";
  raw["command"] = R"(
    print("severity", args.__event__.alert.severity)
    return { __out__ = { ip = args.__event__.src_ip }, note = "kept in result" })";
  auto in = obj(R"({"__event__":{"src_ip":"10.0.0.1","alert":{"severity":2}}})");
  bool returned = false;
  std::optional<Outcome> outcome;
  type_.start(invocation(raw, in), [&](Outcome o) {
    EXPECT_FALSE(returned) << "done must run before start() returns";
    outcome = std::move(o);
  });
  returned = true;
  ASSERT_TRUE(outcome.has_value());
  ASSERT_TRUE(outcome->status.is_ok()) << outcome->status.to_string();
  EXPECT_EQ(outcome->out_args.size(), 1u);
  EXPECT_EQ(outcome->out_args.at("__out__").at("ip").as_string(), "10.0.0.1");
  EXPECT_EQ(outcome->outputs.at("result").at("note").as_string(), "kept in result");
  EXPECT_EQ(outcome->outputs.at("log").as_array().at(0).as_string(), "severity\t2");
}

TEST_F(LuaCommandTest, ScriptFromCommandB64) {
  bj::object raw;
  raw["type"] = "x-atio-lua";
  raw["command_b64"] = base64_encode("return { __out__ = 40 + 2 }");
  auto outcome = atio::testing::run_command(type_, invocation(raw));
  ASSERT_TRUE(outcome && outcome->status.is_ok());
  EXPECT_EQ(outcome->out_args.at("__out__").as_int64(), 42);
}

TEST_F(LuaCommandTest, RuntimeErrorFailsTheStepWithTheLine) {
  auto outcome = atio::testing::run_command(
      type_, invocation(obj(R"({"type":"x-atio-lua","command":"print('before')\nreturn nil + 1"})")));
  ASSERT_TRUE(outcome.has_value());
  EXPECT_EQ(outcome->status.code(), Code::kFailed);
  EXPECT_EQ(outcome->status.message().rfind("line 2: attempt to perform arithmetic", 0), 0u)
      << outcome->status.message();
  EXPECT_EQ(outcome->outputs.at("log").as_array().size(), 1u);
  EXPECT_TRUE(outcome->out_args.empty());
}

TEST_F(LuaCommandTest, LimitsComeFromTheConstructor) {
  LuaLimits limits;
  limits.instructions = 2000;
  LuaCommand strict(limits);
  auto outcome = atio::testing::run_command(
      strict, invocation(obj(R"({"type":"x-atio-lua","command":"for i=1,1e6 do end return {}"})")));
  ASSERT_TRUE(outcome.has_value());
  EXPECT_EQ(outcome->status.code(), Code::kResourceExhausted);
  EXPECT_EQ(outcome->status.message(), "instruction budget of 2000 exceeded");
}

TEST_F(LuaCommandTest, CancelledInvocationStops) {
  Invocation inv = invocation(obj(R"({"type":"x-atio-lua","command":"while true do end"})"));
  inv.cancel->cancel();
  auto outcome = atio::testing::run_command(type_, std::move(inv));
  ASSERT_TRUE(outcome.has_value());
  EXPECT_EQ(outcome->status.code(), Code::kAborted);
}

TEST_F(LuaCommandTest, ValidateAcceptsAGoodScript) {
  EXPECT_TRUE(check(obj(R"({"type":"x-atio-lua","command":"return {}"})")).empty());
  bj::object raw;
  raw["type"] = "x-atio-lua";
  raw["command_b64"] = base64_encode("return {}");
  EXPECT_TRUE(check(raw).empty());
}

TEST_F(LuaCommandTest, ValidateReportsProblemsWithPointers) {
  const std::string p = "/workflow/action--1/commands/0";
  auto both = check(obj(R"({"type":"x-atio-lua","command":"return {}","command_b64":"cmV0dXJu"})"));
  ASSERT_EQ(both.size(), 1u);
  EXPECT_EQ(both[0].pointer, p);
  auto none = check(obj(R"({"type":"x-atio-lua"})"));
  ASSERT_EQ(none.size(), 1u);
  EXPECT_EQ(none[0].pointer, p);
  auto bad64 = check(obj(R"({"type":"x-atio-lua","command_b64":"@@@"})"));
  ASSERT_EQ(bad64.size(), 1u);
  EXPECT_EQ(bad64[0].pointer, p + "/command_b64");
  auto syntax = check(obj(R"({"type":"x-atio-lua","command":"local x =\nreturn {"})"));
  ASSERT_EQ(syntax.size(), 1u);
  EXPECT_EQ(syntax[0].pointer, p + "/command");
  EXPECT_NE(syntax[0].message.find("line 2:"), std::string::npos) << syntax[0].message;
  auto not_string = check(obj(R"({"type":"x-atio-lua","command":42})"));
  ASSERT_EQ(not_string.size(), 1u);
  EXPECT_EQ(not_string[0].pointer, p + "/command");
}

}  // namespace
}  // namespace atio::actions
