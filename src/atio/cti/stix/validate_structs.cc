// Checks of the STIX common types: hashes, dictionaries, kill chain phases,
// external references, granular markings, extensions.
#include <array>

#include "atio/cti/stix/validate_check.h"

namespace atio::stix::check {

namespace {

bool is_dictionary_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '-';
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }

bool is_ssdeep_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || is_digit(c) || c == '/' || c == '+' ||
         c == ':' || c == '.';
}

bool is_alnum(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || is_digit(c); }

// hashes-type.json: the value format of each algorithm of hashing-algorithm-ov.
// Returns false for other algorithm names.
bool known_hash(std::string_view algorithm, std::string_view value, bool* format_ok) {
  struct HexHash {
    std::string_view name;
    std::size_t length;
  };
  static constexpr HexHash kHex[] = {{"MD5", 32},      {"SHA-1", 40},    {"SHA-256", 64},
                                     {"SHA-512", 128}, {"SHA3-256", 64}, {"SHA3-512", 128}};
  for (const auto& h : kHex) {
    if (algorithm == h.name) {
      *format_ok = value.size() == h.length && all_of(value, is_hex_digit);
      return true;
    }
  }
  if (algorithm == "SSDEEP") {
    *format_ok = !value.empty() && value.size() <= 128 && all_of(value, is_ssdeep_char);
    return true;
  }
  if (algorithm == "TLSH") {
    *format_ok = value.size() == 70 && all_of(value, is_alnum);
    return true;
  }
  return false;
}

constexpr std::string_view kExtRefHashNames[] = {"MD5",      "SHA-1",    "SHA-256", "SHA-512",
                                                 "SHA3-256", "SHA3-512", "SSDEEP",  "TLSH"};

void check_hashes(const bj::value& v, const Path& at, Ctx& ctx, bool external_reference) {
  if (!v.is_object()) {
    ctx.error(at, "schema.type", "hashes must be an object");
    return;
  }
  const auto& o = v.get_object();
  if (o.empty()) ctx.error(at, "schema.min-properties", "hashes must have at least one entry");
  for (const auto& kv : o) {
    const std::string_view key = kv.key();
    const Path child = at / key;
    if (key.size() < 3 || key.size() > 250 || !all_of(key, is_dictionary_char)) {
      ctx.error(child, "schema.hash-key",
                cat({"hash algorithm name '", key,
                     "' must be 3 to 250 characters of a-z, A-Z, 0-9, '-' and '_'"}));
    } else if (external_reference && !search_alternation(key, kExtRefHashNames)) {
      ctx.error(child, "schema.hash-key",
                cat({"hash algorithm '", key,
                     "' is not allowed in an external reference (hashing-algorithm-ov only)"}));
    }
    if (!kv.value().is_string()) {
      ctx.error(child, "schema.type", "hash value must be a string");
      continue;
    }
    bool format_ok = true;
    if (!known_hash(key, kv.value().get_string(), &format_ok)) {
      ctx.warning(child, "spec.vocabulary",
                  cat({"hash algorithm '", key, "' is not in hashing-algorithm-ov"}));
    } else if (!format_ok) {
      ctx.error(child, "schema.hash-value", cat({"value is not a valid ", key, " hash"}));
    }
  }
}

// ^CVE-\d{4}-(0\d{3}|[1-9]\d{3,})$
bool cve_id(std::string_view s) {
  if (s.size() < 13 || !starts_with(s, "CVE-") || s[8] != '-') return false;
  if (!all_of(s.substr(4, 4), is_digit) || !all_of(s.substr(9), is_digit)) return false;
  const std::string_view n = s.substr(9);
  return n[0] == '0' ? n.size() == 4 : n.size() >= 4;
}

// ^CAPEC-\d+$
bool capec_id(std::string_view s) {
  return s.size() > 6 && starts_with(s, "CAPEC-") && all_of(s.substr(6), is_digit);
}

void external_reference(const bj::value& v, const Path& at, Ctx& ctx) {
  if (!v.is_object()) {
    ctx.error(at, "schema.type", "an external reference must be an object");
    return;
  }
  const auto& o = v.get_object();
  if (auto it = o.find("hashes"); it != o.end())
    check_hashes(it->value(), at / "hashes", ctx, true);
  for (const char* key : {"url", "description"}) {
    if (auto it = o.find(key); it != o.end() && !it->value().is_string()) {
      ctx.error(at / key, "schema.type", "value must be a string");
    }
  }
  const auto sn = o.find("source_name");
  const auto eid = o.find("external_id");
  const bj::value* source = sn == o.end() ? nullptr : &sn->value();
  const bj::value* id = eid == o.end() ? nullptr : &eid->value();
  if (source == nullptr) {
    ctx.error(at, "schema.required", "required property 'source_name' is missing");
    return;
  }
  if (!source->is_string()) {
    ctx.error(at / "source_name", "schema.type", "value must be a string");
    return;
  }
  const std::string_view name = source->get_string();
  if (name == "cve" || name == "capec") {
    const bool cve = name == "cve";
    if (id == nullptr || !id->is_string() ||
        !(cve ? cve_id(id->get_string()) : capec_id(id->get_string()))) {
      ctx.error(id ? at / "external_id" : at, "schema.external-id",
                cve ? "an external reference to cve needs an external_id CVE-YYYY-NNNN"
                    : "an external reference to capec needs an external_id CAPEC-N");
    }
    return;
  }
  if (id != nullptr) {
    if (!id->is_string()) {
      ctx.error(at / "external_id", "schema.type", "value must be a string");
    } else if (cve_id(id->get_string()) || capec_id(id->get_string())) {
      ctx.error(at / "external_id", "schema.external-id",
                "a CVE or CAPEC external_id needs source_name 'cve' or 'capec'");
    }
  } else if (!o.contains("description") && !o.contains("url")) {
    ctx.error(at, "schema.external-reference",
              "an external reference needs an external_id, a description or a url");
  }
}

// ^([a-z0-9_-]{3,249}(\.(\[\d+\]|[a-z0-9_-]{1,250}))*|id)$
bool selector(std::string_view s) {
  if (s == "id") return true;
  auto seg_char = [](char c) { return is_lower_alnum(c) || c == '_' || c == '-'; };
  std::size_t start = 0;
  for (bool first = true;; first = false) {
    const std::size_t dot = s.find('.', start);
    const std::string_view seg = s.substr(start, dot == std::string_view::npos ? dot : dot - start);
    bool ok;
    if (first) {
      ok = seg.size() >= 3 && seg.size() <= 249;
      for (char c : seg) ok = ok && seg_char(c);
    } else if (seg.size() >= 3 && seg.front() == '[' && seg.back() == ']') {
      ok = all_of(seg.substr(1, seg.size() - 2), is_digit);
      if (!ok) {
        ok = true;
        for (char c : seg) ok = ok && seg_char(c);
      }
    } else {
      ok = !seg.empty() && seg.size() <= 250;
      for (char c : seg) ok = ok && seg_char(c);
    }
    if (!ok) return false;
    if (dot == std::string_view::npos) return true;
    start = dot + 1;
  }
}

void selectors(const bj::value& v, const Path& at, Ctx& ctx) {
  if (!v.is_array()) {
    ctx.error(at, "schema.type", "selectors must be a list of strings");
    return;
  }
  const auto& a = v.get_array();
  if (a.empty()) ctx.error(at, "schema.min-items", "list must not be empty");
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (!a[i].is_string()) {
      ctx.error(at / i, "schema.type", "a selector must be a string");
    } else if (!selector(a[i].get_string())) {
      ctx.error(at / i, "schema.selector",
                cat({"'", a[i].get_string(), "' is not a granular marking selector"}));
    }
  }
}

bool is_marking(std::string_view type) { return type == "marking-definition"; }
constexpr RefRule kMarkingRef{is_marking, nullptr, "a marking-definition"};

constexpr Prop kKillChainPhase[] = {
    {"kill_chain_name", string, kRequired},
    {"phase_name", string, kRequired},
};

constexpr Prop kGranularMarking[] = {
    {"selectors", selectors, kRequired},
    {"lang", string},
    {"marking_ref", id_ref<&kMarkingRef>, kRequired},
};

constexpr Prop kExtension[] = {
    {"extension_type", vocab<&kExtensionTypeEnum>, kRequired},
};

template <void (*kItem)(const bj::value&, const Path&, Ctx&)>
void list_of(const bj::value& v, const Path& at, Ctx& ctx, std::string_view what) {
  if (!v.is_array()) {
    ctx.error(at, "schema.type", cat({"value must be a list of ", what}));
    return;
  }
  const auto& a = v.get_array();
  if (a.empty()) ctx.error(at, "schema.min-items", "list must not be empty");
  for (std::size_t i = 0; i < a.size(); ++i) kItem(a[i], at / i, ctx);
}

void kill_chain_phase(const bj::value& v, const Path& at, Ctx& ctx) {
  if (!v.is_object()) {
    ctx.error(at, "schema.type", "a kill chain phase must be an object");
    return;
  }
  check_members(v.get_object(), kKillChainPhase, at, ctx);
}

void granular_marking(const bj::value& v, const Path& at, Ctx& ctx) {
  if (!v.is_object()) {
    ctx.error(at, "schema.type", "a granular marking must be an object");
    return;
  }
  const auto& o = v.get_object();
  check_members(o, kGranularMarking, at, ctx);
  if (o.contains("lang") && o.contains("marking_ref")) {
    ctx.error(at, "spec.granular-marking",
              "a granular marking has a marking_ref or a lang, not both");
  }
}

// ^([a-z][a-z0-9]*)+(-[a-z0-9]+)*\-ext$
bool extension_name(std::string_view key) {
  if (key.size() < 5 || !ends_with(key, "-ext")) return false;
  const std::string_view stem = key.substr(0, key.size() - 4);
  if (stem[0] < 'a' || stem[0] > 'z' || stem.back() == '-') return false;
  for (std::size_t i = 0; i < stem.size(); ++i) {
    if (stem[i] == '-' ? stem[i + 1] == '-' : !is_lower_alnum(stem[i])) return false;
  }
  return true;
}

}  // namespace

bool extension_definition_id(std::string_view key) {
  std::string_view type;
  return parse_identifier(key, &type) && type == "extension-definition";
}

void extension_object(const bj::value& v, const Path& at, Ctx& ctx) {
  if (!v.is_object()) {
    ctx.error(at, "schema.type", "an extension must be an object");
    return;
  }
  if (v.get_object().empty()) {
    ctx.error(at, "schema.min-properties", "an extension must not be empty");
  }
  check_members(v.get_object(), kExtension, at, ctx, Others::kStix);
}

void extensions(const bj::value& v, const Path& at, Ctx& ctx) {
  if (!v.is_object()) {
    ctx.error(at, "schema.type", "extensions must be an object");
    return;
  }
  const auto& o = v.get_object();
  if (o.empty()) ctx.error(at, "schema.min-properties", "extensions must not be empty");
  for (const auto& kv : o) {
    const Path child = at / kv.key();
    if (extension_name(kv.key())) {
      if (!kv.value().is_object()) {
        ctx.error(child, "schema.type", "an extension must be an object");
        continue;
      }
      if (kv.value().get_object().empty()) {
        ctx.error(child, "schema.min-properties", "an extension must not be empty");
      }
      check_members(kv.value().get_object(), {}, child, ctx, Others::kStix);
    } else if (extension_definition_id(kv.key())) {
      extension_object(kv.value(), child, ctx);
    } else {
      ctx.error(child, "schema.extension-name",
                cat({"extension '", kv.key(),
                     "' must be named <name>-ext or by an extension-definition id"}));
    }
  }
}

void hashes(const bj::value& v, const Path& at, Ctx& ctx) { check_hashes(v, at, ctx, false); }

void dictionary(const bj::value& v, const Path& at, Ctx& ctx) {
  if (!v.is_object()) {
    ctx.error(at, "schema.type", "value must be a dictionary (an object)");
    return;
  }
  if (v.get_object().empty()) {
    ctx.error(at, "schema.min-properties", "a dictionary must not be empty");
  }
  check_members(v.get_object(), {}, at, ctx, Others::kDictionary);
}

void kill_chain_phases(const bj::value& v, const Path& at, Ctx& ctx) {
  list_of<kill_chain_phase>(v, at, ctx, "kill chain phases");
}

void external_references(const bj::value& v, const Path& at, Ctx& ctx) {
  list_of<external_reference>(v, at, ctx, "external references");
}

void granular_markings(const bj::value& v, const Path& at, Ctx& ctx) {
  list_of<granular_marking>(v, at, ctx, "granular markings");
}

}  // namespace atio::stix::check
