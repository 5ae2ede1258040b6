// Internal to atio_lua: prepared lua_States reused by the runs of one thread.
//
// A PreparedState has the safe libraries opened once (lua_libs.cc) and caches
// compiled chunks. It belongs to one thread at a time: acquire_state() hands
// out the calling thread's idle state (or a new one) and release_state() puts
// it back, so nothing here is shared between threads and a nested run on the
// same thread simply gets a second state.
//
// What a run shares with the runs before it on the same state, and why that
// is safe (the rules scripts see are in sandbox.h):
//  - The library functions and tables. Scripts never reach the real tables:
//    `string`, `table`, `math`, `utf8`, `coroutine` and `json` resolve to
//    per-run views created on first use (an empty table whose protected
//    metatable falls through to the real one), so `string.x = v` or
//    rawset(string, ...) only changes the run's view. The string metatable
//    is protected (getmetatable("") does not return it), and json.array()
//    refuses tables with a protected metatable.
//  - The shared globals table G (base functions). It is only the __index of
//    each run's environment, whose metatable is protected, so scripts cannot
//    reach it; a run's own globals go to its fresh environment, and load()
//    without an env gets that environment too.
//  - The collector (collectgarbage may only "collect", "count", "step" and
//    ask "isrunning") and math.random (reseeded per run from a per-thread
//    generator).
//  - Compiled chunks (immutable prototypes). The chunk's only upvalue, _ENV,
//    is set to the run's environment before the call and cleared after it.
//  - The collector's garbage and the interned strings (not observable except
//    through collectgarbage("count")).
// A state is closed instead of reused after any run that raised or hit a
// limit, after kMaxRunsPerState runs, and when it still holds more than
// kRecycleBytes above its fresh size after a full collection.
#pragma once

#include <boost/json/object.hpp>
#include <lua.hpp>

#include <cstddef>
#include <cstdint>
#include <list>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>

#include "atio/actions/lua/lua_json.h"

namespace atio::actions::lua_detail {

inline constexpr const char* kChunkName = "=transform";
inline constexpr std::size_t kMaxCachedChunks = 64;
inline constexpr std::uint32_t kMaxRunsPerState = 1000;
inline constexpr std::size_t kRecycleBytes = 1024 * 1024;

// lua_Alloc charging every byte to the SandboxState passed as userdata.
void* sandbox_alloc(void* ud, void* ptr, std::size_t osize, std::size_t nsize);

// Opens base (wrapped), string, table, math, utf8, coroutine and json as the
// shared globals, the libraries behind per-run views. Protected function:
// call it with lua_pcall. May raise (memory).
int open_libraries(lua_State* L);

// Pushes a fresh run environment (its metatable falls through to the shared
// globals; `_G` is the environment itself), makes it the registry's globals
// (so load() without an env uses it) and reseeds math.random with
// (seed1, seed2). May raise (memory).
void push_run_env(lua_State* L, std::uint64_t seed1, std::uint64_t seed2);

// Makes the shared globals the registry's globals again. Never raises.
void restore_globals(lua_State* L);

// Inputs and outputs of one protected run (run_chunk).
struct RunArgs {
  std::string_view script;
  const bj::object* in_args = nullptr;
  int ref = LUA_NOREF;        // in: the cached chunk, if any; out: the chunk run
  int evict_ref = LUA_NOREF;  // a cached chunk to release first
  bool syntax_error = false;  // out: the script did not compile
  std::uint64_t seed1 = 0, seed2 = 0;
};

// Protected function (argument: a light userdata RunArgs*): compiles the
// script unless cached, builds the environment and `args`, calls the chunk
// and returns its first result. May raise.
int run_chunk(lua_State* L);

class PreparedState {
 public:
  // A new state with the libraries opened, or null (only when out of memory).
  static std::unique_ptr<PreparedState> create();
  ~PreparedState();
  PreparedState(const PreparedState&) = delete;
  PreparedState& operator=(const PreparedState&) = delete;

  lua_State* lua() const { return L_; }
  SandboxState& sandbox() { return st_; }

  // Starts a run: resets the per-run counters, makes the memory cap apply to
  // the growth from here, arms the count hook.
  void begin_run(const LuaLimits& limits, LuaRunContext* context);

  // The registry ref of the chunk compiled from exactly `script`, marked as
  // most recently used; LUA_NOREF when not cached.
  int cached_chunk(std::string_view script);
  // When the cache is full, forgets the least recently used chunk and returns
  // its ref, which the caller must release in protected mode (RunArgs).
  int make_room();
  void remember(std::string_view script, int ref);

  // Ends a run: empties the stack, detaches the environment from the
  // registry and from `chunk_ref` (the chunk run, or LUA_NOREF). Returns
  // whether the state may serve another run (`clean`: the run neither raised
  // nor hit a limit). Never raises.
  bool end_run(bool clean, int chunk_ref);

 private:
  PreparedState();

  SandboxState st_;  // outlives L_ (the allocator and finalizers use it)
  lua_State* L_ = nullptr;
  std::size_t fresh_bytes_ = 0;
  std::uint32_t runs_ = 0;
  std::list<std::string> order_;  // cached scripts, most recently used first
  struct Entry {
    int ref;
    std::list<std::string>::iterator pos;
  };
  std::unordered_map<std::string_view, Entry> chunks_;  // keys view into order_
};

// The calling thread's idle state, or a new one; null when out of memory.
std::unique_ptr<PreparedState> acquire_state();

// Ends the run and keeps the state as the thread's idle one when it may be
// reused; otherwise closes it.
void release_state(std::unique_ptr<PreparedState> state, bool clean, int chunk_ref);

// Per-thread seeds for math.random.
void next_seeds(std::uint64_t* seed1, std::uint64_t* seed2);

}  // namespace atio::actions::lua_detail
