#include "atio/cti/convert/misp_types.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <chrono>
#include <utility>

#include <boost/json/serialize.hpp>

#include "atio/cti/stix/ids.h"

namespace atio::convert::misp {

namespace {

// MISP hash attribute type -> STIX hashes key. The first eight are the
// STIX hash-algorithm-ov names; the others are the names misp-stix uses.
// sha512/224 and sha512/256 keep their own names (misp-stix folds them into
// SHA-224 / SHA-256, which loses the type on the way back).
constexpr std::array<std::pair<std::string_view, std::string_view>, 21> kHashes = {{
    {"md5", "MD5"},
    {"sha1", "SHA-1"},
    {"sha224", "SHA-224"},
    {"sha256", "SHA-256"},
    {"sha384", "SHA-384"},
    {"sha512", "SHA-512"},
    {"sha3-224", "SHA3-224"},
    {"sha3-256", "SHA3-256"},
    {"sha3-384", "SHA3-384"},
    {"sha3-512", "SHA3-512"},
    {"ssdeep", "SSDEEP"},
    {"tlsh", "TLSH"},
    {"sha512/224", "SHA512-224"},  // a custom key: no '/' allowed (hashes-type schema)
    {"sha512/256", "SHA512-256"},
    {"authentihash", "AUTHENTIHASH"},
    {"imphash", "IMPHASH"},
    {"pehash", "PEHASH"},
    {"telfhash", "TELFHASH"},
    {"vhash", "VHASH"},
    {"impfuzzy", "IMPFUZZY"},
    {"cdhash", "CDHASH"},
}};

// misp-stix's galaxy lists (misp_stix_converter/misp2stix/stix_mapping.py).
struct GalaxyType {
  std::string_view galaxy;
  std::string_view stix;
};
constexpr std::array<GalaxyType, 37> kGalaxies = {{
    {"cmtmf-attack-pattern", "attack-pattern"},
    {"mitre-attack-pattern", "attack-pattern"},
    {"mitre-enterprise-attack-attack-pattern", "attack-pattern"},
    {"mitre-ics-techniques", "attack-pattern"},
    {"mitre-mobile-attack-attack-pattern", "attack-pattern"},
    {"mitre-pre-attack-attack-pattern", "attack-pattern"},
    {"mitre-course-of-action", "course-of-action"},
    {"mitre-enterprise-attack-course-of-action", "course-of-action"},
    {"mitre-mobile-attack-course-of-action", "course-of-action"},
    {"mitre-enterprise-attack-intrusion-set", "intrusion-set"},
    {"mitre-intrusion-set", "intrusion-set"},
    {"mitre-mobile-attack-intrusion-set", "intrusion-set"},
    {"mitre-pre-attack-intrusion-set", "intrusion-set"},
    {"android", "malware"},
    {"backdoor", "malware"},
    {"banker", "malware"},
    {"cryptominers", "malware"},
    {"malpedia", "malware"},
    {"mitre-enterprise-attack-malware", "malware"},
    {"mitre-ics-software", "malware"},
    {"mitre-malware", "malware"},
    {"mitre-mobile-attack-malware", "malware"},
    {"ransomware", "malware"},
    {"stealer", "malware"},
    {"360net-threat-actor", "threat-actor"},
    {"microsoft-activity-group", "threat-actor"},
    {"mitre-ics-groups", "threat-actor"},
    {"threat-actor", "threat-actor"},
    {"botnet", "tool"},
    {"rat", "tool"},
    {"exploit-kit", "tool"},
    {"tds", "tool"},
    {"tool", "tool"},
    {"mitre-tool", "tool"},
    {"mitre-enterprise-attack-tool", "tool"},
    {"mitre-mobile-attack-tool", "tool"},
    {"branded-vulnerability", "vulnerability"},
}};

struct Tlp {
  std::string_view tag;
  std::string_view id;
  std::string_view name;
  std::string_view level;
};
// STIX 2.1 section 7.2.1.4.
constexpr std::array<Tlp, 4> kTlp = {{
    {"tlp:white", "marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9", "TLP:WHITE",
     "white"},
    {"tlp:green", "marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da", "TLP:GREEN",
     "green"},
    {"tlp:amber", "marking-definition--f88d31f6-486f-44da-b317-01333bde0b82", "TLP:AMBER",
     "amber"},
    {"tlp:red", "marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed", "TLP:RED", "red"},
}};

std::string fold(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c == '-' || c == '_' || c == '/') continue;
    out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return out;
}

}  // namespace

std::string relationship_id(std::string_view source, std::string_view type,
                            std::string_view target) {
  std::string name;
  name.reserve(source.size() + type.size() + target.size() + 6);
  name.append(source).append(" - ").append(type).append(" - ").append(target);
  return "relationship--" + stix::uuid_v5(kMispNamespace, name);
}

std::string text(const bj::object& o, std::string_view key) {
  auto it = o.find(key);
  if (it == o.end()) return {};
  const bj::value& v = it->value();
  if (v.is_string()) return std::string(v.get_string());
  if (v.is_int64()) return std::to_string(v.get_int64());
  if (v.is_uint64()) return std::to_string(v.get_uint64());
  if (v.is_double()) return bj::serialize(v);
  return {};
}

bool flag(const bj::object& o, std::string_view key, bool dflt) {
  auto it = o.find(key);
  if (it == o.end() || it->value().is_null()) return dflt;
  const bj::value& v = it->value();
  if (v.is_bool()) return v.get_bool();
  if (v.is_int64()) return v.get_int64() != 0;
  if (v.is_string()) {
    std::string_view s = v.get_string();
    return s == "1" || s == "true" || s == "True";
  }
  return dflt;
}

bool default_to_ids(std::string_view type) {
  static constexpr std::array<std::string_view, 25> kIds = {
      "ip-src",     "ip-dst",         "ip-src|port", "ip-dst|port", "domain",
      "domain|ip",  "hostname",       "hostname|port", "url",       "uri",
      "email-src",  "email-dst",      "email-attachment", "filename", "regkey",
      "regkey|value", "mutex",        "malware-sample", "yara",     "snort",
      "sigma",      "x509-fingerprint-md5", "x509-fingerprint-sha1",
      "x509-fingerprint-sha256", "pattern-in-file"};
  if (std::find(kIds.begin(), kIds.end(), type) != kIds.end()) return true;
  if (!hash_key(type).empty()) return true;                    // md5, sha256, ssdeep, ...
  return type.substr(0, 9) == "filename|" && !hash_key(type.substr(9)).empty();
}

std::optional<stix::TimePoint> epoch(std::string_view seconds) {
  stix::TimePoint t;
  if (seconds.empty() || !stix::parse_epoch_seconds(seconds, &t)) return std::nullopt;
  return t;
}

std::string stix_time(stix::TimePoint t) { return stix::format_time(t); }

std::string stix_time_seconds(stix::TimePoint t) {
  std::string s = stix::format_time(t);
  if (s.size() > 20 && s.compare(s.size() - 5, 5, ".000Z") == 0) s.erase(s.size() - 5, 4);
  return s;
}

std::string epoch_text(std::string_view stix_time) {
  stix::TimePoint t;
  if (!stix::parse_time(stix_time, &t)) return {};
  return std::to_string(
      std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count());
}

std::string datetime_value(std::string_view value) {
  stix::TimePoint t;
  if (!stix::parse_time(value, &t)) return std::string(value);
  return stix_time_seconds(t);
}

std::string_view hash_key(std::string_view misp_type) {
  for (const auto& [type, key] : kHashes) {
    if (type == misp_type) return key;
  }
  return {};
}

std::string_view hash_type(std::string_view stix_key) {
  const std::string k = fold(stix_key);
  for (const auto& [type, key] : kHashes) {
    if (fold(key) == k) return type;
  }
  return {};
}

bool valid_hash(std::string_view key, std::string_view value) {
  auto all = [&](auto pred) {
    return std::all_of(value.begin(), value.end(),
                       [&](char c) { return pred(static_cast<unsigned char>(c)); });
  };
  static constexpr std::array<std::pair<std::string_view, std::size_t>, 12> kHex = {{
      {"MD5", 32}, {"SHA-1", 40}, {"SHA-224", 56}, {"SHA-256", 64}, {"SHA-384", 96},
      {"SHA-512", 128}, {"SHA3-224", 56}, {"SHA3-256", 64}, {"SHA3-384", 96},
      {"SHA3-512", 128}, {"SHA512-224", 56}, {"SHA512-256", 64},
  }};
  for (const auto& [k, n] : kHex) {
    if (k == key) return value.size() == n && all([](unsigned char c) { return std::isxdigit(c); });
  }
  if (key == "SSDEEP") {
    return !value.empty() && value.size() <= 128 && all([](unsigned char c) {
      return std::isalnum(c) || c == '/' || c == '+' || c == ':' || c == '.';
    });
  }
  if (key == "TLSH") return value.size() == 70 && all([](unsigned char c) { return std::isalnum(c); });
  return !value.empty() && all([](unsigned char c) { return c > ' ' && c != 0x7f; });
}

std::string hash_path(std::string_view stix_key) {
  bool plain = std::all_of(stix_key.begin(), stix_key.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
  });
  if (plain) return std::string(stix_key);
  return "'" + std::string(stix_key) + "'";
}

std::string quote(std::string_view value) {
  std::string out;
  out.reserve(value.size() + 2);
  for (char c : value) {
    if (c == '\\' || c == '\'') out += '\\';
    out += c;
  }
  return out;
}

bool split_composite(std::string_view value, std::string* first, std::string* second) {
  auto bar = value.find('|');
  if (bar == std::string_view::npos) return false;
  *first = std::string(value.substr(0, bar));
  *second = std::string(value.substr(bar + 1));
  return true;
}

std::string_view galaxy_stix_type(std::string_view galaxy_type) {
  for (const auto& g : kGalaxies) {
    if (g.galaxy == galaxy_type) return g.stix;
  }
  return {};
}

std::optional<bj::object> tlp_marking(std::string_view tag) {
  const std::string t = fold(tag);
  for (const auto& tlp : kTlp) {
    if (fold(tlp.tag) != t) continue;
    bj::object m;
    m["type"] = "marking-definition";
    m["spec_version"] = "2.1";
    m["id"] = tlp.id;
    m["created"] = "2017-01-20T00:00:00.000Z";
    m["definition_type"] = "tlp";
    m["name"] = tlp.name;
    m["definition"] = bj::object{{"tlp", tlp.level}};
    return m;
  }
  return std::nullopt;
}

std::string_view tlp_tag(std::string_view marking_id) {
  for (const auto& tlp : kTlp) {
    if (tlp.id == marking_id) return tlp.tag;
  }
  return {};
}

std::string_view id_uuid(std::string_view stix_id) {
  auto p = stix_id.find("--");
  return p == std::string_view::npos ? std::string_view{} : stix_id.substr(p + 2);
}

}  // namespace atio::convert::misp
