// The libraries of a prepared state (lua_state.h): opened once and shared by
// the runs on that state. Scripts never reach the real library tables: each
// run sees `string`, `table`, ... as fresh per-run views (created on first
// use) whose protected metatable falls through to the real table, so writes
// land in the view and vanish with the run.
#include <cstring>

#include "atio/actions/lua/lua_state.h"

namespace atio::actions::lua_detail {

namespace {

char kEnvMetaKey;      // registry: the metatable of every run environment
char kGlobalsKey;      // registry: the shared globals table
char kRandomSeedKey;   // registry: the real math.randomseed

constexpr const char* kProtected = "protected";  // what getmetatable() returns

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

// Calls upvalue 1 (the wrapped function) with all the arguments.
int call_wrapped(lua_State* L) {
  lua_pushvalue(L, lua_upvalueindex(1));
  lua_insert(L, 1);
  lua_call(L, lua_gettop(L) - 1, LUA_MULTRET);
  return lua_gettop(L);
}

// load() restricted to text chunks: the mode argument is forced to "t".
// Without an env argument the chunk gets the registry's globals, which during
// a run are the run's environment.
int l_load(lua_State* L) {
  if (lua_gettop(L) < 3) lua_settop(L, 3);
  lua_pushliteral(L, "t");
  lua_replace(L, 3);
  return call_wrapped(L);
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
  return call_wrapped(L);
}

// collectgarbage() without the options that would change the collector of
// the shared state for later runs ("stop", "incremental", "generational"...).
int l_collectgarbage(lua_State* L) {
  const char* opt = luaL_optstring(L, 1, "collect");
  for (const char* allowed : {"collect", "count", "step", "isrunning"}) {
    if (std::strcmp(opt, allowed) == 0) return call_wrapped(L);
  }
  return luaL_error(L, "collectgarbage('%s') is not allowed in transforms", opt);
}

// next() over a library view (argument 1): first the view's own entries,
// then those of the real table (upvalue 1) it does not override. Upvalue 2
// tells which phase the iteration is in. The real table is never handed out.
int l_view_next(lua_State* L) {
  lua_settop(L, 2);
  if (!lua_toboolean(L, lua_upvalueindex(2))) {
    lua_pushvalue(L, 2);
    if (lua_next(L, 1)) return 2;
    lua_pushboolean(L, 1);
    lua_replace(L, lua_upvalueindex(2));
    lua_pushnil(L);
    lua_replace(L, 2);
  }
  lua_pushvalue(L, lua_upvalueindex(1));  // 3: the real table
  lua_pushvalue(L, 2);
  while (lua_next(L, 3)) {
    lua_pushvalue(L, -2);
    if (lua_rawget(L, 1) == LUA_TNIL) {
      lua_pop(L, 1);
      return 2;
    }
    lua_pop(L, 2);  // overridden: skip, keep the key
  }
  lua_pushnil(L);
  return 1;
}

int l_view_pairs(lua_State* L) {
  lua_pushvalue(L, lua_upvalueindex(1));
  lua_pushboolean(L, 0);
  lua_pushcclosure(L, l_view_next, 2);
  lua_pushvalue(L, 1);
  lua_pushnil(L);
  return 3;
}

// Replaces the real library table at the top of the stack with the shared
// metatable of its views.
void make_view_metatable(lua_State* L) {
  lua_createtable(L, 0, 4);  // [real, mt]
  lua_pushvalue(L, -2);
  lua_setfield(L, -2, "__index");
  lua_pushvalue(L, -2);
  lua_pushcclosure(L, l_view_pairs, 1);
  lua_setfield(L, -2, "__pairs");
  lua_pushstring(L, kProtected);
  lua_setfield(L, -2, "__metatable");
  lua_pushboolean(L, 1);
  lua_rawsetp(L, -2, &kLibraryViewKey);
  lua_replace(L, -2);
}

// __index of the shared globals (upvalue 1: library name -> view metatable).
// On a run's first use of a library, creates the run's view of it and stores
// it in the run's environment (the registry's globals during a run).
int l_library_view(lua_State* L) {
  lua_settop(L, 2);
  lua_pushvalue(L, 2);
  if (lua_rawget(L, lua_upvalueindex(1)) == LUA_TNIL) return 1;  // 3: metatable
  lua_createtable(L, 0, 0);                                       // 4: the view
  lua_pushvalue(L, 3);
  lua_setmetatable(L, 4);
  lua_rawgeti(L, LUA_REGISTRYINDEX, LUA_RIDX_GLOBALS);
  lua_pushvalue(L, 2);
  lua_pushvalue(L, 4);
  lua_rawset(L, -3);
  lua_pushvalue(L, 4);
  return 1;
}

// Replaces global `name` with a closure of `f` over its current value.
void wrap_global(lua_State* L, const char* name, lua_CFunction f) {
  lua_getglobal(L, name);
  lua_pushcclosure(L, f, 1);
  lua_setglobal(L, name);
}

}  // namespace

int open_libraries(lua_State* L) {
  lua_settop(L, 0);
  const luaL_Reg libs[] = {{LUA_GNAME, luaopen_base},        {LUA_STRLIBNAME, luaopen_string},
                           {LUA_TABLIBNAME, luaopen_table},  {LUA_MATHLIBNAME, luaopen_math},
                           {LUA_UTF8LIBNAME, luaopen_utf8},  {LUA_COLIBNAME, luaopen_coroutine}};
  for (const auto& lib : libs) {
    luaL_requiref(L, lib.name, lib.func, 1);
    lua_pop(L, 1);
  }
  // _G is set per run to the run's environment.
  for (const char* name : {"dofile", "loadfile", "warn", LUA_GNAME}) {
    lua_pushnil(L);
    lua_setglobal(L, name);
  }
  wrap_global(L, "load", l_load);
  wrap_global(L, "setmetatable", l_setmetatable);
  wrap_global(L, "collectgarbage", l_collectgarbage);
  lua_pushcfunction(L, l_print);
  lua_setglobal(L, "print");

  lua_getglobal(L, "string");
  lua_pushnil(L);
  lua_setfield(L, -2, "dump");
  // The string metatable's __index is the real string table: hide it.
  lua_pushliteral(L, "");
  lua_getmetatable(L, -1);
  lua_pushstring(L, kProtected);
  lua_setfield(L, -2, "__metatable");
  lua_settop(L, 0);

  lua_getglobal(L, "math");
  lua_getfield(L, -1, "randomseed");
  lua_rawsetp(L, LUA_REGISTRYINDEX, &kRandomSeedKey);
  lua_pop(L, 1);

  open_json(L);
  lua_pushglobaltable(L);                          // 1: the shared globals
  lua_createtable(L, 0, 6);                        // 2: name -> view metatable
  for (const char* name : {"string", "table", "math", "utf8", "coroutine", "json"}) {
    lua_getfield(L, 1, name);
    make_view_metatable(L);
    lua_setfield(L, 2, name);
    lua_pushnil(L);
    lua_setfield(L, 1, name);
  }
  lua_createtable(L, 0, 1);
  lua_insert(L, 2);                                // 2: metatable of the globals
  lua_pushcclosure(L, l_library_view, 1);
  lua_setfield(L, 2, "__index");
  lua_setmetatable(L, 1);
  lua_pushvalue(L, 1);
  lua_rawsetp(L, LUA_REGISTRYINDEX, &kGlobalsKey);
  lua_createtable(L, 0, 2);  // the environment metatable
  lua_pushvalue(L, 1);
  lua_setfield(L, -2, "__index");
  lua_pushstring(L, kProtected);
  lua_setfield(L, -2, "__metatable");
  lua_rawsetp(L, LUA_REGISTRYINDEX, &kEnvMetaKey);
  lua_settop(L, 0);
  return 0;
}

void push_run_env(lua_State* L, std::uint64_t seed1, std::uint64_t seed2) {
  lua_createtable(L, 0, 4);
  lua_rawgetp(L, LUA_REGISTRYINDEX, &kEnvMetaKey);
  lua_setmetatable(L, -2);
  lua_pushliteral(L, LUA_GNAME);
  lua_pushvalue(L, -2);
  lua_rawset(L, -3);
  lua_pushvalue(L, -1);
  lua_rawseti(L, LUA_REGISTRYINDEX, LUA_RIDX_GLOBALS);
  // A fresh random sequence per run, as a fresh state would have.
  lua_rawgetp(L, LUA_REGISTRYINDEX, &kRandomSeedKey);
  lua_pushinteger(L, static_cast<lua_Integer>(seed1));
  lua_pushinteger(L, static_cast<lua_Integer>(seed2));
  lua_call(L, 2, 0);
}

void restore_globals(lua_State* L) {
  lua_rawgetp(L, LUA_REGISTRYINDEX, &kGlobalsKey);
  lua_rawseti(L, LUA_REGISTRYINDEX, LUA_RIDX_GLOBALS);
}

}  // namespace atio::actions::lua_detail
