#include "atio/actions/lua/lua_state.h"

#include <algorithm>
#include <cstdlib>
#include <limits>
#include <random>

namespace atio::actions::lua_detail {

namespace {

constexpr std::uint64_t kHookInterval = 1000;  // instructions between hook calls

std::uint64_t hook_interval(const LuaLimits& limits) {
  return std::max<std::uint64_t>(1, std::min(kHookInterval, limits.instructions));
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

LuaLimits unlimited_memory() {
  LuaLimits limits;
  limits.memory_bytes = std::numeric_limits<std::size_t>::max();
  return limits;
}

thread_local std::unique_ptr<PreparedState> t_idle;

}  // namespace

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

int run_chunk(lua_State* L) {
  auto* args = static_cast<RunArgs*>(lua_touserdata(L, 1));
  lua_settop(L, 0);
  if (args->evict_ref != LUA_NOREF) {
    luaL_unref(L, LUA_REGISTRYINDEX, args->evict_ref);
    args->evict_ref = LUA_NOREF;
  }
  if (args->ref == LUA_NOREF) {
    int rc = luaL_loadbufferx(L, args->script.data(), args->script.size(), kChunkName, "t");
    if (rc != LUA_OK) {
      args->syntax_error = rc == LUA_ERRSYNTAX;
      return lua_error(L);
    }
    args->ref = luaL_ref(L, LUA_REGISTRYINDEX);
  }
  push_run_env(L, args->seed1, args->seed2);               // 1: env
  lua_rawgeti(L, LUA_REGISTRYINDEX, args->ref);            // 2: chunk
  lua_pushvalue(L, 1);
  if (!lua_setupvalue(L, 2, 1)) lua_pop(L, 1);             // a main chunk has _ENV
  lua_createtable(L, 0, static_cast<int>(args->in_args->size()));  // 3: args
  for (const auto& kv : *args->in_args) {
    lua_pushlstring(L, kv.key().data(), kv.key().size());
    push_json(L, kv.value(), 1);
    lua_rawset(L, -3);
  }
  lua_pushliteral(L, "args");
  lua_pushvalue(L, 3);
  lua_rawset(L, 1);
  lua_call(L, 1, 1);
  return 1;
}

PreparedState::PreparedState() : st_(unlimited_memory(), nullptr) {}

std::unique_ptr<PreparedState> PreparedState::create() {
  std::unique_ptr<PreparedState> ps(new PreparedState());
  lua_State* L = lua_newstate(sandbox_alloc, &ps->st_);
  if (!L) return nullptr;
  ps->L_ = L;
  ps->st_.main = L;
  ps->st_.hook = count_hook;
  lua_pushcfunction(L, open_libraries);
  if (lua_pcall(L, 0, 0, 0) != LUA_OK) return nullptr;
  lua_gc(L, LUA_GCCOLLECT);
  ps->fresh_bytes_ = ps->st_.used;
  return ps;
}

PreparedState::~PreparedState() {
  if (L_) lua_close(L_);
}

void PreparedState::begin_run(const LuaLimits& limits, LuaRunContext* context) {
  st_.begin_run(limits, context);
  lua_sethook(L_, count_hook, LUA_MASKCOUNT, static_cast<int>(hook_interval(limits)));
  ++runs_;
}

int PreparedState::cached_chunk(std::string_view script) {
  auto it = chunks_.find(script);
  if (it == chunks_.end()) return LUA_NOREF;
  if (it->second.pos != order_.begin()) order_.splice(order_.begin(), order_, it->second.pos);
  return it->second.ref;
}

int PreparedState::make_room() {
  if (chunks_.size() < kMaxCachedChunks) return LUA_NOREF;
  auto it = chunks_.find(order_.back());
  int ref = it->second.ref;
  chunks_.erase(it);
  order_.pop_back();
  return ref;
}

void PreparedState::remember(std::string_view script, int ref) {
  order_.emplace_front(script);
  chunks_.emplace(order_.front(), Entry{ref, order_.begin()});
}

bool PreparedState::end_run(bool clean, int chunk_ref) {
  lua_settop(L_, 0);
  restore_globals(L_);
  if (chunk_ref != LUA_NOREF) {  // let the run's environment be collected
    lua_rawgeti(L_, LUA_REGISTRYINDEX, chunk_ref);
    lua_pushnil(L_);
    if (!lua_setupvalue(L_, -2, 1)) lua_pop(L_, 1);
    lua_pop(L_, 1);
  }
  st_.context = nullptr;
  if (!clean || st_.stop != Stop::kNone || runs_ >= kMaxRunsPerState) return false;
  if (st_.used > fresh_bytes_ + kRecycleBytes) {
    lua_gc(L_, LUA_GCCOLLECT);
    if (st_.used > fresh_bytes_ + kRecycleBytes) return false;
  }
  return true;
}

std::unique_ptr<PreparedState> acquire_state() {
  if (t_idle) return std::move(t_idle);
  return PreparedState::create();
}

void release_state(std::unique_ptr<PreparedState> state, bool clean, int chunk_ref) {
  if (state->end_run(clean, chunk_ref) && !t_idle) t_idle = std::move(state);
}

void next_seeds(std::uint64_t* seed1, std::uint64_t* seed2) {
  thread_local std::uint64_t s = [] {
    std::random_device rd;
    return (static_cast<std::uint64_t>(rd()) << 32) ^ rd();
  }();
  auto splitmix = [] (std::uint64_t& x) {
    std::uint64_t z = (x += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  };
  *seed1 = splitmix(s);
  *seed2 = splitmix(s);
}

}  // namespace atio::actions::lua_detail
