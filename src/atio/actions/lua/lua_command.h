// The `x-atio-lua` command type: an inline Lua 5.4 transform run in the
// sandbox of sandbox.h.
//
// Command object:
//   {"type": "x-atio-lua", "command": "<script>"}  or
//   {"type": "x-atio-lua", "command_b64": "<base64 of the script>"}
// (exactly one of the two). Variables are not substituted into the script
// (substitutes_variables() is false): the step's in_args arrive as the
// global table `args` (also the chunk's first vararg), name -> typed value.
//
// Outcome of a run:
//   status    OK, or the sandbox error (kInvalidArgument syntax, kFailed
//             runtime "line N: ...", kResourceExhausted limits, kAborted,
//             kTimeout).
//   outputs   {"result": <the returned table as JSON>} on success, plus
//             {"log": [lines printed]} whenever print() was called.
//   out_args  the entries of the returned table whose keys are names in
//             step.out_args ({"__out__": ...} sets __out__). A declared
//             out_arg the table does not mention is left untouched.
//
// Threads: start() runs the script inline on the calling thread (an engine
// worker) and calls `done` before it returns. That is deliberate: a
// transform is CPU-bound, bounded by the instruction budget and memory cap,
// and typically takes microseconds, so handing it to another thread would
// cost more than it saves. The invocation's cancel token and timeout are
// checked every 1000 instructions.
#pragma once

#include <string>

#include "atio/actions/action.h"
#include "atio/actions/lua/sandbox.h"

namespace atio::actions {

class LuaCommand final : public CommandType {
 public:
  explicit LuaCommand(LuaLimits limits = {});

  std::string_view name() const override { return "x-atio-lua"; }
  bool substitutes_variables() const override { return false; }

  // Exactly one of command / command_b64 (a string; base64 valid), and the
  // script compiles as a text chunk.
  void validate(const cacao::Command& cmd, const cacao::Playbook& playbook,
                const cacao::Step& step, const std::string& pointer,
                json::FieldErrors* errors) const override;

  // Runs inline; `done` is called before start() returns.
  void start(Invocation invocation, Done done) override;

  const LuaLimits& limits() const { return limits_; }

 private:
  LuaLimits limits_;
};

}  // namespace atio::actions
