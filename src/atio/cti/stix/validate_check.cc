// The validator's plumbing: problem reporting, property tables, member
// loops, names, and the small text matchers the OASIS patterns need.
#include "atio/cti/stix/validate_check.h"

#include <cstring>

#include "atio/core/json.h"

namespace atio::stix::check {

namespace {

void append_pointer(const Path& at, std::string* out) {
  if (at.parent == nullptr) return;
  append_pointer(*at.parent, out);
  out->push_back('/');
  if (at.index != Path::kNoIndex) {
    out->append(std::to_string(at.index));
  } else {
    out->append(json::escape_token(at.key));
  }
}

bool is_dictionary_key_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '-';
}

bool is_property_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
}

// ^[a-z][a-z0-9_]{0,245}_<suffix>$ of properties.json (_bin and _hex names).
bool typed_suffix_name(std::string_view name, std::string_view suffix) {
  if (name.size() < suffix.size() + 2 || name.size() > 246 + suffix.size() + 1) return false;
  if (!ends_with(name, suffix) || name[name.size() - suffix.size() - 1] != '_') return false;
  if (name[0] < 'a' || name[0] > 'z') return false;
  for (std::size_t i = 1; i + suffix.size() + 1 < name.size(); ++i) {
    if (!is_property_char(name[i])) return false;
  }
  return true;
}

}  // namespace

std::string Ctx::pointer(const Path& at) const {
  std::string p(base_);
  append_pointer(at, &p);
  return p;
}

void Ctx::add(Problem::Severity severity, const Path& at, std::string_view rule,
              std::string message) {
  if (spec_only && starts_with(rule, "schema.")) rule = "spec.property-format";
  out_->problems.push_back(Problem{severity, pointer(at), std::move(message), rule});
}

std::string cat(std::initializer_list<std::string_view> parts) {
  std::size_t n = 0;
  for (auto p : parts) n += p.size();
  std::string s;
  s.reserve(n);
  for (auto p : parts) s.append(p);
  return s;
}

int find_prop(std::span<const Prop> props, std::string_view name) {
  for (std::size_t i = 0; i < props.size(); ++i) {
    const std::string_view n = props[i].name;
    if (n.size() == name.size() && n[0] == name[0] &&
        std::memcmp(n.data(), name.data(), n.size()) == 0) {
      return static_cast<int>(i);
    }
  }
  return -1;
}

// properties.json / dictionary.json: values are never null or an empty list.
// Returns false (after reporting) when the value is neither.
bool check_present_value(const bj::value& v, const Path& at, Ctx& ctx, bool schema) {
  if (v.is_null()) {
    ctx.error(at, schema ? "schema.null" : "spec.null", "a property value must not be null");
    return false;
  }
  if (v.is_array() && v.get_array().empty()) {
    ctx.error(at, schema ? "schema.empty-list" : "spec.empty-list",
              "a list property must not be empty");
    return false;
  }
  return true;
}

void check_custom_member(std::string_view key, const bj::value& v, const Path& at, Ctx& ctx,
                         bool schema) {
  if (schema) {
    check_property_name(key, at, ctx);
  } else {
    // Objects without properties.json (marking-definition): the text's rule only.
    if (key.size() < 3 || key.size() > 250 || !all_of(key, is_property_char)) {
      ctx.error(at, "spec.property-name",
                cat({"property name '", key,
                     "' must be 3 to 250 characters of a-z, 0-9 and underscore"}));
    }
  }
  const bool was = ctx.spec_only;
  ctx.spec_only = was || !schema;  // _bin/_hex come from properties.json too
  if (typed_suffix_name(key, "bin")) {
    binary(v, at, ctx);
  } else if (typed_suffix_name(key, "hex")) {
    hex(v, at, ctx);
  }
  ctx.spec_only = was;
}

std::uint64_t check_members(const bj::object& o, std::span<const Prop> props, const Path& at,
                            Ctx& ctx, Others others) {
  std::uint64_t seen = 0;
  for (const auto& kv : o) {
    const std::string_view key = kv.key();
    const Path child = at / key;
    if (others == Others::kStix || others == Others::kDictionary) {
      if (!check_present_value(kv.value(), child, ctx, true)) {
        const int i = find_prop(props, key);
        if (i >= 0) seen |= std::uint64_t{1} << i;
        continue;
      }
    }
    const int i = find_prop(props, key);
    if (i >= 0) {
      seen |= std::uint64_t{1} << i;
      props[i].check(kv.value(), child, ctx);
      continue;
    }
    switch (others) {
      case Others::kStix:
        check_custom_member(key, kv.value(), child, ctx, true);
        break;
      case Others::kDictionary:
        if (key.size() > 250 || !all_of(key, is_dictionary_key_char)) {
          ctx.error(child, "schema.dictionary-key",
                    cat({"dictionary key '", key,
                         "' must be at most 250 characters of a-z, A-Z, 0-9, '-' and '_'"}));
        }
        break;
      case Others::kClosed:
        ctx.error(child, "schema.additional-property",
                  cat({"property '", key, "' is not allowed here"}));
        break;
      case Others::kAny:
        break;
    }
  }
  for (std::size_t i = 0; i < props.size(); ++i) {
    if ((props[i].flags & kRequired) && !(seen & (std::uint64_t{1} << i))) {
      ctx.error(at, "schema.required", cat({"required property '", props[i].name, "' is missing"}));
    }
  }
  return seen;
}

void check_property_name(std::string_view name, const Path& at, Ctx& ctx) {
  // properties.json: "^([a-z][a-z0-9_]{2,249})|id$" as re.search reads it.
  const bool schema_ok = (name.size() >= 3 && name[0] >= 'a' && name[0] <= 'z' &&
                          is_property_char(name[1]) && is_property_char(name[2])) ||
                         ends_with(name, "id");
  if (!schema_ok) {
    ctx.error(at, "schema.property-name",
              cat({"property name '", name,
                   "' must start with a lowercase letter and two of a-z, 0-9 or underscore"}));
    return;
  }
  if (name.size() < 3 || name.size() > 250 || !all_of(name, is_property_char)) {
    ctx.error(
        at, "spec.property-name",
        cat({"property name '", name, "' must be 3 to 250 characters of a-z, 0-9 and underscore"}));
  }
}

void check_type_name(std::string_view type, const Path& at, Ctx& ctx) {
  bool ok = type.size() >= 3 && type.size() <= 250 && type[0] >= 'a' && type[0] <= 'z' &&
            type != "action";
  for (std::size_t i = 0; ok && i < type.size(); ++i) {
    const char c = type[i];
    if (c == '-') {
      ok = i + 1 >= type.size() || type[i + 1] != '-';
    } else {
      ok = is_lower_alnum(c);
    }
  }
  if (!ok) {
    ctx.error(at, "schema.type-name",
              cat({"object type '", type,
                   "' must be 3 to 250 characters of a-z, 0-9 and single hyphens, starting "
                   "with a letter (and not 'action')"}));
  }
}

bool has_toplevel_property_extension(const bj::object& o) {
  const auto* ext = json::get_object(o, "extensions");
  if (ext == nullptr) return false;
  for (const auto& kv : *ext) {
    if (!kv.value().is_object()) continue;
    const auto* t = json::get_string(kv.value().get_object(), "extension_type");
    if (t != nullptr && *t == "toplevel-property-extension") return true;
  }
  return false;
}

bool all_of(std::string_view s, bool (*pred)(char)) {
  for (char c : s) {
    if (!pred(c)) return false;
  }
  return true;
}

bool starts_with(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && s.substr(0, prefix.size()) == prefix;
}

bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

bool search_alternation(std::string_view s, std::span<const std::string_view> alternatives,
                        bool anchored_end) {
  if (alternatives.size() == 1)
    return anchored_end ? s == alternatives[0] : starts_with(s, alternatives[0]);
  if (starts_with(s, alternatives.front())) return true;
  if (anchored_end ? ends_with(s, alternatives.back())
                   : s.find(alternatives.back()) != std::string_view::npos) {
    return true;
  }
  for (std::size_t i = 1; i + 1 < alternatives.size(); ++i) {
    if (s.find(alternatives[i]) != std::string_view::npos) return true;
  }
  return false;
}

}  // namespace atio::stix::check
