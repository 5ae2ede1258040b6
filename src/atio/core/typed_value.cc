#include "atio/core/typed_value.h"

#include <boost/json/parse.hpp>

#include <charconv>
#include <cmath>
#include <cstdint>
#include <limits>
#include <string>

#include "atio/core/text.h"

namespace atio {

namespace bj = boost::json;

namespace {

bool parse_int(std::string_view s, std::int64_t* out) {
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), *out);
  return !s.empty() && ec == std::errc() && p == s.data() + s.size();
}

bool parse_double(std::string_view s, double* out) {
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), *out);
  return !s.empty() && ec == std::errc() && p == s.data() + s.size();
}

Status misfit(const char* rule) { return Status(Code::kInvalidArgument, rule); }

}  // namespace

Result<bj::value> typed_json_value(std::string_view type, const bj::value& v) {
  const bool typed = type == "integer" || type == "long" || type == "float" || type == "bool" ||
                     type == "dictionary";
  if (!typed) return v;
  if (v.is_null() || (v.is_string() && v.get_string().empty())) return bj::value(nullptr);
  if (type == "integer" || type == "long") {
    std::int64_t n = 0;
    if (v.is_int64()) return v;
    if (v.is_uint64() &&
        v.get_uint64() <= static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
      return bj::value(static_cast<std::int64_t>(v.get_uint64()));
    }
    if (v.is_double() && std::trunc(v.get_double()) == v.get_double() &&
        std::abs(v.get_double()) < 9.2e18) {
      return bj::value(static_cast<std::int64_t>(v.get_double()));
    }
    if (v.is_string() && parse_int(v.get_string(), &n)) return bj::value(n);
    return misfit("must be a whole number (a 64-bit integer)");
  }
  if (type == "float") {
    double d = 0;
    if (v.is_double()) return v;
    if (v.is_int64()) return bj::value(static_cast<double>(v.get_int64()));
    if (v.is_uint64()) return bj::value(static_cast<double>(v.get_uint64()));
    if (v.is_string() && parse_double(v.get_string(), &d)) return bj::value(d);
    return misfit("must be a number");
  }
  if (type == "bool") {
    if (v.is_bool()) return v;
    if (v.is_string() && iequals(v.get_string(), "true")) return bj::value(true);
    if (v.is_string() && iequals(v.get_string(), "false")) return bj::value(false);
    return misfit("must be true or false");
  }
  // dictionary
  if (v.is_structured()) return v;
  if (v.is_string()) {
    boost::system::error_code ec;
    bj::value parsed = bj::parse(v.get_string(), ec);
    if (!ec && parsed.is_structured()) return parsed;
  }
  return misfit("must be a JSON object or array");
}

}  // namespace atio
