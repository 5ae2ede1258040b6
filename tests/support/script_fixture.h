// Runs bash and x-atio-python commands in real jails for tests: one
// JailRunner (options chosen by the test) and the two command types on it.
#pragma once

#include <gtest/gtest.h>

#include <boost/json/object.hpp>

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "atio/actions/script/script_command.h"
#include "support/command_runner.h"

namespace atio::testing {

class ScriptFixture : public ::testing::Test {
 protected:
  using Outcome = actions::Outcome;
  using Language = actions::ScriptCommand::Language;

  // Options of the runner; call before the first run. The jail's pid 1 is
  // the build's atio-jail-init.
  void use_options(actions::JailOptions options) {
    runner_.reset();
    options_ = std::move(options);
    options_.init = ATIO_JAIL_INIT;
  }
  actions::JailRunner& runner() {
    if (!runner_) {
      options_.init = ATIO_JAIL_INIT;
      runner_ = std::make_unique<actions::JailRunner>(options_);
      bash_ = std::make_unique<actions::ScriptCommand>(Language::kBash, *runner_);
      python_ = std::make_unique<actions::ScriptCommand>(Language::kPython, *runner_);
    }
    return *runner_;
  }
  actions::ScriptCommand& bash_type() { return runner(), *bash_; }
  actions::ScriptCommand& python_type() { return runner(), *python_; }

  actions::Invocation invocation(actions::ScriptCommand& type, const boost::json::object& raw,
                                 boost::json::object in_args = {},
                                 std::vector<std::string> out_args = {},
                                 std::chrono::milliseconds timeout = std::chrono::milliseconds(0)) {
    auto step = std::make_shared<cacao::Step>();
    step->id = "action--1";
    step->kind = cacao::StepKind::kAction;
    step->out_args = std::move(out_args);
    steps_.push_back(step);
    actions::Invocation inv;
    inv.execution_id = "execution--test";
    inv.step_id = step->id;
    inv.playbook = &playbook_;
    inv.step = step.get();
    inv.command.type = std::string(type.name());
    inv.command.raw = raw;
    inv.in_args = std::move(in_args);
    inv.timeout = timeout;
    inv.cancel = std::make_shared<actions::CancelToken>();
    return inv;
  }

  Outcome run(actions::ScriptCommand& type, const boost::json::object& raw,
              boost::json::object in_args = {}, std::vector<std::string> out_args = {},
              std::chrono::milliseconds timeout = std::chrono::milliseconds(0)) {
    auto o = run_command(type, invocation(type, raw, std::move(in_args), std::move(out_args),
                                          timeout),
                         std::chrono::seconds(120));
    EXPECT_TRUE(o.has_value()) << "done was not called";
    return o ? std::move(*o) : Outcome{};
  }
  Outcome run_bash(const std::string& script, boost::json::object in_args = {},
                   std::vector<std::string> out_args = {}) {
    return run(bash_type(), {{"type", "bash"}, {"command", script}}, std::move(in_args),
               std::move(out_args));
  }
  Outcome run_python(const std::string& script, boost::json::object in_args = {},
                     std::vector<std::string> out_args = {}) {
    return run(python_type(), {{"type", "x-atio-python"}, {"command", script}},
               std::move(in_args), std::move(out_args));
  }

  json::FieldErrors validate(actions::ScriptCommand& type, const boost::json::object& raw) {
    cacao::Command c;
    c.type = std::string(type.name());
    c.raw = raw;
    cacao::Step step;
    step.id = "action--1";
    json::FieldErrors errors;
    type.validate(c, playbook_, step, "/workflow/action--1/commands/0", &errors);
    return errors;
  }

 private:
  actions::JailOptions options_;
  std::unique_ptr<actions::JailRunner> runner_;
  std::unique_ptr<actions::ScriptCommand> bash_;
  std::unique_ptr<actions::ScriptCommand> python_;
  cacao::Playbook playbook_;
  std::vector<std::shared_ptr<cacao::Step>> steps_;
};

}  // namespace atio::testing
