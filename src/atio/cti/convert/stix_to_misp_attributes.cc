// STIX -> MISP attributes: the value of a misp-stix/atio attribute read back
// from its SCOs (or, for indicator-only types, its pattern), and attributes
// made of foreign SCOs and simple patterns.
#include "atio/core/json.h"
#include "atio/cti/convert/misp_types.h"
#include "atio/cti/convert/stix_misp_reader.h"
#include "atio/cti/convert/stix_pattern_reader.h"
#include "atio/cti/stix/ids.h"

namespace atio::convert::misp {

namespace {

// CVE-YYYY-NNNN...
bool is_cve(std::string_view s) {
  if (s.size() < 13 || s.substr(0, 4) != "CVE-" || s[8] != '-') return false;
  for (std::size_t i = 4; i < s.size(); ++i) {
    if (i != 8 && (s[i] < '0' || s[i] > '9')) return false;
  }
  return true;
}

// What MISP accepts as a domain: [A-Z0-9.-_]+ then a dot and a label of two
// or more [A-Z0-9-].
bool is_misp_domain(std::string_view s) {
  const auto dot = s.rfind('.');
  if (dot == std::string_view::npos || dot == 0 || s.size() - dot - 1 < 2) return false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    const bool alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    if (alnum || c == '-' || (i < dot && (c == '.' || c == '_')) || i == dot) continue;
    return false;
  }
  return true;
}

}  // namespace

namespace {

using Scos = std::vector<const bj::object*>;

const bj::object* first(const Scos& scos, std::string_view type) {
  for (const bj::object* s : scos) {
    if (text(*s, "type") == type) return s;
  }
  return nullptr;
}

std::string prop(const bj::object* o, std::string_view key) {
  return o == nullptr ? std::string() : text(*o, key);
}

std::string hash(const bj::object* o, std::string_view key) {
  if (o == nullptr) return {};
  const bj::object* h = json::get_object(*o, "hashes");
  return h == nullptr ? std::string() : text(*h, key);
}

const bj::object* ip_of(const Scos& scos) {
  const bj::object* ip = first(scos, "ipv4-addr");
  return ip != nullptr ? ip : first(scos, "ipv6-addr");
}

std::string join(const std::string& a, const std::string& b) {
  return b.empty() ? a : a + "|" + b;
}

// The value of a MISP attribute of `type` from the SCOs misp-stix made of it
// (the inverse of misp_to_stix_attributes.cc). Empty when they do not hold it.
std::string value_from_scos(std::string_view type, const Scos& scos, std::string* data) {
  const bj::object* file = first(scos, "file");
  const bj::object* art = first(scos, "artifact");
  const bj::object* msg = first(scos, "email-message");
  const bj::object* nt = first(scos, "network-traffic");
  if (art != nullptr) *data = prop(art, "payload_bin");
  if (type == "AS") {
    const bj::object* as = first(scos, "autonomous-system");
    return as == nullptr ? "" : "AS" + text(*as, "number");
  }
  if (type == "domain" || type == "hostname") return prop(first(scos, "domain-name"), "value");
  if (type == "domain|ip") return join(prop(first(scos, "domain-name"), "value"), prop(ip_of(scos), "value"));
  if (type == "hostname|port") {
    return join(prop(first(scos, "domain-name"), "value"), prop(nt, "dst_port"));
  }
  if (type == "ip-src" || type == "ip-dst") return prop(ip_of(scos), "value");
  if (type == "ip-src|port") return join(prop(ip_of(scos), "value"), prop(nt, "src_port"));
  if (type == "ip-dst|port") return join(prop(ip_of(scos), "value"), prop(nt, "dst_port"));
  if (type == "url" || type == "uri" || type == "link") return prop(first(scos, "url"), "value");
  if (type == "email" || type == "email-src" || type == "email-dst") {
    return prop(first(scos, "email-addr"), "value");
  }
  if (type == "email-subject") return prop(msg, "subject");
  if (type == "email-body") return prop(msg, "body");
  if (type == "email-message-id") return prop(msg, "message_id");
  if (type == "email-header" && msg != nullptr) {
    const bj::array* lines = json::get_array(*msg, "received_lines");
    return lines && !lines->empty() && lines->front().is_string()
               ? std::string(lines->front().get_string())
               : "";
  }
  if ((type == "email-reply-to" || type == "email-x-mailer") && msg != nullptr) {
    const bj::object* h = json::get_object(*msg, "additional_header_fields");
    return h == nullptr ? "" : text(*h, type == "email-reply-to" ? "Reply-To" : "X-Mailer");
  }
  if (type == "email-attachment" || type == "filename" || type == "attachment") {
    return prop(file, "name");
  }
  if (!hash_key(type).empty()) return hash(file, hash_key(type));
  if (type == "malware-sample") return join(prop(file, "name"), hash(file, "MD5"));
  if (type.substr(0, 9) == "filename|") {
    return join(prop(file, "name"), hash(file, hash_key(type.substr(9))));
  }
  if (type == "mac-address") return prop(first(scos, "mac-addr"), "value");
  if (type == "mutex") return prop(first(scos, "mutex"), "name");
  if (type == "regkey" || type == "regkey|value") {
    const bj::object* k = first(scos, "windows-registry-key");
    std::string key = prop(k, "key");
    if (type == "regkey" || k == nullptr) return key;
    const bj::array* values = json::get_array(*k, "values");
    if (values == nullptr || values->empty() || !values->front().is_object()) return key;
    return key + "|" + text(values->front().get_object(), "data");
  }
  if (type.substr(0, 17) == "x509-fingerprint-") {
    return hash(first(scos, "x509-certificate"), hash_key(type.substr(17)));
  }
  if (type == "github-username") return prop(first(scos, "user-account"), "account_login");
  return {};
}

// The MISP type of one comparison of a foreign pattern; empty to skip it.
std::string type_of(const Comparison& c) {
  const std::string& t = c.object_type;
  const std::string& p = c.path;
  if ((t == "ipv4-addr" || t == "ipv6-addr") && p == "value") return "ip-dst";
  if (t == "network-traffic" && p == "dst_ref.value") return "ip-dst";
  if (t == "network-traffic" && p == "src_ref.value") return "ip-src";
  if (t == "domain-name" && p == "value") return "domain";
  if (t == "url" && p == "value") return "url";
  if (t == "email-addr" && p == "value") return "email-src";
  if (t == "email-message" && p == "from_ref.value") return "email-src";
  if (t == "email-message" && p == "to_refs[*].value") return "email-dst";
  if (t == "email-message" && p == "subject") return "email-subject";
  if (t == "mutex" && p == "name") return "mutex";
  if (t == "mac-addr" && p == "value") return "mac-address";
  if (t == "autonomous-system" && p == "number") return "AS";
  if (t == "windows-registry-key" && p == "key") return "regkey";
  if (t == "file" && p == "name") return "filename";
  if ((t == "file" || t == "artifact") && p.rfind("hashes.", 0) == 0) {
    return std::string(hash_type(p.substr(7)));
  }
  if (t == "x509-certificate" && p.rfind("hashes.", 0) == 0) {
    std::string h(hash_type(p.substr(7)));
    return h.empty() ? h : "x509-fingerprint-" + h;
  }
  return {};
}

}  // namespace

std::vector<const bj::object*> EventReader::scos_of(const bj::object& observed) const {
  std::vector<const bj::object*> out;
  if (const bj::array* refs = json::get_array(observed, "object_refs")) {
    for (const auto& r : *refs) {
      if (!r.is_string()) continue;
      if (const bj::object* o = get(r.get_string())) out.push_back(o);
    }
  }
  return out;
}

void EventReader::labelled_attribute(std::string_view type, const bj::object* observed,
                                     const bj::object* indicator) {
  const bj::object& base = observed != nullptr ? *observed : *indicator;
  std::string value, data;
  if (observed != nullptr) value = value_from_scos(type, scos_of(*observed), &data);
  if (value.empty() && indicator != nullptr) {
    const std::string pattern = text(*indicator, "pattern");
    if (text(*indicator, "pattern_type") != "stix") {
      value = pattern;  // yara, snort, sigma, suricata: the rule itself
    } else if (auto cmps = read_simple_pattern(pattern); cmps && !cmps->empty()) {
      value = cmps->back().value;  // indicator-only types hold one value
    } else {
      value = pattern;
    }
  }
  bj::object a = attribute_base(base, type, std::move(value));
  if (!data.empty()) a["data"] = data;
  if (indicator != nullptr) {
    a["to_ids"] = true;
    a["comment"] = text(*indicator, "description");
  }
  remember(a, {observed, indicator});
  attributes_.emplace_back(std::move(a));
}

void EventReader::foreign_observed(const bj::object& observed) {
  const auto scos = scos_of(observed);
  std::set<std::string> source_ips;
  for (const bj::object* s : scos) {
    if (text(*s, "type") == "network-traffic") source_ips.insert(text(*s, "src_ref"));
  }
  int n = 0;
  auto emit = [&](const bj::object& sco, std::string type, std::string value) {
    if (value.empty()) return;
    bj::object a = attribute_base(observed, type, std::move(value));
    // One observation may hold several values: each gets its own uuid.
    if (n++ > 0) a["uuid"] = stix::uuid_v5(kMispNamespace, text(observed, "id") + text(sco, "id") + type);
    remember(a, {&observed});
    attributes_.emplace_back(std::move(a));
  };
  for (const bj::object* s : scos) {
    const std::string t = text(*s, "type");
    if (t == "ipv4-addr" || t == "ipv6-addr") {
      emit(*s, source_ips.count(text(*s, "id")) ? "ip-src" : "ip-dst", text(*s, "value"));
    } else if (t == "domain-name") {
      // MISP's domain holds a dotted name; anything else (a bare host name)
      // is kept as text.
      const std::string value = text(*s, "value");
      emit(*s, is_misp_domain(value) ? "domain" : "text", value);
    } else if (t == "url") {
      emit(*s, "url", text(*s, "value"));
    } else if (t == "email-addr") {
      emit(*s, "email-src", text(*s, "value"));
    } else if (t == "mac-addr") {
      emit(*s, "mac-address", text(*s, "value"));
    } else if (t == "mutex") {
      emit(*s, "mutex", text(*s, "name"));
    } else if (t == "autonomous-system") {
      emit(*s, "AS", "AS" + text(*s, "number"));
    } else if (t == "windows-registry-key") {
      emit(*s, "regkey", text(*s, "key"));
    } else if (t == "email-message") {
      emit(*s, "email-subject", text(*s, "subject"));
    } else if (t == "file" || t == "x509-certificate") {
      if (t == "file") emit(*s, "filename", text(*s, "name"));
      if (const bj::object* h = json::get_object(*s, "hashes")) {
        for (const auto& kv : *h) {
          std::string ht(hash_type(kv.key()));
          if (ht.empty() || !kv.value().is_string()) continue;
          emit(*s, t == "file" ? ht : "x509-fingerprint-" + ht, std::string(kv.value().get_string()));
        }
      }
    }
  }
}

void EventReader::foreign_indicator(const bj::object& indicator) {
  const std::string pattern = text(indicator, "pattern");
  const std::string lang = text(indicator, "pattern_type");
  auto keep_whole = [&](std::string type) {
    bj::object a = attribute_base(indicator, type, pattern);
    a["to_ids"] = true;
    remember(a, {&indicator});
    attributes_.emplace_back(std::move(a));
  };
  if (lang == "yara" || lang == "snort" || lang == "sigma" || lang == "suricata") {
    return keep_whole(lang);
  }
  auto cmps = read_simple_pattern(pattern);
  int n = 0;
  if (lang == "stix" && cmps) {
    for (const Comparison& c : *cmps) {
      std::string type = type_of(c);
      if (type.empty()) continue;
      bj::object a = attribute_base(indicator, type, type == "AS" ? "AS" + c.value : c.value);
      if (n++ > 0) {
        a["uuid"] = stix::uuid_v5(kMispNamespace, text(indicator, "id") + c.path + c.value);
      }
      a["to_ids"] = true;
      remember(a, {&indicator});
      attributes_.emplace_back(std::move(a));
    }
  }
  if (n == 0) keep_whole("stix2-pattern");  // MISP's type for a whole STIX pattern
}

// MISP's vulnerability type holds a CVE id: one attribute per CVE the object
// names; a vulnerability without one (a scanner finding) becomes text.
void EventReader::vulnerability(const bj::object& v) {
  std::vector<std::string> cves;
  if (const bj::array* refs = json::get_array(v, "external_references")) {
    for (const auto& r : *refs) {
      if (r.is_object() && text(r.get_object(), "source_name") == "cve") {
        cves.push_back(text(r.get_object(), "external_id"));
      }
    }
  }
  if (cves.empty() && is_cve(text(v, "name"))) cves.push_back(text(v, "name"));
  if (cves.empty()) {
    bj::object a = attribute_base(v, "text", text(v, "name"));
    a["category"] = "External analysis";
    remember(a, {&v});
    attributes_.emplace_back(std::move(a));
    return;
  }
  for (std::size_t i = 0; i < cves.size(); ++i) {
    bj::object a = attribute_base(v, "vulnerability", cves[i]);
    a["category"] = "External analysis";
    if (i > 0) a["uuid"] = stix::uuid_v5(kMispNamespace, text(v, "id") + cves[i]);
    remember(a, {&v});
    attributes_.emplace_back(std::move(a));
  }
}

}  // namespace atio::convert::misp
