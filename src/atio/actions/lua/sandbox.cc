#include "atio/actions/lua/sandbox.h"

#include <algorithm>
#include <cstdlib>
#include <cstring>

#include "atio/actions/lua/lua_json.h"

namespace atio::actions {

namespace {

using lua_detail::SandboxState;
using lua_detail::state_of;
using lua_detail::Stop;

constexpr const char* kChunkName = "=transform";
constexpr std::uint64_t kHookInterval = 1000;  // instructions between hook calls

// lua_Alloc charging every byte to the run's cap. Shrinking never fails, as
// Lua requires.
void* sandbox_alloc(void* ud, void* ptr, std::size_t osize, std::size_t nsize) {
  auto* st = static_cast<SandboxState*>(ud);
  if (nsize == 0) {
    if (ptr) {
      st->used -= osize;
      std::free(ptr);
    }
    return nullptr;
  }
  std::size_t old = ptr ? osize : 0;  // without ptr, osize tells the object type
  if (nsize > old && !st->charge(nsize - old)) return nullptr;
  void* p = std::realloc(ptr, nsize);
  if (!p) {
    if (nsize > old) st->used -= nsize - old;
    return nullptr;
  }
  if (nsize < old) st->used -= old - nsize;
  return p;
}

[[noreturn]] void raise_stop(lua_State* L, const SandboxState* st) {
  switch (st->stop) {
    case Stop::kCancelled:
      luaL_error(L, "cancelled");
      break;
    case Stop::kDeadline:
      luaL_error(L, "deadline passed");
      break;
    case Stop::kMemory:
      luaL_error(L, "memory limit of %I bytes exceeded",
                 static_cast<lua_Integer>(st->limits.memory_bytes));
      break;
    case Stop::kBudget:
    case Stop::kNone:
      luaL_error(L, "instruction budget of %I exceeded",
                 static_cast<lua_Integer>(st->limits.instructions));
      break;
  }
  std::abort();  // luaL_error does not return
}

std::uint64_t hook_interval(const LuaLimits& limits) {
  return std::max<std::uint64_t>(1, std::min(kHookInterval, limits.instructions));
}

void count_hook(lua_State* L, lua_Debug*) {
  SandboxState* st = state_of(L);
  if (st->stop == Stop::kNone) {
    st->executed += hook_interval(st->limits);
    const LuaRunContext* ctx = st->context;
    if (st->executed > st->limits.instructions) {
      st->stop = Stop::kBudget;
    } else if (ctx && ctx->cancel && ctx->cancel->cancelled()) {
      st->stop = Stop::kCancelled;
    } else if (ctx && ctx->deadline && std::chrono::steady_clock::now() >= *ctx->deadline) {
      st->stop = Stop::kDeadline;
    } else {
      return;
    }
  }
  // From now on every instruction fails, so pcall cannot swallow the stop.
  lua_sethook(L, count_hook, LUA_MASKCOUNT, 1);
  if (st->main && st->main != L) lua_sethook(st->main, count_hook, LUA_MASKCOUNT, 1);
  raise_stop(L, st);
}

void append_log(SandboxState* st, const char* s, std::size_t len) noexcept {
  LuaRunContext* ctx = st->context;
  if (!ctx || st->log_truncated) return;
  try {
    if (st->log_bytes + len > st->limits.max_log_bytes) {
      ctx->log.emplace_back("[log truncated]");
      st->log_truncated = true;
      return;
    }
    ctx->log.emplace_back(s, len);
    st->log_bytes += len;
  } catch (...) {
    st->log_truncated = true;
  }
}

int l_print(lua_State* L) {
  int n = lua_gettop(L);
  luaL_Buffer b;
  luaL_buffinit(L, &b);
  for (int i = 1; i <= n; ++i) {
    if (i > 1) luaL_addchar(&b, '\t');
    luaL_tolstring(L, i, nullptr);
    luaL_addvalue(&b);
  }
  luaL_pushresult(&b);
  std::size_t len = 0;
  const char* s = lua_tolstring(L, -1, &len);
  append_log(state_of(L), s, len);
  return 0;
}

// load() restricted to text chunks: the mode argument is forced to "t".
int l_load(lua_State* L) {
  if (lua_gettop(L) < 3) lua_settop(L, 3);
  lua_pushliteral(L, "t");
  lua_replace(L, 3);
  lua_pushvalue(L, lua_upvalueindex(1));
  lua_insert(L, 1);
  lua_call(L, lua_gettop(L) - 1, LUA_MULTRET);
  return lua_gettop(L);
}

// setmetatable() refusing a __gc field: Lua runs finalizers with hooks off,
// so a finalizer would escape the instruction budget (and lua_close would
// wait for it forever).
int l_setmetatable(lua_State* L) {
  if (lua_type(L, 2) == LUA_TTABLE) {
    lua_pushliteral(L, "__gc");
    if (lua_rawget(L, 2) != LUA_TNIL) {
      return luaL_error(L, "__gc metamethods are not allowed in transforms");
    }
    lua_pop(L, 1);
  }
  lua_pushvalue(L, lua_upvalueindex(1));
  lua_insert(L, 1);
  lua_call(L, lua_gettop(L) - 1, LUA_MULTRET);
  return lua_gettop(L);
}

// Protected: opens the safe libraries, `json` and `args`; returns `args`.
int l_setup(lua_State* L) {
  const auto* in_args = static_cast<const bj::object*>(lua_touserdata(L, 1));
  lua_settop(L, 0);
  const luaL_Reg libs[] = {{LUA_GNAME, luaopen_base},        {LUA_STRLIBNAME, luaopen_string},
                           {LUA_TABLIBNAME, luaopen_table},  {LUA_MATHLIBNAME, luaopen_math},
                           {LUA_UTF8LIBNAME, luaopen_utf8},  {LUA_COLIBNAME, luaopen_coroutine}};
  for (const auto& lib : libs) {
    luaL_requiref(L, lib.name, lib.func, 1);
    lua_pop(L, 1);
  }
  for (const char* name : {"dofile", "loadfile", "warn"}) {
    lua_pushnil(L);
    lua_setglobal(L, name);
  }
  lua_getglobal(L, "load");
  lua_pushcclosure(L, l_load, 1);
  lua_setglobal(L, "load");
  lua_getglobal(L, "setmetatable");
  lua_pushcclosure(L, l_setmetatable, 1);
  lua_setglobal(L, "setmetatable");
  lua_pushcfunction(L, l_print);
  lua_setglobal(L, "print");
  lua_getglobal(L, "string");
  lua_pushnil(L);
  lua_setfield(L, -2, "dump");
  lua_pop(L, 1);
  lua_detail::open_json(L);

  lua_createtable(L, 0, static_cast<int>(in_args->size()));
  for (const auto& kv : *in_args) {
    lua_pushlstring(L, kv.key().data(), kv.key().size());
    lua_detail::push_json(L, kv.value(), 1);
    lua_rawset(L, -3);
  }
  lua_pushvalue(L, -1);
  lua_setglobal(L, "args");
  return 1;
}

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

}  // namespace

Result<bj::value> run_lua_transform(std::string_view script, const bj::object& in_args,
                                    const LuaLimits& limits, LuaRunContext* context) {
  SandboxState st(limits, context);
  lua_State* L = lua_newstate(sandbox_alloc, &st);
  if (!L) {
    return Status(Code::kResourceExhausted,
                  "memory limit of " + std::to_string(limits.memory_bytes) + " bytes exceeded");
  }
  Closer closer{L};  // declared after st: closes the state before st goes away
  st.main = L;
  st.hook = count_hook;
  lua_sethook(L, count_hook, LUA_MASKCOUNT, static_cast<int>(hook_interval(limits)));

  lua_pushcfunction(L, l_setup);
  lua_pushlightuserdata(L, const_cast<bj::object*>(&in_args));
  int rc = lua_pcall(L, 1, 1, 0);
  if (rc != LUA_OK) return failure(st, rc, message_at_top(L), Code::kFailed);

  rc = luaL_loadbufferx(L, script.data(), script.size(), kChunkName, "t");
  if (rc != LUA_OK) return failure(st, rc, message_at_top(L), Code::kInvalidArgument);
  lua_rotate(L, -2, 1);  // [args, chunk] -> [chunk, args]
  rc = lua_pcall(L, 1, 1, 0);
  if (rc != LUA_OK) return failure(st, rc, message_at_top(L), Code::kFailed);
  if (st.stop != Stop::kNone) return failure(st, rc, "", Code::kFailed);

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
  lua_State* L = lua_newstate(sandbox_alloc, &st);
  if (!L) {
    return Status(Code::kResourceExhausted,
                  "memory limit of " + std::to_string(limits.memory_bytes) + " bytes exceeded");
  }
  Closer closer{L};
  int rc = luaL_loadbufferx(L, script.data(), script.size(), kChunkName, "t");
  if (rc != LUA_OK) return failure(st, rc, message_at_top(L), Code::kInvalidArgument);
  return Status::ok();
}

}  // namespace atio::actions
