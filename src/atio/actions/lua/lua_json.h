// Internal to atio_lua: the per-run sandbox state and the JSON <-> Lua
// conversions behind sandbox.h (the rules are documented there).
//
// Lua is compiled as C and raises errors with longjmp, which skips C++
// destructors. So: functions marked "may raise" keep no C++ object with a
// destructor alive on their own frames (C++ state lives in userdata boxes
// collected by Lua), and functions marked "never raises" use only the Lua API
// calls that cannot raise (type checks, raw reads, lua_next, lua_checkstack).
#pragma once

#include <boost/json/memory_resource.hpp>
#include <boost/json/value.hpp>
#include <lua.hpp>

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

#include "atio/actions/lua/sandbox.h"

namespace atio::actions::lua_detail {

namespace bj = boost::json;

enum class Stop { kNone, kBudget, kMemory, kCancelled, kDeadline };

// Addresses used as unique values: json.null (a light userdata) and the
// registry key of the array marker metatable.
inline char kNullSentinel = 0;
inline char kArrayMetaKey = 0;
// Key (a light userdata, which scripts cannot forge) present in the metatable
// of every per-run library view (lua_libs.cc).
inline char kLibraryViewKey = 0;

// Whether the value at `index` is a library view. Never raises.
bool is_library_view(lua_State* L, int index);

// Charges Boost.JSON allocations (json.decode/encode) to the run's memory cap.
class CountedResource final : public bj::memory_resource {
 public:
  explicit CountedResource(struct SandboxState* state) : state_(state) {}

 private:
  void* do_allocate(std::size_t n, std::size_t align) override;
  void do_deallocate(void* p, std::size_t n, std::size_t align) override;
  bool do_is_equal(const bj::memory_resource& other) const noexcept override {
    return this == &other;
  }
  SandboxState* state_;
};

// Everything one run needs; the lua_State's allocator userdata points here,
// so C functions find it with lua_getallocf. A pooled state (lua_state.h)
// keeps one SandboxState for its lifetime and resets it with begin_run().
struct SandboxState {
  explicit SandboxState(const LuaLimits& l, LuaRunContext* c) : limits(l), context(c) {}

  // Resets the per-run fields; the memory cap applies to growth from here.
  void begin_run(const LuaLimits& l, LuaRunContext* c) {
    limits = l;
    context = c;
    base = used;
    memory_exceeded = false;
    executed = 0;
    stop = Stop::kNone;
    log_bytes = 0;
    log_truncated = false;
  }

  LuaLimits limits;
  LuaRunContext* context;  // may be null
  std::size_t used = 0;    // bytes held by the lua_State and counted JSON values
  std::size_t base = 0;    // `used` when the run started
  bool memory_exceeded = false;
  std::uint64_t executed = 0;
  Stop stop = Stop::kNone;
  lua_State* main = nullptr;
  lua_Hook hook = nullptr;  // the count hook, set on `main` at every limit
  std::size_t log_bytes = 0;
  bool log_truncated = false;
  CountedResource resource{this};

  // Counts n more bytes, or returns false and stops the run when the growth
  // since begin_run would pass the cap. The stop is sticky, like the
  // instruction budget: each failed allocation makes Lua run a full emergency
  // collection, so a script that kept retrying under pcall would burn CPU the
  // budget does not see.
  bool charge(std::size_t n) {
    std::size_t grown = used > base ? used - base : 0;
    if (n <= limits.memory_bytes - std::min(grown, limits.memory_bytes)) {
      used += n;
      return true;
    }
    memory_exceeded = true;
    if (stop == Stop::kNone) {
      stop = Stop::kMemory;
      if (main && hook) lua_sethook(main, hook, LUA_MASKCOUNT, 1);
    }
    return false;
  }
};

SandboxState* state_of(lua_State* L);

// Registers `json` (decode, encode, null, array) and the array marker.
// May raise (memory).
void open_json(lua_State* L);

// Pushes `v` as a Lua value. May raise (memory, depth).
void push_json(lua_State* L, const bj::value& v, std::size_t depth);

// Converts the Lua value at `index` into *out (allocated from `storage`).
// Never raises. On failure returns false with a message naming the JSON
// pointer of the offending value.
bool to_json(lua_State* L, int index, std::size_t max_depth, bj::storage_ptr storage,
             bj::value* out, std::string* error) noexcept;

}  // namespace atio::actions::lua_detail
