// MISP attributes -> STIX: observed-data with its SCOs for every attribute
// that is an observable, plus an indicator (and a based-on relationship)
// when to_ids is set; SDOs for vulnerability and campaign-name; indicators in
// their own pattern language for yara/snort/sigma/suricata; x-misp-attribute
// for everything else.
#include <algorithm>
#include <cctype>

#include "atio/core/json.h"
#include "atio/cti/convert/misp_stix_writer.h"
#include "atio/cti/convert/misp_types.h"
#include "atio/cti/stix/ids.h"

namespace atio::convert::misp {

namespace {

struct Observable {
  std::vector<bj::object> scos;     // in object_refs order
  std::vector<std::string> pattern;  // comparisons, joined with AND
};

bj::object sco(std::string_view type, std::string_view uuid) {
  bj::object o;
  o["type"] = type;
  o["spec_version"] = "2.1";
  o["id"] = std::string(type) + "--" + std::string(uuid);
  return o;
}

std::string ip_type(std::string_view ip) {
  return ip.find(':') != std::string_view::npos ? "ipv6-addr" : "ipv4-addr";
}

bool port_number(std::string_view s, std::int64_t* out) {
  if (s.empty() || s.size() > 5) return false;
  std::int64_t n = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
    n = n * 10 + (c - '0');
  }
  if (n > 65535) return false;
  *out = n;
  return true;
}

std::string cmp(std::string_view path, std::string_view value) {
  return std::string(path) + " = '" + quote(value) + "'";
}

// The value of an attribute that may carry its payload in "data".
std::string data_of(const bj::object& a) { return text(a, "data"); }

// Builds the SCOs and the pattern of an observable attribute. False when the
// value does not fit the type; the caller keeps it as a custom object then.
bool observable(const bj::object& a, std::string_view type, const std::string& value,
                std::string_view uuid, Observable* out) {
  auto& scos = out->scos;
  auto& pat = out->pattern;
  std::string first, second;
  if (type == "AS") {
    std::string digits;
    for (char c : value) {
      if (std::isdigit(static_cast<unsigned char>(c))) digits += c;
    }
    if (digits.empty() || digits.size() > 10) return false;
    bj::object as = sco("autonomous-system", uuid);
    as["number"] = std::stoll(digits);
    scos.push_back(std::move(as));
    pat.push_back(cmp("autonomous-system:number", digits));
  } else if (type == "domain" || type == "hostname") {
    bj::object d = sco("domain-name", uuid);
    d["value"] = value;
    scos.push_back(std::move(d));
    pat.push_back(cmp("domain-name:value", value));
  } else if (type == "domain|ip") {
    if (!split_composite(value, &first, &second)) return false;
    bj::object d = sco("domain-name", uuid), ip = sco(ip_type(second), uuid);
    ip["value"] = second;
    d["value"] = first;
    d["resolves_to_refs"] = bj::array{ip.at("id")};
    scos.push_back(std::move(d));
    scos.push_back(std::move(ip));
    pat.push_back(cmp("domain-name:value", first));
    pat.push_back(cmp("domain-name:resolves_to_refs[*].value", second));
  } else if (type == "hostname|port") {
    std::int64_t port;
    if (!split_composite(value, &first, &second) || !port_number(second, &port)) return false;
    bj::object d = sco("domain-name", uuid), nt = sco("network-traffic", uuid);
    d["value"] = first;
    nt["dst_ref"] = d.at("id");
    nt["dst_port"] = port;
    nt["protocols"] = bj::array{"tcp"};
    scos.push_back(std::move(d));
    scos.push_back(std::move(nt));
    // misp-stix ANDs domain-name and network-traffic comparisons, which STIX
    // forbids (one SCO type per AND); the traffic's destination says the same.
    pat.push_back(cmp("network-traffic:dst_ref.type", "domain-name"));
    pat.push_back(cmp("network-traffic:dst_ref.value", first));
    pat.push_back(cmp("network-traffic:dst_port", second));
  } else if (type == "ip-src" || type == "ip-dst" || type == "ip-src|port" ||
             type == "ip-dst|port") {
    const std::string side = type.substr(3, 3) == "src" ? "src" : "dst";
    std::int64_t port = -1;
    if (type.size() > 6) {
      if (!split_composite(value, &first, &second) || !port_number(second, &port)) return false;
    } else {
      first = value;
    }
    bj::object nt = sco("network-traffic", uuid), ip = sco(ip_type(first), uuid);
    ip["value"] = first;
    nt[side + "_ref"] = ip.at("id");
    if (port >= 0) nt[side + "_port"] = port;
    nt["protocols"] = bj::array{"tcp"};
    pat.push_back(cmp("network-traffic:" + side + "_ref.type", ip_type(first)));
    pat.push_back(cmp("network-traffic:" + side + "_ref.value", first));
    if (port >= 0) pat.push_back(cmp("network-traffic:" + side + "_port", second));
    scos.push_back(std::move(nt));
    scos.push_back(std::move(ip));
  } else if (type == "url" || type == "uri" || type == "link") {
    bj::object u = sco("url", uuid);
    u["value"] = value;
    scos.push_back(std::move(u));
    pat.push_back(cmp("url:value", value));
  } else if (type == "email" || type == "email-src" || type == "email-dst") {
    bj::object addr = sco("email-addr", uuid);
    addr["value"] = value;
    if (type == "email") {
      pat.push_back(cmp("email-addr:value", value));
    } else {
      bj::object m = sco("email-message", uuid);
      m["is_multipart"] = false;
      if (type == "email-src") {
        m["from_ref"] = addr.at("id");
        pat.push_back(cmp("email-message:from_ref.value", value));
      } else {
        m["to_refs"] = bj::array{addr.at("id")};
        pat.push_back(cmp("email-message:to_refs[*].value", value));
      }
      scos.push_back(std::move(m));
    }
    scos.push_back(std::move(addr));
  } else if (type == "email-subject" || type == "email-body" || type == "email-message-id" ||
             type == "email-header" || type == "email-reply-to" || type == "email-x-mailer") {
    bj::object m = sco("email-message", uuid);
    m["is_multipart"] = false;
    if (type == "email-subject") {
      m["subject"] = value;
      pat.push_back(cmp("email-message:subject", value));
    } else if (type == "email-body") {
      m["body"] = value;
      pat.push_back(cmp("email-message:body", value));
    } else if (type == "email-message-id") {
      m["message_id"] = value;
      pat.push_back(cmp("email-message:message_id", value));
    } else if (type == "email-header") {
      m["received_lines"] = bj::array{bj::string(value)};
      pat.push_back(cmp("email-message:received_lines[*]", value));
    } else {
      const char* header = type == "email-reply-to" ? "Reply-To" : "X-Mailer";
      m["additional_header_fields"] = bj::object{{header, value}};
      pat.push_back(cmp(std::string("email-message:additional_header_fields.'") + header + "'",
                        value));
    }
    scos.push_back(std::move(m));
  } else if (type == "email-attachment") {
    bj::object m = sco("email-message", uuid), f = sco("file", uuid);
    f["name"] = value;
    m["is_multipart"] = true;
    m["body_multipart"] = bj::array{bj::object{
        {"body_raw_ref", f.at("id")},
        {"content_disposition", "attachment; filename='" + value + "'"}}};
    scos.push_back(std::move(m));
    scos.push_back(std::move(f));
    pat.push_back(cmp("email-message:body_multipart[*].body_raw_ref.name", value));
  } else if (type == "filename") {
    bj::object f = sco("file", uuid);
    f["name"] = value;
    scos.push_back(std::move(f));
    pat.push_back(cmp("file:name", value));
  } else if (!hash_key(type).empty()) {
    if (!valid_hash(hash_key(type), value)) return false;
    bj::object f = sco("file", uuid);
    f["hashes"] = bj::object{{hash_key(type), value}};
    scos.push_back(std::move(f));
    pat.push_back(cmp("file:hashes." + hash_path(hash_key(type)), value));
  } else if (type.substr(0, 9) == "filename|" || type == "malware-sample" ||
             type == "attachment") {
    std::string_view hash = type == "malware-sample" ? "MD5" : hash_key(type.substr(9));
    const std::string data = data_of(a);
    bj::object f = sco("file", uuid);
    if (type == "attachment") {
      first = value;
    } else if (hash.empty() || !split_composite(value, &first, &second) ||
               !valid_hash(hash, second)) {
      return false;
    } else {
      f["hashes"] = bj::object{{hash, second}};
    }
    f["name"] = first;
    // misp-stix's order: a sample's payload first, an attachment's last.
    if (!data.empty() && type == "malware-sample") {
      pat.push_back(cmp("file:content_ref.payload_bin", data));
    }
    pat.push_back(cmp("file:name", first));
    if (!second.empty()) pat.push_back(cmp("file:hashes." + hash_path(hash), second));
    if (!data.empty()) {
      bj::object art = sco("artifact", uuid);
      art["payload_bin"] = data;
      if (type == "malware-sample") {
        // MISP stores samples zipped with the password "infected".
        art["mime_type"] = "application/zip";
        art["encryption_algorithm"] = "mime-type-indicated";
        art["decryption_key"] = "infected";
        pat.push_back(cmp("file:content_ref.mime_type", "application/zip"));
        pat.push_back(cmp("file:content_ref.encryption_algorithm", "mime-type-indicated"));
        pat.push_back(cmp("file:content_ref.decryption_key", "infected"));
      } else {
        pat.push_back(cmp("file:content_ref.payload_bin", data));
      }
      f["content_ref"] = art.at("id");
      scos.push_back(std::move(f));
      scos.push_back(std::move(art));
    } else {
      scos.push_back(std::move(f));
    }
  } else if (type == "mac-address") {
    bj::object m = sco("mac-addr", uuid);
    m["value"] = value;
    scos.push_back(std::move(m));
    pat.push_back(cmp("mac-addr:value", value));
  } else if (type == "mutex") {
    bj::object m = sco("mutex", uuid);
    m["name"] = value;
    scos.push_back(std::move(m));
    pat.push_back(cmp("mutex:name", value));
  } else if (type == "regkey" || type == "regkey|value") {
    bj::object k = sco("windows-registry-key", uuid);
    if (type == "regkey") {
      first = value;
    } else if (!split_composite(value, &first, &second)) {
      return false;
    }
    k["key"] = first;
    pat.push_back(cmp("windows-registry-key:key", first));
    if (type == "regkey|value") {
      k["values"] = bj::array{bj::object{{"data", second}}};
      pat.push_back(cmp("windows-registry-key:values[*].data", second));
    }
    scos.push_back(std::move(k));
  } else if (type.substr(0, 17) == "x509-fingerprint-") {
    std::string_view key = hash_key(type.substr(17));
    if (key.empty() || !valid_hash(key, value)) return false;
    bj::object x = sco("x509-certificate", uuid);
    x["hashes"] = bj::object{{key, value}};
    scos.push_back(std::move(x));
    pat.push_back(cmp("x509-certificate:hashes." + hash_path(key), value));
  } else if (type == "github-username") {
    bj::object u = sco("user-account", uuid);
    u["account_login"] = value;
    u["account_type"] = "github";
    scos.push_back(std::move(u));
    pat.push_back(cmp("user-account:account_type", "github"));
    pat.push_back(cmp("user-account:account_login", value));
  } else {
    return false;
  }
  return true;
}

// Types misp-stix makes only an indicator of (to_ids) or a custom object.
std::string indicator_only_pattern(std::string_view type, const std::string& value) {
  if (type == "http-method") {
    return cmp("network-traffic:extensions.'http-request-ext'.request_method", value);
  }
  if (type == "user-agent") {
    return cmp("network-traffic:extensions.'http-request-ext'.request_header.'User-Agent'",
               value);
  }
  if (type == "port") return cmp("network-traffic:dst_port", value);
  if (type == "size-in-bytes") return cmp("file:size", value);
  return {};
}

bool is_pattern_language(std::string_view type) {
  return type == "yara" || type == "snort" || type == "sigma" || type == "suricata";
}

std::string join_and(const std::vector<std::string>& parts) {
  std::string p = "[";
  for (std::size_t i = 0; i < parts.size(); ++i) {
    if (i > 0) p += " AND ";
    p += parts[i];
  }
  return p + "]";
}

}  // namespace

std::string attribute_uuid(const bj::object& a) {
  std::string uuid = text(a, "uuid");
  if (!uuid.empty()) return uuid;
  // Deterministic, so converting the same data twice gives the same ids.
  return stix::uuid_v5(kMispNamespace,
                       text(a, "type") + "|" + text(a, "category") + "|" + text(a, "value"));
}

bj::object StixWriter::observed_data(const bj::object& misp, const bj::array& labels,
                                     const std::vector<std::string>& refs) {
  const std::string ts = timestamp_of(misp);
  bj::object o = sdo("observed-data", attribute_uuid(misp), ts);
  stix::TimePoint t;
  std::string first = text(misp, "first_seen"), last = text(misp, "last_seen");
  stix::parse_time(ts, &t);
  const std::string at = stix_time_seconds(t);
  o["first_observed"] = stix::parse_time(first, &t) ? stix_time_seconds(t) : at;
  o["last_observed"] = stix::parse_time(last, &t) ? stix_time_seconds(t) : at;
  o["number_observed"] = 1;
  bj::array r;
  for (const auto& id : refs) r.emplace_back(id);
  o["object_refs"] = std::move(r);
  o["labels"] = labels;
  return o;
}

bj::object StixWriter::indicator(const bj::object& misp, const bj::array& labels,
                                 std::string pattern, std::string_view pattern_type,
                                 std::string_view kill_chain_phase) {
  const std::string ts = timestamp_of(misp);
  bj::object o = sdo("indicator", attribute_uuid(misp), ts);
  if (std::string c = text(misp, "comment"); !c.empty()) o["description"] = c;
  o["pattern"] = std::move(pattern);
  o["pattern_type"] = pattern_type;
  o["pattern_version"] = "2.1";
  stix::TimePoint at, t;
  stix::parse_time(ts, &at);
  std::string first = text(misp, "first_seen"), last = text(misp, "last_seen");
  o["valid_from"] = stix_time_seconds(stix::parse_time(first, &t) ? t : at);
  if (stix::parse_time(last, &t)) o["valid_until"] = stix_time_seconds(t);
  if (!kill_chain_phase.empty()) {
    o["kill_chain_phases"] = bj::array{
        bj::object{{"kill_chain_name", "misp-category"}, {"phase_name", kill_chain_phase}}};
  }
  o["labels"] = labels;
  return o;
}

bj::object StixWriter::based_on(const bj::object& ind, const bj::object& observed) {
  bj::object r;
  r["type"] = "relationship";
  r["spec_version"] = "2.1";
  std::string source(ind.at("id").as_string()), target(observed.at("id").as_string());
  r["id"] = relationship_id(source, "based-on", target);
  r["created"] = ind.at("modified");
  r["modified"] = ind.at("modified");
  r["relationship_type"] = "based-on";
  r["source_ref"] = source;
  r["target_ref"] = target;
  return r;
}

void StixWriter::note_ids(const bj::object& a, const std::vector<std::string>& ids) {
  auto& v = attribute_ids_[attribute_uuid(a)];
  v.insert(v.end(), ids.begin(), ids.end());
}

void StixWriter::custom_attribute(const bj::object& a) {
  const std::string ts = timestamp_of(a);
  bj::object o = sdo("x-misp-attribute", attribute_uuid(a), ts);
  o["labels"] = attribute_labels(a);
  o["x_misp_type"] = text(a, "type");
  o["x_misp_value"] = text(a, "value");
  if (std::string c = text(a, "category"); !c.empty()) o["x_misp_category"] = c;
  if (std::string c = text(a, "comment"); !c.empty()) o["x_misp_comment"] = c;
  if (std::string d = text(a, "data"); !d.empty()) o["x_misp_data"] = d;
  if (a.contains("to_ids")) o["x_misp_to_ids"] = flag(a, "to_ids");
  std::set<std::string> galaxy_tags;
  attribute_galaxies(a, o, &galaxy_tags);
  apply_tags(a, &o, galaxy_tags);
  std::string id(o.at("id").as_string());
  add(std::move(o));
  note_ids(a, {id});
  if (const bj::array* s = json::get_array(a, "Sighting")) sightings(*s, {id});
}

void StixWriter::attribute(const bj::object& a) {
  const std::string type = text(a, "type");
  if (type.empty() || !a.contains("value")) {
    problems_.push_back("attribute " + text(a, "uuid") + ": no type or value");
    return;
  }
  const std::string value = text(a, "value"), uuid = attribute_uuid(a);
  const std::string category = text(a, "category");
  const bool to_ids = flag(a, "to_ids", default_to_ids(type));
  const bj::array labels = attribute_labels(a);
  std::set<std::string> galaxy_tags;
  std::vector<std::string> ids;

  auto finish = [&](bj::object o) {  // markings, galaxies, then emit
    attribute_galaxies(a, o, &galaxy_tags);
    apply_tags(a, &o, galaxy_tags);
    ids.emplace_back(o.at("id").as_string());
    add(std::move(o));
  };

  if (type == "vulnerability" || type == "campaign-name") {
    const bool vuln = type == "vulnerability";
    bj::object o = sdo(vuln ? "vulnerability" : "campaign", uuid, timestamp_of(a));
    o["name"] = value;
    if (std::string c = text(a, "comment"); !c.empty()) o["description"] = c;
    o["labels"] = labels;
    if (vuln) {
      const bool cve = value.size() > 4 && (value.compare(0, 4, "CVE-") == 0 ||
                                            value.compare(0, 4, "cve-") == 0);
      o["external_references"] =
          bj::array{bj::object{{"source_name", cve ? "cve" : "vulnerability"},
                               {"external_id", value}}};
    }
    finish(std::move(o));
  } else if (is_pattern_language(type)) {
    finish(indicator(a, labels, value, type, category));
  } else if (std::string p = indicator_only_pattern(type, value); !p.empty()) {
    if (!to_ids) return custom_attribute(a);
    finish(indicator(a, labels, "[" + p + "]", "stix", category));
  } else {
    Observable obs;
    if (!observable(a, type, value, uuid, &obs)) return custom_attribute(a);
    std::vector<std::string> refs;
    for (const auto& s : obs.scos) refs.emplace_back(s.at("id").as_string());
    bj::object od = observed_data(a, labels, refs);
    bj::object ind;
    if (to_ids) ind = indicator(a, labels, join_and(obs.pattern), "stix", category);
    // Galaxies hang on the indicator when there is one (misp-stix does the same).
    bj::object& galaxy_holder = to_ids ? ind : od;
    attribute_galaxies(a, galaxy_holder, &galaxy_tags);
    apply_tags(a, &od, galaxy_tags);
    ids.emplace_back(od.at("id").as_string());
    bj::object rel;
    if (to_ids) {
      apply_tags(a, &ind, galaxy_tags);
      ids.emplace_back(ind.at("id").as_string());
      rel = based_on(ind, od);
    }
    // misp-stix's order: observed-data, SCOs, indicator, relationship.
    add(std::move(od));
    for (auto& s : obs.scos) add(std::move(s));
    if (to_ids) {
      add(std::move(ind));
      add(std::move(rel));
    }
  }
  note_ids(a, ids);
  if (const bj::array* s = json::get_array(a, "Sighting")) sightings(*s, ids);
}

}  // namespace atio::convert::misp
