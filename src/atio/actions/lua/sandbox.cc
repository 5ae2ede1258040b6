#include "atio/actions/lua/sandbox.h"

#include <algorithm>
#include <memory>

#include "atio/actions/lua/lua_json.h"
#include "atio/actions/lua/lua_state.h"

namespace atio::actions {

namespace {

using lua_detail::kChunkName;
using lua_detail::PreparedState;
using lua_detail::SandboxState;
using lua_detail::Stop;

// The error value on top of the stack as text. Never raises.
std::string message_at_top(lua_State* L) {
  int type = lua_type(L, -1);
  if (type == LUA_TSTRING) return lua_tostring(L, -1);
  if (type == LUA_TNUMBER) {
    return lua_isinteger(L, -1) ? std::to_string(lua_tointeger(L, -1))
                                : std::to_string(lua_tonumber(L, -1));
  }
  return std::string("error object is a ") + lua_typename(L, type) + " value";
}

// "transform:3: msg" -> "line 3: msg".
std::string with_line(const std::string& message) {
  constexpr std::string_view kPrefix = "transform:";
  std::string_view rest(message);
  if (!rest.starts_with(kPrefix)) return message;
  rest.remove_prefix(kPrefix.size());
  std::size_t colon = rest.find(':');
  if (colon == 0 || colon == std::string_view::npos ||
      !std::all_of(rest.begin(), rest.begin() + colon, [](char c) { return c >= '0' && c <= '9'; })) {
    return message;
  }
  return "line " + std::string(rest);
}

Status failure(const SandboxState& st, int rc, std::string message, Code code) {
  switch (st.stop) {
    case Stop::kBudget:
      return Status(Code::kResourceExhausted, "instruction budget of " +
                                                  std::to_string(st.limits.instructions) +
                                                  " exceeded");
    case Stop::kMemory:
      return Status(Code::kResourceExhausted,
                    "memory limit of " + std::to_string(st.limits.memory_bytes) + " bytes exceeded");
    case Stop::kCancelled:
      return Status(Code::kAborted, "transform cancelled");
    case Stop::kDeadline:
      return Status(Code::kTimeout, "transform timed out");
    case Stop::kNone:
      break;
  }
  if (rc == LUA_ERRMEM) {
    return Status(Code::kResourceExhausted,
                  "memory limit of " + std::to_string(st.limits.memory_bytes) + " bytes exceeded");
  }
  return Status(code, with_line(message));
}

struct Closer {
  lua_State* L;
  ~Closer() { lua_close(L); }
};

// Hands the state back to the thread (or closes it) on every path out of a
// run, after the result has been read off the Lua stack.
struct Release {
  std::unique_ptr<PreparedState>& state;
  bool clean = false;
  int chunk_ref = LUA_NOREF;
  ~Release() { lua_detail::release_state(std::move(state), clean, chunk_ref); }
};

Status out_of_memory(const LuaLimits& limits) {
  return Status(Code::kResourceExhausted,
                "memory limit of " + std::to_string(limits.memory_bytes) + " bytes exceeded");
}

}  // namespace

Result<bj::value> run_lua_transform(std::string_view script, const bj::object& in_args,
                                    const LuaLimits& limits, LuaRunContext* context) {
  std::unique_ptr<PreparedState> ps = lua_detail::acquire_state();
  if (!ps) return out_of_memory(limits);
  Release release{ps};
  ps->begin_run(limits, context);
  const SandboxState& st = ps->sandbox();
  lua_State* L = ps->lua();

  lua_detail::RunArgs args;
  args.script = script;
  args.in_args = &in_args;
  args.ref = ps->cached_chunk(script);
  bool cached = args.ref != LUA_NOREF;
  if (!cached) args.evict_ref = ps->make_room();
  lua_detail::next_seeds(&args.seed1, &args.seed2);
  lua_pushcfunction(L, lua_detail::run_chunk);
  lua_pushlightuserdata(L, &args);
  int rc = lua_pcall(L, 1, 1, 0);
  release.chunk_ref = args.ref;
  if (!cached && args.ref != LUA_NOREF) ps->remember(script, args.ref);
  if (rc != LUA_OK) {
    release.clean = args.syntax_error;  // nothing ran: the state is as it was
    return failure(st, rc, message_at_top(L),
                   args.syntax_error ? Code::kInvalidArgument : Code::kFailed);
  }
  if (st.stop != Stop::kNone) return failure(st, rc, "", Code::kFailed);
  release.clean = true;

  if (!lua_istable(L, -1)) {
    return Status(Code::kFailed, std::string("the script must return a table, got ") +
                                     luaL_typename(L, -1));
  }
  bj::value out;
  std::string error;
  if (!lua_detail::to_json(L, -1, limits.max_depth, bj::storage_ptr(), &out, &error)) {
    return Status(Code::kFailed, "returned value: " + error);
  }
  return out;
}

Status check_lua_syntax(std::string_view script, const LuaLimits& limits) {
  SandboxState st(limits, nullptr);
  lua_State* L = lua_newstate(lua_detail::sandbox_alloc, &st);
  if (!L) return out_of_memory(limits);
  Closer closer{L};
  int rc = luaL_loadbufferx(L, script.data(), script.size(), kChunkName, "t");
  if (rc != LUA_OK) return failure(st, rc, message_at_top(L), Code::kInvalidArgument);
  return Status::ok();
}

}  // namespace atio::actions
