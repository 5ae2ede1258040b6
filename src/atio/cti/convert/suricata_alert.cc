#include "atio/cti/convert/suricata_alert.h"

#include <boost/json/array.hpp>

#include <algorithm>
#include <cctype>

#include "atio/core/text.h"
#include "atio/cti/convert/suricata.h"
#include "atio/cti/stix/object.h"
#include "atio/cti/stix/pattern_ip.h"
#include "atio/cti/stix/time.h"

namespace atio::convert::suricata {

namespace {

std::string_view str(const bj::object& o, std::string_view key) {
  auto it = o.find(key);
  if (it == o.end() || !it->value().is_string()) return {};
  return it->value().get_string();
}

const bj::object* obj(const bj::object& o, std::string_view key) {
  auto it = o.find(key);
  if (it == o.end() || !it->value().is_object()) return nullptr;
  return &it->value().get_object();
}

// A port or other small non-negative integer; -1 when absent or not one.
std::int64_t integer(const bj::object& o, std::string_view key) {
  auto it = o.find(key);
  if (it == o.end()) return -1;
  if (it->value().is_int64()) return it->value().get_int64();
  if (it->value().is_uint64()) {
    const std::uint64_t u = it->value().get_uint64();
    return u <= static_cast<std::uint64_t>(INT64_MAX) ? static_cast<std::int64_t>(u) : -1;
  }
  return -1;
}

// A context member from the alert itself, else from its flow's context.
const bj::object* context_member(const bj::object& record, const FlowContext* context,
                                 std::string_view key) {
  if (const auto* m = obj(record, key)) return m;
  if (context == nullptr) return nullptr;
  return obj(context->members, key);
}

bool is_hex_of_length(std::string_view s, std::size_t n) {
  if (s.size() != n) return false;
  return std::all_of(s.begin(), s.end(), [](char c) { return std::isxdigit(static_cast<unsigned char>(c)); });
}

// The first string of a metadata entry (EVE writes every rule metadata value
// as an array of strings).
std::string_view metadata_value(const bj::object* metadata, std::string_view key) {
  if (metadata == nullptr) return {};
  auto it = metadata->find(key);
  if (it == metadata->end()) return {};
  if (it->value().is_string()) return it->value().get_string();
  if (it->value().is_array() && !it->value().get_array().empty() &&
      it->value().get_array()[0].is_string()) {
    return it->value().get_array()[0].get_string();
  }
  return {};
}

// Adds an SCO unless the bundle has it already (same deterministic id);
// returns its id.
std::string add_sco(std::string_view type, bj::object sco, bj::array* objects) {
  std::string id = stix::finish_sco(type, &sco);
  for (const auto& o : *objects) {
    if (stix::id_of(o.get_object()) == id) return id;
  }
  objects->emplace_back(std::move(sco));
  return id;
}

// Adds an ipv4-addr or ipv6-addr SCO for `ip`; returns its id.
std::string add_address(std::string_view ip, bj::array* objects) {
  const bool v6 = ip.find(':') != std::string_view::npos;
  const char* type = v6 ? "ipv6-addr" : "ipv4-addr";
  bj::object sco = stix::new_sco(type, objects->storage());
  sco.emplace("value", ip);
  return add_sco(type, std::move(sco), objects);
}

// Appends `id` to `refs` unless it is there already.
void add_ref(const std::string& id, bj::array* refs) {
  for (const auto& r : *refs) {
    if (r.get_string() == id) return;
  }
  refs->emplace_back(id);
}

// Adds each value of a metadata list as an ATT&CK external reference.
void add_mitre(const bj::object* metadata, bj::array* refs, bj::array* phases) {
  const bj::storage_ptr& sp = refs->storage();
  if (metadata == nullptr) return;
  if (auto it = metadata->find("mitre_technique_id"); it != metadata->end() && it->value().is_array()) {
    for (const auto& v : it->value().get_array()) {
      if (!v.is_string()) continue;
      std::string_view id = v.get_string();
      std::string path(id);
      std::replace(path.begin(), path.end(), '.', '/');
      refs->emplace_back(stix::external_reference(
          "mitre-attack", id, "https://attack.mitre.org/techniques/" + path + "/", sp));
    }
  }
  if (auto it = metadata->find("mitre_tactic_name"); it != metadata->end() && it->value().is_array()) {
    for (const auto& v : it->value().get_array()) {
      if (!v.is_string()) continue;
      std::string phase = ascii_lower(v.get_string());
      std::replace(phase.begin(), phase.end(), '_', '-');
      std::replace(phase.begin(), phase.end(), ' ', '-');
      phases->emplace_back(
          bj::object({{"kill_chain_name", "mitre-attack"}, {"phase_name", phase}}, sp));
    }
  }
}

// The http-request-ext of network-traffic from EVE's http object.
bj::object http_extension(const bj::object& http, const bj::storage_ptr& sp) {
  bj::object ext(sp);
  std::string_view method = str(http, "http_method");
  std::string_view url = str(http, "url");
  ext.emplace("request_method", method.empty() ? std::string("get") : ascii_lower(method));
  ext.emplace("request_value", url.empty() ? std::string_view("/") : url);
  if (auto version = str(http, "protocol"); !version.empty()) ext.emplace("request_version", ascii_lower(version));
  // request_header: a dictionary whose values are lists of strings (a
  // header may repeat).
  bj::object headers(sp);
  auto header = [&](std::string_view name, std::string_view value) {
    if (value.empty()) return;
    bj::array values(sp);
    values.emplace_back(value);
    headers.emplace(name, std::move(values));
  };
  header("Host", str(http, "hostname"));
  header("User-Agent", str(http, "http_user_agent"));
  if (!headers.empty()) ext.emplace("request_header", std::move(headers));
  return ext;
}

bool looks_like_ip(std::string_view host) {
  if (host.find(':') != std::string_view::npos) return true;
  return !host.empty() && std::all_of(host.begin(), host.end(), [](char c) {
    return (c >= '0' && c <= '9') || c == '.';
  });
}

// A domain-name SCO for a host name, an address SCO for an address.
void add_host(std::string_view name, bj::array* objects, bj::array* refs) {
  if (name.empty()) return;
  if (looks_like_ip(name)) {
    add_ref(add_address(name, objects), refs);
  } else {
    bj::object sco = stix::new_sco("domain-name", objects->storage());
    sco.emplace("value", name);
    add_ref(add_sco("domain-name", std::move(sco), objects), refs);
  }
}

void add_file(const bj::object& f, bj::array* objects, bj::array* refs) {
  bj::object sco = stix::new_sco("file", objects->storage());
  bj::object hashes(objects->storage());
  if (auto v = str(f, "md5"); is_hex_of_length(v, 32)) hashes.emplace("MD5", v);
  if (auto v = str(f, "sha1"); is_hex_of_length(v, 40)) hashes.emplace("SHA-1", v);
  if (auto v = str(f, "sha256"); is_hex_of_length(v, 64)) hashes.emplace("SHA-256", v);
  std::string_view name = str(f, "filename");
  if (name.empty() && hashes.empty()) return;  // a file SCO needs a name or a hash
  if (!hashes.empty()) sco.emplace("hashes", std::move(hashes));
  if (!name.empty()) sco.emplace("name", name);
  if (auto size = integer(f, "size"); size >= 0) sco.emplace("size", size);
  add_ref(add_sco("file", std::move(sco), objects), refs);
}

void add_certificate(const bj::object& tls, bj::array* objects, bj::array* refs) {
  bj::object sco = stix::new_sco("x509-certificate", objects->storage());
  if (auto v = str(tls, "subject"); !v.empty()) sco.emplace("subject", v);
  if (auto v = str(tls, "issuerdn"); !v.empty()) sco.emplace("issuer", v);
  if (auto v = str(tls, "serial"); !v.empty()) sco.emplace("serial_number", v);
  std::string fp;
  for (char c : str(tls, "fingerprint")) {
    if (c != ':') fp.push_back(c);
  }
  if (is_hex_of_length(fp, 40)) sco.emplace("hashes", bj::object({{"SHA-1", fp}}, sco.storage()));
  stix::TimePoint t;
  if (stix::parse_time(str(tls, "notbefore"), &t)) sco.emplace("validity_not_before", stix::format_time(t));
  if (stix::parse_time(str(tls, "notafter"), &t)) sco.emplace("validity_not_after", stix::format_time(t));
  if (sco.size() == 3) return;  // nothing but type, spec_version and id
  add_ref(add_sco("x509-certificate", std::move(sco), objects), refs);
}

Status missing(std::string_view field, std::string_view rule) {
  return Status(Code::kInvalidArgument, std::string(field) + ": " + std::string(rule));
}

}  // namespace

Result<bj::object> alert_to_bundle(const bj::object& record, const FlowContext* context,
                                   std::string_view sensor, std::string_view now,
                                   const bj::storage_ptr& sp) {
  const bj::object* alert = obj(record, "alert");
  if (alert == nullptr) return missing("alert", "an alert record needs an alert object");
  const std::string_view signature = str(*alert, "signature");
  if (signature.empty()) return missing("alert.signature", "required, a non-empty string");
  stix::TimePoint when;
  if (!stix::parse_time(str(record, "timestamp"), &when)) {
    return missing("timestamp", "required, an RFC 3339 time");
  }
  const std::string time = stix::format_time(when);

  // Actor and target: Suricata's own source/target when the rule names them.
  std::string_view actor_ip = str(record, "src_ip"), target_ip = str(record, "dest_ip");
  std::int64_t actor_port = integer(record, "src_port"), target_port = integer(record, "dest_port");
  if (const auto* s = obj(*alert, "source"); s && !str(*s, "ip").empty()) {
    actor_ip = str(*s, "ip");
    actor_port = integer(*s, "port");
  }
  if (const auto* t = obj(*alert, "target"); t && !str(*t, "ip").empty()) {
    target_ip = str(*t, "ip");
    target_port = integer(*t, "port");
  }
  if (actor_ip.empty()) return missing("src_ip", "required, the address of the actor");
  if (target_ip.empty()) return missing("dest_ip", "required, the address of the target");
  for (auto [field, ip] : {std::pair{"src_ip", actor_ip}, std::pair{"dest_ip", target_ip}}) {
    const auto net = stix::pattern::parse_ip_network(ip);
    if (!net || ip.find('/') != std::string_view::npos) {
      return missing(field, "'" + std::string(ip) + "' is not an IPv4 or IPv6 address");
    }
  }

  bj::array objects(sp);
  objects.reserve(12);
  std::string_view sensor_name = str(record, "host");
  if (sensor_name.empty()) sensor_name = sensor;
  bj::object identity = stix::new_sdo("identity", now, sp);
  identity.emplace("name", sensor_name);
  identity.emplace("identity_class", "system");
  const std::string identity_id(stix::id_of(identity));
  objects.emplace_back(std::move(identity));

  bj::array observed(sp);  // SCO ids
  const std::string actor_id = add_address(actor_ip, &objects);
  const std::string target_id = add_address(target_ip, &objects);
  observed.emplace_back(actor_id);
  add_ref(target_id, &observed);

  const bj::object* http = context_member(record, context, "http");
  if (auto proto = str(record, "proto"); !proto.empty()) {
    bj::object traffic = stix::new_sco("network-traffic", sp);
    traffic.emplace("src_ref", actor_id);
    traffic.emplace("dst_ref", target_id);
    if (actor_port >= 0 && actor_port <= 65535) traffic.emplace("src_port", actor_port);
    if (target_port >= 0 && target_port <= 65535) traffic.emplace("dst_port", target_port);
    bj::array protocols(sp);
    protocols.emplace_back(ascii_lower(proto));
    if (auto app = str(record, "app_proto"); !app.empty() && app != "failed" && app != "unknown") {
      protocols.emplace_back(ascii_lower(app));
    }
    traffic.emplace("protocols", std::move(protocols));
    if (const auto* flow = obj(record, "flow")) {
      stix::TimePoint start;
      if (stix::parse_time(str(*flow, "start"), &start)) traffic.emplace("start", stix::format_time(start));
    }
    if (http != nullptr) {
      bj::object extensions(sp);
      extensions.emplace("http-request-ext", http_extension(*http, sp));
      traffic.emplace("extensions", std::move(extensions));
    }
    add_ref(add_sco("network-traffic", std::move(traffic), &objects), &observed);
  }
  if (http != nullptr) {
    std::string_view host = str(*http, "hostname");
    add_host(host, &objects, &observed);
    if (!host.empty()) {
      std::string url = "http://";
      url += host;
      std::string_view path = str(*http, "url");
      if (path.empty() || path.front() != '/') url += '/';
      url += path;
      bj::object sco = stix::new_sco("url", sp);
      sco.emplace("value", url);
      add_ref(add_sco("url", std::move(sco), &objects), &observed);
    }
  }
  if (const auto* dns = context_member(record, context, "dns")) {
    add_host(str(*dns, "rrname"), &objects, &observed);
    if (auto it = dns->find("query"); it != dns->end() && it->value().is_array()) {
      for (const auto& q : it->value().get_array()) {
        if (q.is_object()) add_host(str(q.get_object(), "rrname"), &objects, &observed);
      }
    }
  }
  if (const auto* tls = context_member(record, context, "tls")) {
    add_host(str(*tls, "sni"), &objects, &observed);
    add_certificate(*tls, &objects, &observed);
  }
  if (const auto* f = context_member(record, context, "fileinfo")) add_file(*f, &objects, &observed);
  if (auto it = record.find("files"); it != record.end() && it->value().is_array()) {
    for (const auto& f : it->value().get_array()) {
      if (f.is_object()) add_file(f.get_object(), &objects, &observed);
    }
  }

  // The signature.
  const bj::object* metadata = obj(*alert, "metadata");
  bj::object pattern = stix::new_sdo("attack-pattern", now, sp);
  pattern.emplace("name", signature);
  std::string_view category = str(*alert, "category");
  if (!category.empty()) pattern.emplace("description", category);
  bj::array refs(sp);
  const std::int64_t gid = integer(*alert, "gid"), sid = integer(*alert, "signature_id"),
                     rev = integer(*alert, "rev");
  if (sid >= 0) {
    refs.emplace_back(stix::external_reference(
        "suricata", std::to_string(gid < 0 ? 1 : gid) + ":" + std::to_string(sid) + ":" +
                        std::to_string(rev < 0 ? 0 : rev),
        {}, sp));
    pattern.emplace("x_suricata_signature_id", sid);
  }
  bj::array phases(sp);
  add_mitre(metadata, &refs, &phases);
  if (!refs.empty()) pattern.emplace("external_references", std::move(refs));
  if (!phases.empty()) pattern.emplace("kill_chain_phases", std::move(phases));
  if (!category.empty()) pattern.emplace("x_suricata_category", category);
  const std::string pattern_id(stix::id_of(pattern));
  objects.emplace_back(std::move(pattern));

  const int confidence = suricata_confidence(*alert);
  bj::object od = stix::new_sdo("observed-data", now, sp);
  od.emplace("created_by_ref", identity_id);
  od.emplace("first_observed", time);
  od.emplace("last_observed", time);
  od.emplace("number_observed", 1);
  od.emplace("object_refs", std::move(observed));
  const std::string od_id(stix::id_of(od));
  objects.emplace_back(std::move(od));

  bj::object sighting = stix::new_sdo("sighting", now, sp);
  sighting.emplace("created_by_ref", identity_id);
  sighting.emplace("confidence", confidence);
  sighting.emplace("first_seen", time);
  sighting.emplace("last_seen", time);
  sighting.emplace("count", 1);
  sighting.emplace("sighting_of_ref", pattern_id);
  bj::array od_refs(sp), where_refs(sp);
  od_refs.emplace_back(od_id);
  where_refs.emplace_back(identity_id);
  sighting.emplace("observed_data_refs", std::move(od_refs));
  sighting.emplace("where_sighted_refs", std::move(where_refs));
  objects.emplace_back(std::move(sighting));

  bj::object report = stix::new_sdo("report", now, sp);
  report.emplace("created_by_ref", identity_id);
  std::string name = "Suricata alert: ";
  name += signature;
  report.emplace("name", std::move(name));
  std::string description(sensor_name);
  description += " saw \"";
  description += signature;
  description += "\"";
  if (!category.empty()) {
    description += " (";
    description += category;
    description += ")";
  }
  description += " from ";
  description += actor_ip;
  if (actor_port >= 0) description += ":" + std::to_string(actor_port);
  description += " to ";
  description += target_ip;
  if (target_port >= 0) description += ":" + std::to_string(target_port);
  if (auto proto = str(record, "proto"); !proto.empty()) {
    description += " over ";
    description += proto;
  }
  if (auto action = str(*alert, "action"); !action.empty()) {
    description += "; action ";
    description += action;
  }
  report.emplace("description", std::move(description));
  bj::array report_types(sp);
  report_types.emplace_back("threat-report");
  report.emplace("report_types", std::move(report_types));
  report.emplace("published", time);
  report.emplace("confidence", confidence);
  bj::array object_refs(sp);
  object_refs.reserve(objects.size());
  for (const auto& o : objects) object_refs.emplace_back(stix::id_of(o.get_object()));
  report.emplace("object_refs", std::move(object_refs));
  report.emplace("x_atio_actor_ref", actor_id);
  report.emplace("x_atio_target_ref", target_id);
  if (auto severity = integer(*alert, "severity"); severity >= 0) report.emplace("x_suricata_severity", severity);
  if (auto action = str(*alert, "action"); !action.empty()) report.emplace("x_suricata_action", action);
  if (auto flow_id = integer(record, "flow_id"); flow_id >= 0) report.emplace("x_suricata_flow_id", record.at("flow_id"));
  if (auto cid = str(record, "community_id"); !cid.empty()) report.emplace("x_suricata_community_id", cid);
  objects.emplace_back(std::move(report));
  return stix::new_bundle(std::move(objects));
}

}  // namespace atio::convert::suricata

namespace atio::convert {

int suricata_confidence(const bj::object& alert) {
  int c = 20;
  switch (suricata::integer(alert, "severity")) {
    case 1: c = 80; break;
    case 2: c = 60; break;
    case 3: c = 40; break;
    default: break;
  }
  const bj::object* metadata = suricata::obj(alert, "metadata");
  std::string_view conf = suricata::metadata_value(metadata, "confidence");
  if (iequals(conf, "high")) c += 15;
  if (iequals(conf, "low")) c -= 15;
  std::string_view sev = suricata::metadata_value(metadata, "signature_severity");
  if (iequals(sev, "critical")) c += 10;
  if (iequals(sev, "major")) c += 5;
  if (iequals(sev, "minor")) c -= 5;
  if (iequals(sev, "informational")) c -= 10;
  return std::clamp(c, 0, 100);
}

}  // namespace atio::convert
