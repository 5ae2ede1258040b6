#include "atio/actions/lua/lua_command.h"

#include <algorithm>

#include "atio/actions/command_text.h"

namespace atio::actions {


LuaCommand::LuaCommand(LuaLimits limits) : limits_(limits) {}

void LuaCommand::validate(const cacao::Command& cmd, const cacao::Playbook& playbook,
                          const cacao::Step& step, const std::string& pointer,
                          json::FieldErrors* errors) const {
  std::string at;
  auto script = checked_command_text(cmd, name(), pointer, errors, &at);
  if (!script) return;
  Status syntax = check_lua_syntax(*script, limits_);
  if (!syntax.is_ok()) errors->push_back({at, "Lua syntax error: " + syntax.message()});
}

void LuaCommand::start(Invocation invocation, Done done) {
  Outcome outcome;
  std::string field;
  auto script = command_text(invocation.command, name(), &field);
  if (!script) {
    outcome.status = script.status();
    done(std::move(outcome));
    return;
  }
  LuaRunContext context;
  context.cancel = invocation.cancel.get();
  if (invocation.timeout.count() > 0) {
    context.deadline = std::chrono::steady_clock::now() + invocation.timeout;
  }
  auto result = run_lua_transform(*script, invocation.in_args, limits_, &context);
  if (!context.log.empty()) {
    bj::array log;
    for (auto& line : context.log) log.emplace_back(bj::string(line));
    outcome.outputs["log"] = std::move(log);
  }
  if (!result) {
    outcome.status = result.status();
    done(std::move(outcome));
    return;
  }
  if (const bj::object* table = result->if_object(); table && invocation.step) {
    for (const auto& name : invocation.step->out_args) {
      if (const bj::value* v = table->if_contains(name)) outcome.out_args[name] = *v;
    }
  }
  outcome.outputs["result"] = std::move(result).value();
  done(std::move(outcome));
}

}  // namespace atio::actions
