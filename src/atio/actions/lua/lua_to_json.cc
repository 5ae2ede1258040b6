// Lua -> JSON (rules in sandbox.h), using only Lua API calls that cannot
// raise, so it runs outside protected mode and keeps C++ objects on its stack.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "atio/actions/http/utf8.h"
#include "atio/actions/lua/lua_json.h"
#include "atio/core/json.h"

namespace atio::actions::lua_detail {

namespace {

bool has_array_marker(lua_State* L, int index) {
  if (!lua_getmetatable(L, index)) return false;
  lua_rawgetp(L, LUA_REGISTRYINDEX, &kArrayMetaKey);
  bool marked = lua_rawequal(L, -1, -2);
  lua_pop(L, 2);
  return marked;
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
        if (lua_touserdata(L_, index) == &kNullSentinel) {
          *out = nullptr;
          return true;
        }
        return fail("cannot convert a userdata to JSON");
      case LUA_TTABLE:
        if (is_library_view(L_, index)) return fail("cannot convert a library table to JSON");
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
