// The text a script command carries: CACAO's `command` (the script as a
// string) or `command_b64` (the script in base64), exactly one of the two.
// One reading of that rule for every script type (x-atio-lua, bash,
// x-atio-python), at validation and at run time. Header-only: atio_lua and
// atio_actions both use it, and neither links the other.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "atio/core/base64.h"
#include "atio/core/json.h"
#include "atio/core/status.h"
#include "atio/playbook/cacao/model.h"

namespace atio::actions {

// The script of `cmd`, decoded. On error (kInvalidArgument), `field` names
// the property at fault ("command", "command_b64", or "" for the command
// object itself); on success, the property it came from.
inline Result<std::string> command_text(const cacao::Command& cmd, std::string_view type,
                                        std::string* field) {
  const boost::json::value* text = cmd.raw.if_contains("command");
  const boost::json::value* b64 = cmd.raw.if_contains("command_b64");
  field->clear();
  if (text && b64) {
    return Status(Code::kInvalidArgument, "give either command or command_b64, not both");
  }
  if (!text && !b64) {
    // The model may carry the script without the raw object (tests, API).
    if (!cmd.command.empty()) return cmd.command;
    return Status(Code::kInvalidArgument,
                  std::string(type) + " needs the script in command or command_b64");
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

// At validation: the script of `cmd`, or nullopt with the error appended to
// `errors` under `pointer` + "/" + the property at fault. `*at` is set to
// where a further error about the script belongs.
inline std::optional<std::string> checked_command_text(const cacao::Command& cmd,
                                                       std::string_view type,
                                                       const std::string& pointer,
                                                       json::FieldErrors* errors,
                                                       std::string* at) {
  std::string field;
  auto script = command_text(cmd, type, &field);
  *at = field.empty() ? pointer : pointer + "/" + field;
  if (!script) {
    errors->push_back({*at, script.status().message()});
    return std::nullopt;
  }
  return std::move(script).value();
}

}  // namespace atio::actions
