// Value checks of the STIX validator: JSON types, numbers, timestamps,
// identifiers and references, hex and base64, lists.
#include <cmath>
#include <string>

#include "atio/core/ids.h"
#include "atio/cti/stix/time.h"
#include "atio/cti/stix/validate_check.h"

namespace atio::stix::check {

namespace {

std::string num(double d) {
  if (d == std::floor(d) && std::fabs(d) < 1e15) return std::to_string(static_cast<long long>(d));
  return std::to_string(d);
}

bool leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int digits_at(std::string_view s, std::size_t pos, std::size_t n) {
  int v = 0;
  for (std::size_t i = pos; i < pos + n; ++i) v = v * 10 + (s[i] - '0');
  return v;
}

bool uuid_shape(std::string_view u) {
  if (!is_uuid(u)) return false;
  // The OASIS pattern asks for an RFC 4122 version 1-5 and variant 10xx.
  const char version = u[14];
  const char variant = u[19];
  return version >= '1' && version <= '5' &&
         (variant == '8' || variant == '9' || variant == 'a' || variant == 'b' || variant == 'A' ||
          variant == 'B');
}

bool is_base64_char(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' ||
         c == '/';
}

}  // namespace

void any(const bj::value&, const Path&, Ctx&) {}

void string(const bj::value& v, const Path& at, Ctx& ctx) {
  if (!v.is_string()) ctx.error(at, "schema.type", "value must be a string");
}

void boolean(const bj::value& v, const Path& at, Ctx& ctx) {
  if (!v.is_bool()) ctx.error(at, "schema.type", "value must be a boolean");
}

void object(const bj::value& v, const Path& at, Ctx& ctx) {
  if (!v.is_object()) ctx.error(at, "schema.type", "value must be an object");
}

bool is_integer(const bj::value& v) {
  if (v.is_int64() || v.is_uint64()) return true;
  // JSON Schema counts 3.0 as an integer.
  return v.is_double() && std::isfinite(v.get_double()) &&
         v.get_double() == std::floor(v.get_double());
}

bool is_number(const bj::value& v) { return v.is_int64() || v.is_uint64() || v.is_double(); }

double as_double(const bj::value& v) {
  if (v.is_int64()) return static_cast<double>(v.get_int64());
  if (v.is_uint64()) return static_cast<double>(v.get_uint64());
  return v.get_double();
}

namespace {

// STIX 2.1 section 2.6: every integer MUST be representable as a signed
// 54-bit value, -(2^53)+1 to (2^53)-1. False (and an error) outside.
bool integer_in_54_bits(const bj::value& v, const Path& at, Ctx& ctx) {
  constexpr double kMax = 9007199254740991.0;  // 2^53 - 1
  const double d = as_double(v);
  if (d >= -kMax && d <= kMax) return true;
  ctx.error(at, "spec.integer",
            "an integer must fit in a signed 54-bit value (-(2^53)+1 to (2^53)-1)");
  return false;
}

}  // namespace

void integer(const bj::value& v, const Path& at, Ctx& ctx) {
  if (!is_integer(v)) {
    ctx.error(at, "schema.type", "value must be an integer");
    return;
  }
  integer_in_54_bits(v, at, ctx);
}

void number(const bj::value& v, const Path& at, Ctx& ctx) {
  if (!is_number(v)) ctx.error(at, "schema.type", "value must be a number");
}

void check_integer(const bj::value& v, const Path& at, Ctx& ctx, double lo, double hi) {
  if (!is_integer(v)) {
    ctx.error(at, "schema.type", "value must be an integer");
    return;
  }
  if (!integer_in_54_bits(v, at, ctx)) return;
  const double d = as_double(v);
  const bool open_top = hi >= static_cast<double>(kUnbounded);
  if (d < lo || (!open_top && d > hi)) {
    ctx.error(at, "schema.range",
              open_top ? cat({"value must be at least ", num(lo)})
                       : cat({"value must be an integer from ", num(lo), " to ", num(hi)}));
  }
}

void check_number(const bj::value& v, const Path& at, Ctx& ctx, double lo, double hi) {
  if (!is_number(v)) {
    ctx.error(at, "schema.type", "value must be a number");
    return;
  }
  const double d = as_double(v);
  if (d < lo || d > hi) {
    ctx.error(at, "schema.range", cat({"value must be from ", num(lo), " to ", num(hi)}));
  }
}

void string_list(const bj::value& v, const Path& at, Ctx& ctx) {
  if (!v.is_array()) {
    ctx.error(at, "schema.type", "value must be a list of strings");
    return;
  }
  const auto& a = v.get_array();
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (!a[i].is_string()) ctx.error(at / i, "schema.type", "list entries must be strings");
  }
}

void string_list_min1(const bj::value& v, const Path& at, Ctx& ctx) {
  string_list(v, at, ctx);
  if (v.is_array() && v.get_array().empty()) {
    ctx.error(at, "schema.min-items", "list must not be empty");
  }
}

bool timestamp_shape(std::string_view s) { return is_stix_timestamp(s); }

namespace {

// The checks of `timestamp`; true when `v` has the shape (so that callers
// can add theirs without parsing again).
bool checked_timestamp(const bj::value& v, const Path& at, Ctx& ctx) {
  if (!v.is_string()) {
    ctx.error(at, "schema.type", "timestamp must be a string");
    return false;
  }
  const std::string_view s = v.get_string();
  if (!timestamp_shape(s)) {
    ctx.error(at, "schema.timestamp",
              cat({"'", s, "' is not a STIX timestamp (YYYY-MM-DDTHH:MM:SS[.s+]Z)"}));
    return false;
  }
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const int y = digits_at(s, 0, 4), m = digits_at(s, 5, 2), d = digits_at(s, 8, 2);
  if (d > kDays[m - 1] + (m == 2 && leap(y) ? 1 : 0)) {
    ctx.error(at, "spec.timestamp-date", cat({"'", s, "' is not a calendar date (RFC 3339)"}));
  }
  return true;
}

}  // namespace

void timestamp(const bj::value& v, const Path& at, Ctx& ctx) { checked_timestamp(v, at, ctx); }

void timestamp_ms(const bj::value& v, const Path& at, Ctx& ctx) {
  // YYYY-MM-DDTHH:MM:SS.sssZ or more fraction digits.
  if (checked_timestamp(v, at, ctx) && v.get_string().size() < 24) {
    ctx.error(
        at, "schema.timestamp-millis",
        cat({"'", v.get_string(), "' must be precise to the millisecond (three fraction digits)"}));
  }
}

int compare_timestamps(std::string_view a, std::string_view b) {
  const int head = a.substr(0, 19).compare(b.substr(0, 19));
  if (head != 0) return head;
  // Fractions: digits between '.' and 'Z', missing digits count as 0.
  const std::string_view fa = a.size() > 20 ? a.substr(20, a.size() - 21) : std::string_view();
  const std::string_view fb = b.size() > 20 ? b.substr(20, b.size() - 21) : std::string_view();
  for (std::size_t i = 0; i < std::max(fa.size(), fb.size()); ++i) {
    const char ca = i < fa.size() ? fa[i] : '0';
    const char cb = i < fb.size() ? fb[i] : '0';
    if (ca != cb) return ca < cb ? -1 : 1;
  }
  return 0;
}

void check_order(const bj::object& o, std::string_view earlier, std::string_view later, bool strict,
                 const Path& at, Ctx& ctx) {
  const auto e = o.find(earlier);
  const auto l = o.find(later);
  if (e == o.end() || l == o.end()) return;
  check_order(e->value(), l->value(), earlier, later, strict, at, ctx);
}

void check_order(const bj::value& e, const bj::value& l, std::string_view earlier,
                 std::string_view later, bool strict, const Path& at, Ctx& ctx) {
  if (!e.is_string() || !l.is_string()) return;
  const std::string_view es = e.get_string(), ls = l.get_string();
  if (!timestamp_shape(es) || !timestamp_shape(ls)) return;
  const int c = compare_timestamps(ls, es);
  if (c < 0 || (strict && c == 0)) {
    ctx.error(
        at / later, "spec.time-order",
        cat({later, " must be ", strict ? "later than " : "later than or equal to ", earlier}));
  }
}

void hex(const bj::value& v, const Path& at, Ctx& ctx) {
  if (!v.is_string()) {
    ctx.error(at, "schema.type", "hex value must be a string");
    return;
  }
  const std::string_view s = v.get_string();
  if (s.empty() || s.size() % 2 != 0 || !all_of(s, is_hex_digit)) {
    ctx.error(at, "schema.hex", "value must be an even number of hexadecimal digits");
  }
}

void binary(const bj::value& v, const Path& at, Ctx& ctx) {
  if (!v.is_string()) {
    ctx.error(at, "schema.type", "binary value must be a base64 string");
    return;
  }
  const std::string_view s = v.get_string();
  bool ok = !s.empty() && s.size() % 4 == 0;
  for (std::size_t i = 0; ok && i < s.size(); ++i) {
    if (is_base64_char(s[i])) continue;
    // '=' only as the padding of the last group: "xxx=" or "xx==".
    ok = s[i] == '=' && (i == s.size() - 1 || (i == s.size() - 2 && s[i + 1] == '='));
  }
  if (!ok) ctx.error(at, "schema.binary", "value must be base64 (RFC 4648) with padding");
}

bool parse_identifier(std::string_view id, std::string_view* type) {
  if (id.size() < 3 + 2 + 36) return false;
  const std::size_t dashes = id.size() - 38;
  if (id[dashes] != '-' || id[dashes + 1] != '-' || !uuid_shape(id.substr(dashes + 2))) {
    return false;
  }
  const std::string_view t = id.substr(0, dashes);
  if (t[0] < 'a' || t[0] > 'z' || !is_lower_alnum(t.back())) return false;
  for (char c : t) {
    if (!is_type_char(c)) return false;
  }
  if (type) *type = t;
  return true;
}

void identifier(const bj::value& v, const Path& at, Ctx& ctx) {
  if (!v.is_string()) {
    ctx.error(at, "schema.type", "identifier must be a string");
  } else if (!parse_identifier(v.get_string(), nullptr)) {
    ctx.error(at, "schema.identifier",
              cat({"'", v.get_string(), "' is not a STIX identifier (type--UUID)"}));
  }
}

void identifier_list(const bj::value& v, const Path& at, Ctx& ctx) {
  if (!v.is_array()) {
    ctx.error(at, "schema.type", "value must be a list of identifiers");
    return;
  }
  const auto& a = v.get_array();
  if (a.empty()) ctx.error(at, "schema.min-items", "list must not be empty");
  for (std::size_t i = 0; i < a.size(); ++i) identifier(a[i], at / i, ctx);
}

void check_id_ref(const bj::value& v, const Path& at, Ctx& ctx, const RefRule& rule) {
  std::string_view type;
  if (!v.is_string()) {
    ctx.error(at, "schema.type", "reference must be a string");
  } else if (!parse_identifier(v.get_string(), &type)) {
    ctx.error(at, "schema.identifier",
              cat({"'", v.get_string(), "' is not a STIX identifier (type--UUID)"}));
  } else if (rule.schema_ok && !rule.schema_ok(type)) {
    ctx.error(at, "schema.ref-type", cat({"reference must point to ", rule.what}));
  } else if (rule.spec_ok && !rule.spec_ok(type)) {
    ctx.error(at, "spec.ref-type", cat({"reference must point to ", rule.what}));
  }
}

void check_id_refs(const bj::value& v, const Path& at, Ctx& ctx, const RefRule& rule, bool min1) {
  if (!v.is_array()) {
    ctx.error(at, "schema.type", "value must be a list of identifiers");
    return;
  }
  const auto& a = v.get_array();
  if (min1 && a.empty()) ctx.error(at, "schema.min-items", "list must not be empty");
  for (std::size_t i = 0; i < a.size(); ++i) check_id_ref(a[i], at / i, ctx, rule);
}

void check_sco_ref(const bj::value& v, const Path& at, Ctx& ctx, const RefRule& rule) {
  std::string_view type;
  if (!v.is_string()) {
    ctx.error(at, "schema.type", "reference must be a string");
  } else if (ctx.embedded) {
    // A key of the observed-data "objects" dictionary.
  } else if (!parse_identifier(v.get_string(), &type)) {
    ctx.error(at, "spec.identifier",
              cat({"'", v.get_string(), "' is not a STIX identifier (type--UUID)"}));
  } else if (rule.spec_ok && !rule.spec_ok(type)) {
    ctx.error(at, "spec.ref-type", cat({"reference must point to ", rule.what}));
  }
}

void check_sco_refs(const bj::value& v, const Path& at, Ctx& ctx, const RefRule& rule) {
  if (!v.is_array()) {
    ctx.error(at, "schema.type", "value must be a list of references");
    return;
  }
  const auto& a = v.get_array();
  for (std::size_t i = 0; i < a.size(); ++i) check_sco_ref(a[i], at / i, ctx, rule);
}

}  // namespace atio::stix::check
