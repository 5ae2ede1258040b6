#include "atio/playbook/cacao/schema_checker.h"

#include <cmath>
#include <utility>

namespace atio::cacao::schema {

namespace {

constexpr std::string_view kUuid =
    "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[1-5][0-9a-fA-F]{3}-[89abAB][0-9a-fA-F]{3}-[0-9a-fA-F]{12}";

std::string plural(std::size_t n, std::string_view word) {
  return std::to_string(n) + " " + std::string(word) + (n == 1 ? "" : "s");
}

double as_double(const bj::value& v) {
  if (v.is_int64()) return static_cast<double>(v.get_int64());
  if (v.is_uint64()) return static_cast<double>(v.get_uint64());
  return v.get_double();
}

std::string format_bound(double d) {
  if (d == std::floor(d)) return std::to_string(static_cast<long long>(d));
  return std::to_string(d);
}

}  // namespace

const Pattern& identifier_pattern() {
  static const Pattern p("^[a-z][a-z0-9-]+[a-z0-9]--" + std::string(kUuid) + "$");
  return p;
}

const Pattern& timestamp_pattern() {
  static const Pattern p(
      R"(^[0-9]{4}-(0[1-9]|1[012])-(0[1-9]|[12][0-9]|3[01])T([01][0-9]|2[0-3]):([0-5][0-9]):([0-5][0-9]|60)(\.[0-9]+)?Z$)");
  return p;
}

const Pattern& variable_name_pattern() {
  static const Pattern p("^__[a-zA-Z_][a-zA-Z0-9_-]{0,199}__$");
  return p;
}

bool is_keyed_id(std::string_view prefix, std::string_view key) {
  // "^<prefix>--<uuid>$": the prefix is literal text, so matching it first and
  // the anchored UUID on the rest is the same test.
  static const Pattern tail("^" + std::string(kUuid) + "$");
  if (key.size() < prefix.size() + 2 || key.substr(0, prefix.size()) != prefix ||
      key.substr(prefix.size(), 2) != "--") {
    return false;
  }
  return tail.search(key.substr(prefix.size() + 2));
}

bool is_integer(const bj::value& v) {
  if (v.is_int64() || v.is_uint64()) return true;
  if (!v.is_double()) return false;
  double d = v.get_double();
  return std::isfinite(d) && d == std::floor(d);
}

bool is_number(const bj::value& v) { return v.is_int64() || v.is_uint64() || v.is_double(); }

void Checker::fail(std::string pointer, std::string message) {
  errors_->push_back(json::FieldError{std::move(pointer), std::move(message)});
}

const bj::object* Checker::object(const bj::value& v, const std::string& ptr) {
  if (const bj::object* o = v.if_object()) return o;
  fail(ptr, "must be a JSON object");
  return nullptr;
}

const bj::array* Checker::array(const bj::value& v, const std::string& ptr, std::size_t min_items) {
  const bj::array* a = v.if_array();
  if (a == nullptr) {
    fail(ptr, "must be an array");
    return nullptr;
  }
  if (a->size() < min_items) fail(ptr, "must have at least " + plural(min_items, "item"));
  return a;
}

bool Checker::string(const bj::value& v, const std::string& ptr) {
  if (v.is_string()) return true;
  fail(ptr, "must be a string");
  return false;
}

void Checker::boolean(const bj::value& v, const std::string& ptr) {
  if (!v.is_bool()) fail(ptr, "must be a boolean");
}

void Checker::integer(const bj::value& v, const std::string& ptr, std::optional<double> min,
                      std::optional<double> max) {
  if (!is_integer(v)) {
    fail(ptr, "must be an integer");
    return;
  }
  number(v, ptr, min, max);
}

void Checker::number(const bj::value& v, const std::string& ptr, std::optional<double> min,
                     std::optional<double> max) {
  if (!is_number(v)) {
    fail(ptr, "must be a number");
    return;
  }
  double d = as_double(v);
  if ((min && d < *min) || (max && d > *max)) {
    if (min && max) {
      fail(ptr, "must be between " + format_bound(*min) + " and " + format_bound(*max));
    } else if (min) {
      fail(ptr, "must be at least " + format_bound(*min));
    } else {
      fail(ptr, "must be at most " + format_bound(*max));
    }
  }
}

void Checker::identifier(const bj::value& v, const std::string& ptr) {
  if (!v.is_string()) {
    fail(ptr, "must be a string (an identifier <object-type>--<uuid>)");
  } else if (!identifier_pattern().search(v.get_string())) {
    fail(ptr, "must be an identifier of the form <object-type>--<uuid> (RFC 4122 UUID)");
  }
}

void Checker::timestamp(const bj::value& v, const std::string& ptr) {
  if (!v.is_string()) {
    fail(ptr, "must be a string (a timestamp)");
  } else if (!timestamp_pattern().search(v.get_string())) {
    fail(ptr, "must be a UTC timestamp of the form yyyy-mm-ddThh:mm:ss[.s+]Z");
  }
}

void Checker::one_of(const bj::value& v, const std::string& ptr,
                     std::initializer_list<std::string_view> allowed) {
  if (!string(v, ptr)) return;
  std::string_view s = v.get_string();
  std::string list;
  for (std::string_view a : allowed) {
    if (a == s) return;
    if (!list.empty()) list += ", ";
    list += "'" + std::string(a) + "'";
  }
  fail(ptr, allowed.size() == 1 ? "must be " + list : "must be one of " + list);
}

void Checker::string_list(const bj::value& v, const std::string& ptr, std::size_t min_items) {
  const bj::array* a = array(v, ptr, min_items);
  if (a == nullptr) return;
  for (std::size_t i = 0; i < a->size(); ++i) string((*a)[i], json::pointer_join(ptr, i));
}

void Checker::identifier_list(const bj::value& v, const std::string& ptr, std::size_t min_items) {
  const bj::array* a = array(v, ptr, min_items);
  if (a == nullptr) return;
  for (std::size_t i = 0; i < a->size(); ++i) identifier((*a)[i], json::pointer_join(ptr, i));
}

void Checker::min_properties(const bj::value& v, const std::string& ptr, std::size_t n) {
  const bj::object* o = v.if_object();
  if (o != nullptr && o->size() < n) fail(ptr, "must have at least " + plural(n, "entry"));
}

void Checker::required(const bj::object& o, const std::string& ptr,
                       std::initializer_list<std::string_view> keys, std::string_view owner) {
  for (std::string_view k : keys) {
    if (!o.contains(k)) fail(json::pointer_join(ptr, k), "is required for " + std::string(owner));
  }
}

void Checker::extensions(const bj::value& v, const std::string& ptr) {
  min_properties(v, ptr, 1);
  const bj::object* o = object(v, ptr);
  if (o == nullptr) return;
  for (const auto& kv : *o) {
    if (is_keyed_id("extension-definition", kv.key()) && !kv.value().is_object()) {
      fail(json::pointer_join(ptr, kv.key()), "must be a JSON object (the extension's properties)");
    }
  }
}

void Checker::external_reference(const bj::value& v, const std::string& ptr) {
  const bj::object* o = object(v, ptr);
  if (o == nullptr) return;
  required(*o, ptr, {"name"}, "an external reference");
  for (std::string_view k : {"name", "description", "source", "url", "external_id", "reference_id"}) {
    member(*o, ptr, k, [&](const bj::value& m, const std::string& p) { string(m, p); });
  }
}

void Checker::external_references(const bj::value& v, const std::string& ptr,
                                  std::size_t min_items) {
  const bj::array* a = array(v, ptr, min_items);
  if (a == nullptr) return;
  for (std::size_t i = 0; i < a->size(); ++i) external_reference((*a)[i], json::pointer_join(ptr, i));
}

void Checker::variables(const bj::value& v, const std::string& ptr) {
  const bj::object* o = object(v, ptr);
  if (o == nullptr) return;
  for (const auto& kv : *o) {
    // Keys that are not variable names are not checked by the schema.
    if (variable_name_pattern().search(kv.key())) variable(kv.value(), json::pointer_join(ptr, kv.key()));
  }
}

void Checker::variable(const bj::value& v, const std::string& ptr) {
  const bj::object* o = object(v, ptr);
  if (o == nullptr) return;
  required(*o, ptr, {"type"}, "a variable");
  member(*o, ptr, "type", [&](const bj::value& m, const std::string& p) { string(m, p); });
  member(*o, ptr, "description", [&](const bj::value& m, const std::string& p) { string(m, p); });
  member(*o, ptr, "value", [&](const bj::value& m, const std::string& p) {
    if (!m.is_string() && !m.is_null()) fail(p, "must be a string or null");
  });
  member(*o, ptr, "constant", [&](const bj::value& m, const std::string& p) { boolean(m, p); });
  member(*o, ptr, "external", [&](const bj::value& m, const std::string& p) { boolean(m, p); });
}

void Checker::civic_location(const bj::value& v, const std::string& ptr) {
  const bj::object* o = object(v, ptr);
  if (o == nullptr) return;
  for (std::string_view k :
       {"name", "description", "building_details", "network_details", "country",
        "administrative_area", "city", "street_address", "postal_code", "latitude", "longitude",
        "precision"}) {
    member(*o, ptr, k, [&](const bj::value& m, const std::string& p) { string(m, p); });
  }
  member(*o, ptr, "region", [&](const bj::value& m, const std::string& p) {
    one_of(m, p,
           {"africa", "eastern-africa", "middle-africa", "northern-africa", "southern-africa",
            "western-africa", "americas", "caribbean", "central-america",
            "latin-america-caribbean", "northern-america", "south-america", "asia",
            "central-asia", "eastern-asia", "southern-asia", "south-eastern-asia", "western-asia",
            "europe", "eastern-europe", "northern-europe", "southern-europe", "western-europe",
            "oceania", "antarctica", "australia-new-zealand", "melanesia", "micronesia",
            "polynesia"});
  });
}

void Checker::contact(const bj::value& v, const std::string& ptr) {
  static const Pattern kKey("^[a-zA-Z0-9_-]{0,250}$");
  const bj::object* o = object(v, ptr);
  if (o == nullptr) return;
  for (std::string_view k : {"email", "phone"}) {
    member(*o, ptr, k, [&](const bj::value& m, const std::string& p) {
      const bj::object* entries = object(m, p);
      if (entries == nullptr) return;
      for (const auto& kv : *entries) {
        if (kKey.search(kv.key())) string(kv.value(), json::pointer_join(p, kv.key()));
      }
    });
  }
  member(*o, ptr, "contact_details", [&](const bj::value& m, const std::string& p) { string(m, p); });
}

}  // namespace atio::cacao::schema
