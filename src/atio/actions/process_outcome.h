// What a finished command printed and how it ended -- a script in a jail
// (script/), a command over SSH (ssh/) -- and the step outcome made of it.
// One shape for both, so a playbook reads stdout, stderr and exit codes the
// same way wherever the command ran.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "atio/actions/action.h"
#include "atio/core/status.h"
#include "atio/core/unique_fd.h"

namespace atio::actions {

struct ProcessResult {
  // OK when the command ran and ended by itself, whatever its exit code.
  // Otherwise why it did not run or was stopped (kTimeout, kAborted,
  // kUnavailable, kPermissionDenied, ...), with the runner's message.
  Status status;
  int exit_code = -1;  // the command's exit code; -1 when none was reported
  int signal = 0;      // the signal that ended it, 0 when it exited or unknown
  UniqueFd stdout_file;  // the whole stdout, readable from offset 0 (may be unset)
  std::uint64_t stdout_bytes = 0;
  std::string stderr_tail;  // the last bytes of stderr (the runner caps them)
  std::uint64_t stderr_bytes = 0;
  std::chrono::microseconds elapsed{0};
};

// The step outcome of a finished command:
//   outputs   "exit_code" (when there is one); "stdout" (text; "stdout_b64"
//             when not UTF-8); "json" when stdout parses as JSON; "stderr"
//             and "stderr_bytes" when more was written than kept;
//             "elapsed_ms". A stdout over `inline_output_bytes` is handed to
//             the engine as the file output "stdout" with "stdout_bytes".
//   status    r.status when it is not OK; else, for a non-zero or missing
//             exit code, kFailed with `failure` (e.g. "script exited with
//             code 3") and the last line of stderr; else OK.
//   out_args  on success only: when stdout is a JSON object with keys named
//             like the step's out_args, those keys; otherwise the first
//             out_arg gets stdout (its JSON value, or its text less the
//             final newline). Nothing when stdout is empty or in a file.
Outcome process_outcome(ProcessResult r, const std::vector<std::string>& out_args,
                        std::size_t inline_output_bytes, const std::string& failure);

// Text for JSON: as it is when UTF-8, else with each bad byte replaced by U+FFFD.
std::string as_text(const std::string& bytes);

// `size` bytes of a file from offset `from` (fewer when it is shorter).
std::string read_spooled(int fd, std::uint64_t from, std::uint64_t size);

}  // namespace atio::actions
