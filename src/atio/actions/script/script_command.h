// The jailed script command types: CACAO `bash` and `x-atio-python` (a
// Python 3 script run by the machine's python3). Each run is a fresh jail
// (jail.h): no network, no access to atio's files, keys or environment,
// limits on processes, CPU, memory, file size and wall time.
//
// Command object (CACAO 2.0 `bash`; `x-atio-python` has the same shape):
//   {"type": "bash", "command": "<script>"}  or  {"type": "bash", "command_b64": "<base64>"}
// Variables are not substituted into the script (substitutes_variables() is
// false: no injection through a variable's value). The script reads the
// step's in_args on stdin, as one JSON object: {"__name__": value, ...}.
//
// Network: none, unless the step's agent is an `x-atio-jail` agent listing
// the hosts the script may reach (egress.h says how and in what form):
//   "agent_definitions": {"x-atio-jail--<uuid>": {"type": "x-atio-jail",
//       "name": "enrichment scripts", "allowed_hosts": ["misp.example.org:443"]}}
// Validation checks each entry, naming /agent_definitions/<id>/allowed_hosts/<i>.
//
// Outcome:
//   status    OK when the script exits 0. kFailed "script exited with code N"
//             (or "was killed by SIGXCPU: its CPU time limit of 30 s", ...)
//             with the last line of its stderr; kTimeout past its wall time
//             (the step's timeout, else the jail's default); kAborted when
//             cancelled; kUnavailable when the jail cannot start (the
//             message says why: bubblewrap missing, namespaces refused).
//   outputs   "exit_code"; "stdout" (text; "stdout_b64" when not UTF-8);
//             "json" when stdout parses as JSON; "stderr" (its last 64 KiB)
//             and "stderr_bytes" when more was written; "elapsed_ms".
//             A stdout over options.inline_output_bytes is not read here:
//             it is handed to the engine as the file output "stdout"
//             (Outcome::files), and "stdout_bytes" says its size.
//   out_args  when stdout is a JSON object with a key named like one of the
//             step's out_args: those keys. Otherwise the first out_arg gets
//             stdout: its JSON value, or its text less the final newline.
//             Nothing when stdout is empty, the script failed, or stdout
//             went to a file output.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "atio/actions/action.h"
#include "atio/actions/script/jail.h"

namespace atio::actions {

// The agent type that lets a script reach listed hosts.
inline constexpr const char* kJailAgentType = "x-atio-jail";

struct ScriptOptions {
  // stdout larger than this goes to the engine as a file output (the runtime
  // sets it to the engine's large-output threshold, --large-output-bytes).
  std::size_t inline_output_bytes = 1 << 20;
};

class ScriptCommand final : public CommandType {
 public:
  enum class Language { kBash, kPython };

  // REQUIRES: `runner` outlives this object and every started invocation.
  ScriptCommand(Language language, JailRunner& runner, ScriptOptions options = {});

  std::string_view name() const override;
  bool substitutes_variables() const override { return false; }

  // Exactly one of command / command_b64, a string (base64 valid), not empty.
  void validate(const cacao::Command& cmd, const cacao::Playbook& playbook,
                const cacao::Step& step, const std::string& pointer,
                json::FieldErrors* errors) const override;

  // Returns at once; `done` runs on the jail's supervisor thread, or inline
  // when the command carries no script.
  void start(Invocation invocation, Done done) override;

  // The Outcome of a finished run (exposed for tests).
  static Outcome outcome_of(JailResult result, const std::vector<std::string>& out_args,
                            const ScriptOptions& options, const JailLimits& limits);

  // The command line inside the jail for a script of `language`.
  static std::vector<std::string> interpreter(Language language);

 private:
  Language language_;
  JailRunner& runner_;
  ScriptOptions options_;
};

}  // namespace atio::actions
