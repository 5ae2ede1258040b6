#include "atio/cti/stix/jcs.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <string_view>
#include <type_traits>
#include <vector>

#include "atio/core/json_write.h"

namespace atio::stix {

namespace bj = boost::json;

namespace {

// Decodes one UTF-8 sequence at s[i]; returns the code point (U+FFFD on bad
// input) and advances i.
char32_t next_code_point(std::string_view s, std::size_t& i) {
  const auto c = static_cast<unsigned char>(s[i]);
  int len = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
  if (len == 0 || i + len > s.size()) {
    ++i;
    return 0xFFFD;
  }
  char32_t cp = len == 1 ? c : len == 2 ? (c & 0x1F) : len == 3 ? (c & 0x0F) : (c & 0x07);
  for (int k = 1; k < len; ++k) cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
  i += len;
  return cp;
}

// JCS sorts member names by their UTF-16 code units, which differs from a
// byte (UTF-8) sort only for characters above U+FFFF against U+E000..U+FFFF.
bool utf16_less(std::string_view a, std::string_view b) {
  std::size_t i = 0, j = 0;
  while (i < a.size() && j < b.size()) {
    if (static_cast<unsigned char>(a[i]) < 0x80 && static_cast<unsigned char>(b[j]) < 0x80) {
      if (a[i] != b[j]) return static_cast<unsigned char>(a[i]) < static_cast<unsigned char>(b[j]);
      ++i, ++j;
      continue;
    }
    char32_t ca = next_code_point(a, i), cb = next_code_point(b, j);
    auto unit = [](char32_t cp) -> char32_t {
      return cp >= 0x10000 ? 0xD800 + ((cp - 0x10000) >> 10) : cp;
    };
    if (ca != cb) {
      char32_t ua = unit(ca), ub = unit(cb);
      if (ua != ub) return ua < ub;
      return ca < cb;
    }
  }
  return i == a.size() && j < b.size();
}

void put_string(std::string_view s, std::string* out) { json::append_quoted(s, out); }

// ECMAScript Number.prototype.toString for finite doubles (RFC 8785 3.2.2.3):
// the shortest round-trip digits, placed in plain or exponent notation by
// the position of the decimal point.
void put_double(double d, std::string* out) {
  if (d == 0) {
    out->push_back('0');
    return;
  }
  if (!std::isfinite(d)) {  // not representable in JSON; JCS forbids it
    *out += "null";
    return;
  }
  char buf[32];
  auto res = std::to_chars(buf, buf + sizeof buf, d, std::chars_format::scientific);
  std::string_view sci(buf, static_cast<std::size_t>(res.ptr - buf));
  bool negative = sci.front() == '-';
  if (negative) sci.remove_prefix(1);
  const auto e_pos = sci.find('e');
  std::string digits;
  for (char c : sci.substr(0, e_pos)) {
    if (c != '.') digits.push_back(c);
  }
  while (digits.size() > 1 && digits.back() == '0') digits.pop_back();
  int exp10 = std::atoi(std::string(sci.substr(e_pos + 1)).c_str());
  const int k = static_cast<int>(digits.size());
  const int n = exp10 + 1;  // position of the decimal point
  if (negative) out->push_back('-');
  if (k <= n && n <= 21) {
    *out += digits;
    out->append(static_cast<std::size_t>(n - k), '0');
  } else if (0 < n && n <= 21) {
    *out += digits.substr(0, static_cast<std::size_t>(n));
    out->push_back('.');
    *out += digits.substr(static_cast<std::size_t>(n));
  } else if (-6 < n && n <= 0) {
    *out += "0.";
    out->append(static_cast<std::size_t>(-n), '0');
    *out += digits;
  } else {
    out->push_back(digits[0]);
    if (k > 1) {
      out->push_back('.');
      *out += digits.substr(1);
    }
    out->push_back('e');
    out->push_back(n - 1 >= 0 ? '+' : '-');
    *out += std::to_string(std::abs(n - 1));
  }
}

// An integer as ECMAScript prints the double it converts to: exactly the
// integer while doubles hold it exactly (|v| <= 2^53, ports, counts, sizes),
// else through put_double.
template <typename Int>
void put_integer(Int v, std::string* out) {
  constexpr Int kExact = Int{1} << 53;
  if (v <= kExact && (std::is_unsigned_v<Int> || v >= -kExact)) {
    char buf[24];
    out->append(buf, static_cast<std::size_t>(std::to_chars(buf, buf + sizeof buf, v).ptr - buf));
    return;
  }
  put_double(static_cast<double>(v), out);
}

}  // namespace

void canonicalize(const bj::value& v, std::string* out) {
  switch (v.kind()) {
    case bj::kind::null: *out += "null"; return;
    case bj::kind::bool_: *out += v.get_bool() ? "true" : "false"; return;
    case bj::kind::int64: put_integer(v.get_int64(), out); return;
    case bj::kind::uint64: put_integer(v.get_uint64(), out); return;
    case bj::kind::double_: put_double(v.get_double(), out); return;
    case bj::kind::string: put_string(v.get_string(), out); return;
    case bj::kind::array: {
      out->push_back('[');
      bool first = true;
      for (const auto& e : v.get_array()) {
        if (!first) out->push_back(',');
        first = false;
        canonicalize(e, out);
      }
      out->push_back(']');
      return;
    }
    case bj::kind::object: {
      const auto& o = v.get_object();
      std::vector<const bj::key_value_pair*> members;
      members.reserve(o.size());
      for (const auto& kv : o) members.push_back(&kv);
      std::sort(members.begin(), members.end(), [](const auto* a, const auto* b) {
        return utf16_less(a->key(), b->key());
      });
      out->push_back('{');
      bool first = true;
      for (const auto* kv : members) {
        if (!first) out->push_back(',');
        first = false;
        put_string(kv->key(), out);
        out->push_back(':');
        canonicalize(kv->value(), out);
      }
      out->push_back('}');
      return;
    }
  }
}

void canonicalize_string(std::string_view s, std::string* out) { put_string(s, out); }

std::string canonicalize(const bj::value& v) {
  std::string out;
  canonicalize(v, &out);
  return out;
}

}  // namespace atio::stix
