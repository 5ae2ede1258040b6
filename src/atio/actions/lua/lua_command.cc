#include "atio/actions/lua/lua_command.h"

#include <algorithm>

#include "atio/core/base64.h"

namespace atio::actions {

namespace {

// The script of a command object, or the error naming the property at fault
// (`field` is set to "command", "command_b64" or "" for the object itself).
Result<std::string> script_of(const cacao::Command& cmd, std::string* field) {
  const bj::value* text = cmd.raw.if_contains("command");
  const bj::value* b64 = cmd.raw.if_contains("command_b64");
  field->clear();
  if (text && b64) {
    return Status(Code::kInvalidArgument, "give either command or command_b64, not both");
  }
  if (!text && !b64) {
    // The model may carry the script without the raw object (tests, API).
    if (!cmd.command.empty()) return cmd.command;
    return Status(Code::kInvalidArgument, "x-atio-lua needs the script in command or command_b64");
  }
  if (text) {
    *field = "command";
    if (!text->is_string()) return Status(Code::kInvalidArgument, "command must be a string");
    return std::string(text->get_string());
  }
  *field = "command_b64";
  if (!b64->is_string()) return Status(Code::kInvalidArgument, "command_b64 must be a string");
  auto decoded = base64_decode(b64->get_string());
  if (!decoded) return Status(Code::kInvalidArgument, "command_b64 is not valid base64");
  return std::move(*decoded);
}

}  // namespace

LuaCommand::LuaCommand(LuaLimits limits) : limits_(limits) {}

void LuaCommand::validate(const cacao::Command& cmd, const cacao::Playbook& playbook,
                          const cacao::Step& step, const std::string& pointer,
                          json::FieldErrors* errors) const {
  std::string field;
  auto script = script_of(cmd, &field);
  std::string at = field.empty() ? pointer : pointer + "/" + field;
  if (!script) {
    errors->push_back({at, script.status().message()});
    return;
  }
  Status syntax = check_lua_syntax(*script, limits_);
  if (!syntax.is_ok()) errors->push_back({at, "Lua syntax error: " + syntax.message()});
}

void LuaCommand::start(Invocation invocation, Done done) {
  Outcome outcome;
  std::string field;
  auto script = script_of(invocation.command, &field);
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
