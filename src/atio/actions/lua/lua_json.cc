#include "atio/actions/lua/lua_json.h"

#include <boost/json/parser.hpp>
#include <boost/json/serialize.hpp>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <new>
#include <optional>
#include <utility>
#include <vector>

namespace atio::actions::lua_detail {

namespace {

char kBoxMetaKey;  // registry key of the Box metatable

// C++ state of a json.decode/encode call, owned by a Lua userdata so that it
// is destroyed by the collector even when the call raises.
struct Box {
  std::optional<bj::value> value;  // engaged with the run's counted storage
  std::string text;
};

int box_gc(lua_State* L) {
  static_cast<Box*>(lua_touserdata(L, 1))->~Box();
  return 0;
}

// May raise (memory) before the Box exists; Box() allocates nothing.
Box* push_box(lua_State* L) {
  void* mem = lua_newuserdatauv(L, sizeof(Box), 0);
  Box* box = new (mem) Box();
  lua_rawgetp(L, LUA_REGISTRYINDEX, &kBoxMetaKey);
  lua_setmetatable(L, -2);
  return box;
}

void copy_message(const std::string& from, char* to, std::size_t size) {
  std::snprintf(to, size, "%s", from.c_str());
}

// Never raises.
bool parse_into(SandboxState* st, std::string_view text, Box* box, char* error,
                std::size_t size) noexcept {
  try {
    bj::parse_options options;
    options.max_depth = st->limits.max_depth;
    bj::parser parser(bj::storage_ptr(), options);
    parser.reset(bj::storage_ptr(&st->resource));
    boost::system::error_code ec;
    std::size_t used = parser.write(text.data(), text.size(), ec);
    if (ec) {
      copy_message(ec.message() + " at byte " + std::to_string(used), error, size);
      return false;
    }
    box->value.emplace(parser.release());
    return true;
  } catch (const std::bad_alloc&) {
    std::snprintf(error, size, "memory limit of %zu bytes exceeded", st->limits.memory_bytes);
  } catch (const std::exception& e) {
    copy_message(e.what(), error, size);
  }
  return false;
}

// Never raises.
bool encode_into(lua_State* L, SandboxState* st, Box* box, char* error,
                 std::size_t size) noexcept {
  try {
    std::string message;
    bj::storage_ptr sp(&st->resource);
    box->value.emplace(sp);
    if (!to_json(L, 1, st->limits.max_depth, sp, &*box->value, &message)) {
      copy_message(message, error, size);
      return false;
    }
    box->text = bj::serialize(*box->value);
    return true;
  } catch (const std::bad_alloc&) {
    std::snprintf(error, size, "memory limit of %zu bytes exceeded", st->limits.memory_bytes);
  } catch (const std::exception& e) {
    copy_message(e.what(), error, size);
  }
  return false;
}

int l_decode(lua_State* L) {
  std::size_t len = 0;
  const char* text = luaL_checklstring(L, 1, &len);
  SandboxState* st = state_of(L);
  Box* box = push_box(L);
  char error[256];
  if (!parse_into(st, std::string_view(text, len), box, error, sizeof error)) {
    return luaL_error(L, "json.decode: %s", error);
  }
  push_json(L, *box->value, 0);
  return 1;
}

int l_encode(lua_State* L) {
  luaL_checkany(L, 1);
  SandboxState* st = state_of(L);
  Box* box = push_box(L);
  char error[256];
  if (!encode_into(L, st, box, error, sizeof error)) {
    return luaL_error(L, "json.encode: %s", error);
  }
  lua_pushlstring(L, box->text.data(), box->text.size());
  return 1;
}

int l_array(lua_State* L) {
  if (lua_isnoneornil(L, 1)) {
    lua_settop(L, 0);
    lua_newtable(L);
  } else {
    luaL_checktype(L, 1, LUA_TTABLE);
    lua_settop(L, 1);
    // Like setmetatable: a protected metatable (a library view, a run's
    // environment) cannot be replaced.
    if (lua_getmetatable(L, 1)) {
      lua_rawgetp(L, LUA_REGISTRYINDEX, &kArrayMetaKey);
      bool marked = lua_rawequal(L, -1, -2);
      lua_pop(L, 1);
      lua_pushliteral(L, "__metatable");
      if (!marked && lua_rawget(L, -2) != LUA_TNIL) {
        return luaL_error(L, "json.array: cannot change a protected metatable");
      }
      lua_settop(L, 1);
    }
  }
  lua_rawgetp(L, LUA_REGISTRYINDEX, &kArrayMetaKey);
  lua_setmetatable(L, 1);
  return 1;
}

}  // namespace

// malloc/free rather than aligned new/delete: Boost.JSON 1.81 does not always
// pass the same alignment to deallocate as to allocate, and never needs more
// than malloc's alignment.
void* CountedResource::do_allocate(std::size_t n, std::size_t align) {
  if (!state_->charge(n)) throw std::bad_alloc();
  void* p = std::malloc(n == 0 ? 1 : n);
  if (!p) {
    state_->used -= n;
    throw std::bad_alloc();
  }
  return p;
}

void CountedResource::do_deallocate(void* p, std::size_t n, std::size_t align) {
  std::free(p);
  state_->used -= n;
}

bool is_library_view(lua_State* L, int index) {
  if (!lua_getmetatable(L, index)) return false;
  bool view = lua_rawgetp(L, -1, &kLibraryViewKey) != LUA_TNIL;
  lua_pop(L, 2);
  return view;
}

SandboxState* state_of(lua_State* L) {
  void* ud = nullptr;
  lua_getallocf(L, &ud);
  return static_cast<SandboxState*>(ud);
}

void open_json(lua_State* L) {
  // __metatable hides the marker from getmetatable(), so a script cannot add
  // a __gc to it (finalizers run without the instruction hook).
  lua_createtable(L, 0, 2);
  lua_pushliteral(L, "json.array");
  lua_setfield(L, -2, "__name");
  lua_pushliteral(L, "json.array");
  lua_setfield(L, -2, "__metatable");
  lua_rawsetp(L, LUA_REGISTRYINDEX, &kArrayMetaKey);

  lua_createtable(L, 0, 1);
  lua_pushcfunction(L, box_gc);
  lua_setfield(L, -2, "__gc");
  lua_rawsetp(L, LUA_REGISTRYINDEX, &kBoxMetaKey);

  lua_createtable(L, 0, 4);
  lua_pushcfunction(L, l_decode);
  lua_setfield(L, -2, "decode");
  lua_pushcfunction(L, l_encode);
  lua_setfield(L, -2, "encode");
  lua_pushcfunction(L, l_array);
  lua_setfield(L, -2, "array");
  lua_pushlightuserdata(L, &kNullSentinel);
  lua_setfield(L, -2, "null");
  lua_setglobal(L, "json");
}

void push_json(lua_State* L, const bj::value& v, std::size_t depth) {
  SandboxState* st = state_of(L);
  if (depth > st->limits.max_depth) {
    luaL_error(L, "JSON nesting deeper than %d levels", static_cast<int>(st->limits.max_depth));
  }
  luaL_checkstack(L, 3, "JSON nesting");
  switch (v.kind()) {
    case bj::kind::null:
      lua_pushlightuserdata(L, &kNullSentinel);
      return;
    case bj::kind::bool_:
      lua_pushboolean(L, v.get_bool());
      return;
    case bj::kind::int64:
      lua_pushinteger(L, static_cast<lua_Integer>(v.get_int64()));
      return;
    case bj::kind::uint64:
      if (v.get_uint64() <= static_cast<std::uint64_t>(INT64_MAX)) {
        lua_pushinteger(L, static_cast<lua_Integer>(v.get_uint64()));
      } else {
        lua_pushnumber(L, static_cast<lua_Number>(v.get_uint64()));
      }
      return;
    case bj::kind::double_:
      lua_pushnumber(L, v.get_double());
      return;
    case bj::kind::string:
      lua_pushlstring(L, v.get_string().data(), v.get_string().size());
      return;
    case bj::kind::array: {
      const bj::array& a = v.get_array();
      lua_createtable(L, static_cast<int>(std::min<std::size_t>(a.size(), INT32_MAX)), 0);
      for (std::size_t i = 0; i < a.size(); ++i) {
        push_json(L, a[i], depth + 1);
        lua_rawseti(L, -2, static_cast<lua_Integer>(i + 1));
      }
      lua_rawgetp(L, LUA_REGISTRYINDEX, &kArrayMetaKey);
      lua_setmetatable(L, -2);
      return;
    }
    case bj::kind::object: {
      const bj::object& o = v.get_object();
      lua_createtable(L, 0, static_cast<int>(std::min<std::size_t>(o.size(), INT32_MAX)));
      for (const auto& kv : o) {
        lua_pushlstring(L, kv.key().data(), kv.key().size());
        push_json(L, kv.value(), depth + 1);
        lua_rawset(L, -3);
      }
      return;
    }
  }
}

}  // namespace atio::actions::lua_detail
