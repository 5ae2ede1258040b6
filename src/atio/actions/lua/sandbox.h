// Sandboxed Lua 5.4 transforms: a script reshapes JSON in-process, in
// microseconds, with bounded memory and CPU.
//
// Nothing leaks from one run into the next, but runs do not pay for a fresh
// lua_State: each thread keeps a prepared state (libraries opened once) and
// caches up to 64 compiled scripts by their exact text (lua_state.h has the
// details). Every run gets a fresh global environment: globals the script
// sets vanish with the run; `_G` is that environment. The libraries are
// base (without dofile, loadfile and warn; `load` accepts text chunks only
// and defaults to the run's environment; `print` appends to the run's log;
// `setmetatable` refuses a __gc field, because Lua runs finalizers with hooks
// off; `collectgarbage` only does "collect", "count", "step", "isrunning"),
// string (without string.dump), table, math, utf8, coroutine. There is no
// io, os, package/require or debug. `string`, `table`, `math`, `utf8`,
// `coroutine` and `json` are per-run views of the shared library tables:
// assigning a field (or rawset) changes only the run's view, removing a
// field has no effect, pairs() lists the library's fields, getmetatable()
// returns "protected" for them, for the run's environment and for strings
// (method calls such as s:upper() always use the real string library).
// json.array() refuses tables with a protected metatable. math.random is
// reseeded per run.
//
// Limits: a custom allocator caps the memory the run adds to the state (and
// json.decode results), measured from the start of the run; a count hook
// caps the executed VM instructions and checks the cancel token and deadline
// every 1000 instructions. Once any limit is hit the run fails even if the
// script catches the error with pcall: the hook then raises at every
// instruction, and the state is closed rather than reused.
//
// JSON <-> Lua:
//   null    <-> json.null (a unique light userdata)
//   true/false <-> booleans
//   integer <-> integer (int64 exactly; a uint64 above 2^63-1 becomes a float)
//   number with fraction/exponent <-> float; a float with an integral value
//           below 2^53 in magnitude converts back as an integer (5.0 -> 5);
//           NaN and infinities are errors
//   string  <-> string (Lua strings must be valid UTF-8 to convert back)
//   array   <-> table with keys 1..n carrying the json.array marker metatable
//   object  <-> table with string keys
// Lua -> JSON: a table whose keys are exactly 1..n (n >= 1) is an array; an
// empty table is {} unless it carries the array marker (json.array(), or it
// was decoded from []); any other table is an object whose keys must be
// strings or integers (written in decimal); object keys are sorted. Cycles,
// functions, other userdata, library tables and nesting beyond max_depth are
// errors naming the JSON pointer of the value.
//
// The script sees its inputs as the global table `args` and as its first
// vararg (`local args = ...`): variable name (e.g. "__event__") -> value. It
// must return a table. A `json` table offers:
//   json.decode(string) -> value      json.encode(value) -> string
//   json.null                         json.array([table]) -> table marked as array
// (the array marker is a protected metatable: getmetatable() returns
// "json.array" and setmetatable() cannot replace it).
//
// Errors: syntax errors are kInvalidArgument, runtime errors kFailed, both as
// "line N: message"; limits are kResourceExhausted ("instruction budget of N
// exceeded", "memory limit of N bytes exceeded"); cancellation is kAborted
// and the deadline kTimeout.
//
// Known gap: C library functions run without instruction counting, so a
// pathological string pattern (string.find with many `.-` items on a long
// subject) can take long in one call; the memory cap bounds subject sizes.
#pragma once

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "atio/actions/action.h"
#include "atio/core/status.h"

namespace atio::actions {

struct LuaLimits {
  std::size_t memory_bytes = 16 * 1024 * 1024;
  std::uint64_t instructions = 1'000'000;
  std::size_t max_depth = 64;           // JSON nesting, both directions
  std::size_t max_log_bytes = 64 * 1024;  // print() output kept per run
};

// Per-run inputs and outputs besides the script and its arguments.
struct LuaRunContext {
  const CancelToken* cancel = nullptr;  // checked from the count hook
  std::optional<std::chrono::steady_clock::time_point> deadline;
  std::vector<std::string> log;  // out: one entry per print() call
};

// Runs `script` once on the calling thread and returns the table it returned,
// converted to JSON. Thread-safe: a prepared state serves one thread at a
// time (a thread_local pool); runs on different threads share nothing.
Result<bj::value> run_lua_transform(std::string_view script, const bj::object& in_args,
                                    const LuaLimits& limits = {},
                                    LuaRunContext* context = nullptr);

// Compiles `script` (text only) without running it. kInvalidArgument with
// "line N: message" for a syntax error.
Status check_lua_syntax(std::string_view script, const LuaLimits& limits = {});

}  // namespace atio::actions
