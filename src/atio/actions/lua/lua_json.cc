#include "atio/actions/lua/lua_json.h"

#include <boost/json/parser.hpp>
#include <boost/json/serialize.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <new>
#include <optional>
#include <utility>
#include <vector>

#include "atio/actions/http/utf8.h"
#include "atio/core/json.h"

namespace atio::actions::lua_detail {

namespace {

// Addresses used as unique keys (registry) and as the json.null value.
char kNull;
char kArrayMetaKey;
char kBoxMetaKey;

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

bool has_array_marker(lua_State* L, int index) {
  if (!lua_getmetatable(L, index)) return false;
  lua_rawgetp(L, LUA_REGISTRYINDEX, &kArrayMetaKey);
  bool marked = lua_rawequal(L, -1, -2);
  lua_pop(L, 2);
  return marked;
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
  }
  lua_rawgetp(L, LUA_REGISTRYINDEX, &kArrayMetaKey);
  lua_setmetatable(L, 1);
  return 1;
}

// Lua -> JSON using only API calls that cannot raise.
class Converter {
 public:
  Converter(lua_State* L, std::size_t max_depth, bj::storage_ptr sp)
      : L_(L), max_depth_(max_depth), sp_(std::move(sp)) {}

  bool convert(int index, bj::value* out, std::size_t depth) {
    switch (lua_type(L_, index)) {
      case LUA_TNIL:
        *out = nullptr;
        return true;
      case LUA_TBOOLEAN:
        *out = static_cast<bool>(lua_toboolean(L_, index));
        return true;
      case LUA_TNUMBER: {
        if (lua_isinteger(L_, index)) {
          *out = static_cast<std::int64_t>(lua_tointeger(L_, index));
          return true;
        }
        double d = lua_tonumber(L_, index);
        if (!std::isfinite(d)) return fail("NaN and infinity cannot be represented in JSON");
        if (d == std::floor(d) && std::fabs(d) < 9007199254740992.0) {
          *out = static_cast<std::int64_t>(d);
        } else {
          *out = d;
        }
        return true;
      }
      case LUA_TSTRING: {
        std::size_t len = 0;
        const char* s = lua_tolstring(L_, index, &len);
        if (!valid_utf8(std::string_view(s, len))) return fail("string is not valid UTF-8");
        *out = bj::string(bj::string_view(s, len), sp_);
        return true;
      }
      case LUA_TLIGHTUSERDATA:
        if (lua_touserdata(L_, index) == &kNull) {
          *out = nullptr;
          return true;
        }
        return fail("cannot convert a userdata to JSON");
      case LUA_TTABLE:
        return convert_table(index, out, depth);
      default:
        return fail(std::string("cannot convert a ") + lua_typename(L_, lua_type(L_, index)) +
                    " to JSON");
    }
  }

  const std::string& error() const { return error_; }

 private:
  bool fail(std::string message) {
    std::string where;
    for (const auto& token : path_) where = json::pointer_join(where, token);
    error_ = std::move(message) + " (at " + (where.empty() ? "the top level" : where) + ")";
    return false;
  }

  bool convert_table(int index, bj::value* out, std::size_t depth) {
    if (depth >= max_depth_) {
      return fail("nesting deeper than " + std::to_string(max_depth_) + " levels");
    }
    const void* id = lua_topointer(L_, index);
    if (std::find(open_.begin(), open_.end(), id) != open_.end()) {
      return fail("table contains a cycle");
    }
    if (!lua_checkstack(L_, 4)) return fail("nesting too deep for the Lua stack");
    open_.push_back(id);
    bool ok = is_array(index) ? convert_array(index, out, depth)
                              : convert_object(index, out, depth);
    open_.pop_back();
    return ok;
  }

  bool is_array(int index) {
    std::size_t count = 0;
    lua_Integer max = 0;
    bool sequence = true;
    lua_pushnil(L_);
    while (lua_next(L_, index)) {
      ++count;
      if (sequence && lua_isinteger(L_, -2) && lua_tointeger(L_, -2) >= 1) {
        max = std::max(max, lua_tointeger(L_, -2));
      } else {
        sequence = false;
      }
      lua_pop(L_, 1);
    }
    if (count == 0) return has_array_marker(L_, index);
    return sequence && static_cast<std::size_t>(max) == count;
  }

  bool convert_array(int index, bj::value* out, std::size_t depth) {
    bj::array array(sp_);
    lua_Integer n = static_cast<lua_Integer>(lua_rawlen(L_, index));
    array.reserve(static_cast<std::size_t>(n));
    for (lua_Integer i = 1; i <= n; ++i) {
      lua_rawgeti(L_, index, i);
      path_.push_back(std::to_string(i - 1));
      bj::value element(sp_);
      bool ok = convert(lua_gettop(L_), &element, depth + 1);
      lua_pop(L_, 1);
      if (!ok) return false;
      path_.pop_back();
      array.push_back(std::move(element));
    }
    *out = std::move(array);
    return true;
  }

  bool convert_object(int index, bj::value* out, std::size_t depth) {
    std::vector<std::pair<std::string, bj::value>> items;
    lua_pushnil(L_);
    while (lua_next(L_, index)) {
      std::string key;
      if (lua_type(L_, -2) == LUA_TSTRING) {
        std::size_t len = 0;
        const char* s = lua_tolstring(L_, -2, &len);  // a string: no conversion
        key.assign(s, len);
        if (!valid_utf8(key)) {
          lua_pop(L_, 2);
          return fail("object key is not valid UTF-8");
        }
      } else if (lua_isinteger(L_, -2)) {
        key = std::to_string(lua_tointeger(L_, -2));
      } else {
        std::string type = lua_typename(L_, lua_type(L_, -2));
        lua_pop(L_, 2);
        return fail("object keys must be strings or integers, found a " + type + " key");
      }
      path_.push_back(key);
      bj::value value(sp_);
      bool ok = convert(lua_gettop(L_), &value, depth + 1);
      lua_pop(L_, 1);
      if (!ok) {
        lua_pop(L_, 1);
        return false;
      }
      path_.pop_back();
      items.emplace_back(std::move(key), std::move(value));
    }
    std::sort(items.begin(), items.end(),
              [](const auto& a, const auto& b) { return a.first < b.first; });
    bj::object object(sp_);
    object.reserve(items.size());
    for (auto& [key, value] : items) object.emplace(key, std::move(value));
    *out = std::move(object);
    return true;
  }

  lua_State* L_;
  std::size_t max_depth_;
  bj::storage_ptr sp_;
  std::vector<const void*> open_;  // tables on the current path
  std::vector<std::string> path_;  // JSON pointer tokens of the current value
  std::string error_;
};

}  // namespace

void* CountedResource::do_allocate(std::size_t n, std::size_t align) {
  if (!state_->charge(n)) throw std::bad_alloc();
  try {
    return ::operator new(n, std::align_val_t(align));
  } catch (...) {
    state_->used -= n;
    throw;
  }
}

void CountedResource::do_deallocate(void* p, std::size_t n, std::size_t align) {
  ::operator delete(p, n, std::align_val_t(align));
  state_->used -= n;
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
  lua_pushlightuserdata(L, &kNull);
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
      lua_pushlightuserdata(L, &kNull);
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

bool to_json(lua_State* L, int index, std::size_t max_depth, bj::storage_ptr storage,
             bj::value* out, std::string* error) noexcept {
  int top = lua_gettop(L);
  index = lua_absindex(L, index);
  bool ok = false;
  try {
    Converter converter(L, max_depth, std::move(storage));
    ok = converter.convert(index, out, 0);
    if (!ok) *error = converter.error();
  } catch (const std::bad_alloc&) {
    *error = "out of memory while converting to JSON";
  } catch (const std::exception& e) {
    *error = e.what();
  }
  lua_settop(L, top);
  return ok;
}

}  // namespace atio::actions::lua_detail
