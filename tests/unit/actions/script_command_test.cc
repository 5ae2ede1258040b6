// bash and x-atio-python steps: what a script reads and what its step gets
// back. (What a script must not be able to do: jail_escape_test.cc.)
#include "atio/actions/script/script_command.h"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <future>
#include <thread>

#include "atio/core/base64.h"
#include "support/command_runner.h"
#include "support/script_fixture.h"

namespace atio::actions {
namespace {

using testing::ScriptFixture;

class ScriptCommandTest : public ScriptFixture {};

TEST_F(ScriptCommandTest, InArgsArriveOnStdinAsOneJsonObject) {
  // python's own json module reads what the jail's stdin held.
  Outcome o = run_python(
      "import json, sys\n"
      "args = json.load(sys.stdin)\n"
      "print(json.dumps({'__seen__': sorted(args), '__ip__': args['__ip__']}))\n",
      bj::parse(R"({"__ip__": "10.1.2.3", "__n__": 7})").as_object(), {"__seen__", "__ip__"});
  ASSERT_TRUE(o.status.is_ok()) << o.status.to_string();
  EXPECT_EQ(o.out_args.at("__ip__"), bj::value("10.1.2.3"));
  EXPECT_EQ(bj::serialize(o.out_args.at("__seen__")), R"(["__ip__","__n__"])");
  EXPECT_EQ(o.outputs.at("exit_code"), bj::value(0));
  EXPECT_TRUE(o.outputs.contains("json"));
}

TEST_F(ScriptCommandTest, BashTextStdoutGoesToTheFirstOutArg) {
  Outcome o = run_bash("echo -n 'ab'; echo 'c'", {}, {"__text__", "__other__"});
  ASSERT_TRUE(o.status.is_ok()) << o.status.to_string();
  EXPECT_EQ(o.out_args.at("__text__"), bj::value("abc"));
  EXPECT_FALSE(o.out_args.contains("__other__"));
  EXPECT_EQ(o.outputs.at("stdout"), bj::value("abc\n"));
  EXPECT_FALSE(o.outputs.contains("json"));
}

TEST_F(ScriptCommandTest, JsonObjectWithoutDeclaredKeysGoesWholeToTheFirstOutArg) {
  Outcome o = run_bash(R"(echo '{"a": [1, 2]}')", {}, {"__all__"});
  ASSERT_TRUE(o.status.is_ok()) << o.status.to_string();
  EXPECT_EQ(bj::serialize(o.out_args.at("__all__")), R"({"a":[1,2]})");
}

TEST_F(ScriptCommandTest, NonZeroExitFailsTheStepWithItsCodeAndLastStderrLine) {
  Outcome o = run_bash("echo partial; echo first >&2; echo 'no such host' >&2; exit 3", {},
                       {"__x__"});
  EXPECT_EQ(o.status.code(), Code::kFailed);
  EXPECT_NE(o.status.message().find("exited with code 3"), std::string::npos);
  EXPECT_NE(o.status.message().find("no such host"), std::string::npos);
  EXPECT_EQ(o.outputs.at("exit_code"), bj::value(3));
  EXPECT_EQ(o.outputs.at("stderr"), bj::value("first\nno such host\n"));
  EXPECT_EQ(o.outputs.at("stdout"), bj::value("partial\n"));
  EXPECT_TRUE(o.out_args.empty()) << "a failed script sets no variable";
}

TEST_F(ScriptCommandTest, PythonExceptionIsKeptInStderr) {
  Outcome o = run_python("raise ValueError('bad indicator')\n");
  EXPECT_EQ(o.status.code(), Code::kFailed);
  EXPECT_NE(o.status.message().find("ValueError: bad indicator"), std::string::npos);
  EXPECT_NE(o.outputs.at("stderr").as_string().find("Traceback"), bj::string::npos);
}

TEST_F(ScriptCommandTest, BinaryStdoutIsKeptInBase64) {
  Outcome o = run_bash("printf '\\377\\376x'");
  ASSERT_TRUE(o.status.is_ok()) << o.status.to_string();
  EXPECT_EQ(o.outputs.at("stdout_b64"), bj::value(base64_encode("\xff\xfex")));
  EXPECT_FALSE(o.outputs.contains("stdout"));
}

TEST_F(ScriptCommandTest, ScriptFromBase64) {
  bj::object raw{{"type", "bash"}, {"command_b64", base64_encode("echo from-b64")}};
  Outcome o = run(bash_type(), raw, {}, {"__o__"});
  ASSERT_TRUE(o.status.is_ok()) << o.status.to_string();
  EXPECT_EQ(o.out_args.at("__o__"), bj::value("from-b64"));
}

TEST_F(ScriptCommandTest, VariablesAreNotSubstitutedIntoTheScript) {
  EXPECT_FALSE(bash_type().substitutes_variables());
  EXPECT_FALSE(python_type().substitutes_variables());
  Outcome o = run_bash("echo '__ip__:value'", bj::parse(R"({"__ip__": "x; rm -rf /"})").as_object(),
                       {"__o__"});
  EXPECT_EQ(o.out_args.at("__o__"), bj::value("__ip__:value"));
}

TEST_F(ScriptCommandTest, StdoutOverTheInlineLimitBecomesAFileOutput) {
  ScriptOptions small;
  small.inline_output_bytes = 1000;
  ScriptCommand type(ScriptCommand::Language::kBash, runner(), small);
  Outcome o = run(type, {{"type", "bash"}, {"command", "head -c 5000 /dev/zero | tr '\\0' a"}}, {},
                  {"__o__"});
  ASSERT_TRUE(o.status.is_ok()) << o.status.to_string();
  ASSERT_EQ(o.files.size(), 1u);
  EXPECT_EQ(o.files[0].name, "stdout");
  EXPECT_EQ(o.outputs.at("stdout_bytes"), bj::value(5000));
  EXPECT_FALSE(o.outputs.contains("stdout"));
  EXPECT_TRUE(o.out_args.empty());
  char buf[6000];
  ssize_t n = ::pread(o.files[0].fd.get(), buf, sizeof buf, 0);
  ASSERT_EQ(n, 5000);
  EXPECT_EQ(std::string(buf, 5000), std::string(5000, 'a'));
}

TEST_F(ScriptCommandTest, StepTimeoutKillsTheScript) {
  Outcome o = run(bash_type(), {{"type", "bash"}, {"command", "echo started; sleep 30"}}, {}, {},
                  std::chrono::milliseconds(500));
  EXPECT_EQ(o.status.code(), Code::kTimeout);
  EXPECT_NE(o.status.message().find("500 ms"), std::string::npos) << o.status.message();
}

TEST_F(ScriptCommandTest, CancelKillsTheScript) {
  Invocation inv = invocation(bash_type(), {{"type", "bash"}, {"command", "sleep 30"}});
  auto cancel = inv.cancel;
  std::thread t([cancel] {
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    cancel->cancel();
  });
  auto o = atio::testing::run_command(bash_type(), std::move(inv));
  t.join();
  ASSERT_TRUE(o.has_value());
  EXPECT_EQ(o->status.code(), Code::kAborted);
}

TEST_F(ScriptCommandTest, ValidationNamesTheProperty) {
  auto errors = validate(bash_type(), {{"type", "bash"}});
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].pointer, "/workflow/action--1/commands/0");
  errors = validate(python_type(), {{"type", "x-atio-python"}, {"command_b64", "%%%"}});
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].pointer, "/workflow/action--1/commands/0/command_b64");
  errors = validate(bash_type(), {{"type", "bash"}, {"command", "  \n"}});
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_NE(errors[0].message.find("empty"), std::string::npos);
  EXPECT_TRUE(validate(bash_type(), {{"type", "bash"}, {"command", "true"}}).empty());
}

TEST_F(ScriptCommandTest, ManyScriptsRunAtOnceEachWithItsOwnInput) {
  constexpr int kRuns = 24;
  std::vector<std::future<Outcome>> futures;
  for (int i = 0; i < kRuns; ++i) {
    auto p = std::make_shared<std::promise<Outcome>>();
    futures.push_back(p->get_future());
    bj::object in{{"__i__", i}};
    bash_type().start(invocation(bash_type(), {{"type", "bash"}, {"command", "cat"}}, in, {"__i__"}),
                      [p](Outcome o) { p->set_value(std::move(o)); });
  }
  for (int i = 0; i < kRuns; ++i) {
    Outcome o = futures[i].get();
    ASSERT_TRUE(o.status.is_ok()) << o.status.to_string();
    EXPECT_EQ(o.out_args.at("__i__"), bj::value(i)) << "stdin of run " << i;
  }
}

}  // namespace
}  // namespace atio::actions
