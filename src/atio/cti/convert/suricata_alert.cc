#include "atio/cti/convert/suricata_alert.h"

#include <boost/json/array.hpp>

#include <algorithm>
#include <array>
#include <cctype>
#include <cstring>

#include "atio/core/ids.h"
#include "atio/core/json_write.h"
#include "atio/core/text.h"
#include "atio/cti/convert/suricata.h"
#include "atio/cti/stix/ids.h"
#include "atio/cti/stix/pattern_ip.h"
#include "atio/cti/stix/time.h"
#include "atio/cti/stix/validate_check.h"

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

// "hashes":{"ALGO":"hex",...} from (algorithm, value) pairs.
void write_hashes(json::JsonText& t, const std::pair<const char*, std::string_view>* hashes,
                  std::size_t n) {
  t.key("hashes");
  t.begin_object();
  for (std::size_t i = 0; i < n; ++i) t.member(hashes[i].first, hashes[i].second);
  t.end_object();
}

bool looks_like_ip(std::string_view host) {
  if (host.find(':') != std::string_view::npos) return true;
  return !host.empty() && std::all_of(host.begin(), host.end(), [](char c) {
    return (c >= '0' && c <= '9') || c == '.';
  });
}

// An address STIX can carry as the value of an ipv4-addr or ipv6-addr: the
// validator's rules, and a single address (no CIDR block, no zone).
bool valid_address(std::string_view ip) {
  if (ip.find_first_of("/%") != std::string_view::npos) return false;
  if (!stix::pattern::parse_ip_network(ip)) return false;
  return ip.find(':') != std::string_view::npos ? stix::check::ipv6_value(ip)
                                                 : stix::check::ipv4_value(ip);
}

constexpr std::int64_t kMaxStixInteger = (std::int64_t{1} << 53) - 1;

// ^T\d{4}(\.\d{3})?$: an ATT&CK technique or sub-technique id.
bool attack_technique_id(std::string_view id) {
  auto digits = [](std::string_view s) {
    return std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
  };
  if (id.size() != 5 && id.size() != 9) return false;
  if (id[0] != 'T' || !digits(id.substr(1, 4))) return false;
  return id.size() == 5 || (id[5] == '.' && digits(id.substr(6)));
}

// Lower case with '_' and ' ' as '-': a kill chain phase name.
std::string phase_name(std::string_view tactic) {
  std::string phase = ascii_lower(tactic);
  std::replace(phase.begin(), phase.end(), '_', '-');
  std::replace(phase.begin(), phase.end(), ' ', '-');
  return phase;
}

// The canonical (JCS) text of {"value": v}: the name of a value SCO's id.
void value_name(std::string_view v, std::string* out) {
  out->assign("{\"value\":");
  json::append_quoted(v, out);
  out->push_back('}');
}

// The inner text of an object's text "{...}": its members.
std::string_view members_of(std::string_view object_text) {
  return object_text.substr(1, object_text.size() - 2);
}

Status missing(std::string_view field, std::string_view rule) {
  return Status(Code::kInvalidArgument, std::string(field) + ": " + std::string(rule));
}

}  // namespace

StixId StixId::random(std::string_view type) {
  StixId id;
  std::memcpy(id.text_, type.data(), type.size());
  std::memcpy(id.text_ + type.size(), "--", 2);
  uuid_v4_into(id.text_ + type.size() + 2);
  id.size_ = type.size() + 38;
  return id;
}

StixId StixId::named(std::string_view type, std::string_view canonical) {
  StixId id;
  std::memcpy(id.text_, type.data(), type.size());
  std::memcpy(id.text_ + type.size(), "--", 2);
  stix::uuid_v5_into(stix::kStixNamespace, canonical, id.text_ + type.size() + 2);
  id.size_ = type.size() + 38;
  return id;
}

std::size_t AlertWriter::add_sdo_id(std::string_view type) {
  objects_.push_back(StixId::random(type));
  return objects_.size() - 1;
}

std::size_t AlertWriter::add_sco(std::string_view type, std::string_view canonical,
                                 std::string_view members) {
  // Without an ID-contributing property an SCO gets a random id (ids.h).
  const StixId id = canonical.size() > 2 ? StixId::named(type, canonical) : StixId::random(type);
  for (std::size_t i = 0; i < objects_.size(); ++i) {
    if (objects_[i] == id) return i;
  }
  objects_.push_back(id);
  json::JsonText& t = *text_;
  t.begin_object();
  t.member("type", type);
  t.member("spec_version", "2.1");
  t.member("id", id.view());
  t.members(members);
  t.end_object();
  return objects_.size() - 1;
}

void AlertWriter::observe(std::size_t index) {
  if (index == kNone) return;
  if (std::find(observed_.begin(), observed_.end(), index) == observed_.end()) {
    observed_.push_back(index);
  }
}

std::size_t AlertWriter::add_address(std::string_view ip) {
  if (!valid_address(ip)) return kNone;
  value_name(ip, &canonical_);
  return add_sco(ip.find(':') != std::string_view::npos ? "ipv6-addr" : "ipv4-addr", canonical_,
                 members_of(canonical_));
}

// A domain-name SCO for a host name, an address SCO for an address. A name
// that looks like an address but is none (an attacker's Host header) gives
// no observable: the alert itself still goes through.
std::size_t AlertWriter::add_host(std::string_view name) {
  if (name.empty()) return kNone;
  if (looks_like_ip(name)) return add_address(name);
  value_name(name, &canonical_);
  return add_sco("domain-name", canonical_, members_of(canonical_));
}

std::size_t AlertWriter::add_url(std::string_view host, std::string_view path) {
  std::string url = "http://";
  url += host;
  if (path.empty() || path.front() != '/') url += '/';
  url += path;
  value_name(url, &canonical_);
  return add_sco("url", canonical_, members_of(canonical_));
}

std::size_t AlertWriter::add_file(const bj::object& f) {
  std::pair<const char*, std::string_view> hashes[3] = {
      {"MD5", str(f, "md5")}, {"SHA-1", str(f, "sha1")}, {"SHA-256", str(f, "sha256")}};
  const std::size_t lengths[3] = {32, 40, 64};
  std::size_t n = 0;
  for (std::size_t i = 0; i < 3; ++i) {
    if (is_hex_of_length(hashes[i].second, lengths[i])) hashes[n++] = hashes[i];
  }
  const std::string_view name = str(f, "filename");
  if (name.empty() && n == 0) return kNone;  // a file SCO needs a name or a hash
  // Of the hashes, the first of MD5, SHA-1, SHA-256 contributes to the id.
  canonical_.clear();
  json::JsonText c(&canonical_);
  c.begin_object();
  if (n > 0) write_hashes(c, hashes, 1);
  if (!name.empty()) c.member("name", name);
  c.end_object();
  c.flush();
  members_.clear();
  json::JsonText m(&members_);
  m.begin_object();
  if (n > 0) write_hashes(m, hashes, n);
  if (!name.empty()) m.member("name", name);
  // STIX integers fit in 54 bits signed (a larger size is no file's).
  if (auto size = integer(f, "size"); size >= 0 && size <= kMaxStixInteger) m.member("size", size);
  m.end_object();
  m.flush();
  return add_sco("file", canonical_, members_of(members_));
}

std::size_t AlertWriter::add_certificate(const bj::object& tls) {
  std::string fp;
  for (char c : str(tls, "fingerprint")) {
    if (c != ':') fp.push_back(c);
  }
  const bool sha1 = is_hex_of_length(fp, 40);
  const std::pair<const char*, std::string_view> hash{"SHA-1", fp};
  const std::string_view serial = str(tls, "serial");
  canonical_.clear();
  json::JsonText c(&canonical_);
  c.begin_object();
  if (sha1) write_hashes(c, &hash, 1);
  if (!serial.empty()) c.member("serial_number", serial);
  c.end_object();
  c.flush();
  members_.clear();
  json::JsonText m(&members_);
  m.begin_object();
  if (auto v = str(tls, "subject"); !v.empty()) m.member("subject", v);
  if (auto v = str(tls, "issuerdn"); !v.empty()) m.member("issuer", v);
  if (!serial.empty()) m.member("serial_number", serial);
  if (sha1) write_hashes(m, &hash, 1);
  stix::TimePoint t;
  if (stix::parse_time(str(tls, "notbefore"), &t)) m.member("validity_not_before", stix::format_time(t));
  if (stix::parse_time(str(tls, "notafter"), &t)) m.member("validity_not_after", stix::format_time(t));
  m.end_object();
  m.flush();
  if (members_.size() == 2) return kNone;  // nothing but type, spec_version and id
  return add_sco("x509-certificate", canonical_, members_of(members_));
}

namespace {

// The http-request-ext of network-traffic from EVE's http object, in
// canonical form (members sorted): {"http-request-ext":{...}}.
void http_extension(const bj::object& http, std::string* out) {
  out->clear();
  json::JsonText t(out);
  t.begin_object();
  t.key("http-request-ext");
  t.begin_object();
  // request_header: a dictionary whose values are lists of strings (a
  // header may repeat).
  const std::string_view host = str(http, "hostname"), agent = str(http, "http_user_agent");
  if (!host.empty() || !agent.empty()) {
    t.key("request_header");
    t.begin_object();
    for (auto [name, value] : {std::pair{"Host", host}, std::pair{"User-Agent", agent}}) {
      if (value.empty()) continue;
      t.key(name);
      t.begin_array();
      t.string(value);
      t.end_array();
    }
    t.end_object();
  }
  const std::string_view method = str(http, "http_method"), url = str(http, "url");
  t.member("request_method", method.empty() ? std::string("get") : ascii_lower(method));
  t.member("request_value", url.empty() ? std::string_view("/") : url);
  if (auto version = str(http, "protocol"); !version.empty()) {
    t.member("request_version", ascii_lower(version));
  }
  t.end_object();
  t.end_object();
  t.flush();
}

// The common properties of an SDO or SRO: opens it.
void begin_sdo(json::JsonText& t, std::string_view type, const StixId& id, std::string_view now) {
  t.begin_object();
  t.member("type", type);
  t.member("spec_version", "2.1");
  t.member("id", id.view());
  t.member("created", now);
  t.member("modified", now);
}

}  // namespace

Status AlertWriter::write(const bj::object& record, const FlowContext* context,
                          std::string_view now, std::string* out) {
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
    if (!valid_address(ip)) {
      return missing(field, "'" + std::string(ip) + "' is not an IPv4 or IPv6 address");
    }
  }
  auto port = [](std::int64_t p) { return p >= 0 && p <= 65535; };

  objects_.clear();
  observed_.clear();
  json::JsonText t(out);
  text_ = &t;
  t.begin_object();
  t.member("type", "bundle");
  t.member("id", StixId::random("bundle").view());
  t.key("objects");
  t.begin_array();

  std::string_view sensor_name = str(record, "host");
  if (sensor_name.empty()) sensor_name = sensor_;
  const std::size_t identity = add_sdo_id("identity");
  begin_sdo(t, "identity", objects_[identity], now);
  t.member("name", sensor_name);
  t.member("identity_class", "system");
  t.end_object();

  const std::size_t actor = add_address(actor_ip), target = add_address(target_ip);
  observe(actor);
  observe(target);

  const bj::object* http = context_member(record, context, "http");
  if (auto proto = str(record, "proto"); !proto.empty()) {
    // Every member contributes to the id: the canonical form (sorted) is
    // the object's text too.
    if (http != nullptr) http_extension(*http, &extension_);
    canonical_.clear();
    json::JsonText c(&canonical_);
    c.begin_object();
    if (port(target_port)) c.member("dst_port", target_port);
    c.member("dst_ref", objects_[target].view());
    if (http != nullptr) {
      c.key("extensions");
      c.raw(extension_);
    }
    c.key("protocols");
    c.begin_array();
    c.string(ascii_lower(proto));
    if (auto app = str(record, "app_proto"); !app.empty() && app != "failed" && app != "unknown") {
      c.string(ascii_lower(app));
    }
    c.end_array();
    if (port(actor_port)) c.member("src_port", actor_port);
    c.member("src_ref", objects_[actor].view());
    if (const auto* flow = obj(record, "flow")) {
      stix::TimePoint start;
      if (stix::parse_time(str(*flow, "start"), &start)) c.member("start", stix::format_time(start));
    }
    c.end_object();
    c.flush();
    observe(add_sco("network-traffic", canonical_, members_of(canonical_)));
  }
  if (http != nullptr) {
    std::string_view host = str(*http, "hostname");
    observe(add_host(host));
    if (!host.empty()) observe(add_url(host, str(*http, "url")));
  }
  if (const auto* dns = context_member(record, context, "dns")) {
    observe(add_host(str(*dns, "rrname")));
    if (auto it = dns->find("query"); it != dns->end() && it->value().is_array()) {
      for (const auto& q : it->value().get_array()) {
        if (q.is_object()) observe(add_host(str(q.get_object(), "rrname")));
      }
    }
  }
  if (const auto* tls = context_member(record, context, "tls")) {
    observe(add_host(str(*tls, "sni")));
    observe(add_certificate(*tls));
  }
  if (const auto* f = context_member(record, context, "fileinfo")) observe(add_file(*f));
  if (auto it = record.find("files"); it != record.end() && it->value().is_array()) {
    for (const auto& f : it->value().get_array()) {
      if (f.is_object()) observe(add_file(f.get_object()));
    }
  }

  // The signature.
  const bj::object* metadata = obj(*alert, "metadata");
  const std::size_t pattern = add_sdo_id("attack-pattern");
  begin_sdo(t, "attack-pattern", objects_[pattern], now);
  t.member("name", signature);
  const std::string_view category = str(*alert, "category");
  if (!category.empty()) t.member("description", category);
  const std::int64_t gid = integer(*alert, "gid"), sid = integer(*alert, "signature_id"),
                     rev = integer(*alert, "rev");
  if (sid >= 0) t.member("x_suricata_signature_id", sid);
  const bj::array* techniques = nullptr;
  const bj::array* tactics = nullptr;
  if (metadata != nullptr) {
    if (auto it = metadata->find("mitre_technique_id"); it != metadata->end() && it->value().is_array()) {
      techniques = &it->value().get_array();
    }
    if (auto it = metadata->find("mitre_tactic_name"); it != metadata->end() && it->value().is_array()) {
      tactics = &it->value().get_array();
    }
  }
  auto technique_ids = [&](auto&& each) {
    if (techniques == nullptr) return;
    for (const auto& v : *techniques) {
      if (v.is_string() && attack_technique_id(v.get_string())) each(std::string_view(v.get_string()));
    }
  };
  bool any_technique = false;
  technique_ids([&](std::string_view) { any_technique = true; });
  if (sid >= 0 || any_technique) {
    t.key("external_references");
    t.begin_array();
    if (sid >= 0) {
      t.begin_object();
      t.member("source_name", "suricata");
      t.member("external_id", std::to_string(gid < 0 ? 1 : gid) + ":" + std::to_string(sid) + ":" +
                                  std::to_string(rev < 0 ? 0 : rev));
      t.end_object();
    }
    technique_ids([&](std::string_view id) {
      std::string path(id);
      std::replace(path.begin(), path.end(), '.', '/');
      t.begin_object();
      t.member("source_name", "mitre-attack");
      t.member("external_id", id);
      t.member("url", "https://attack.mitre.org/techniques/" + path + "/");
      t.end_object();
    });
    t.end_array();
  }
  bool any_tactic = false;
  if (tactics != nullptr) {
    for (const auto& v : *tactics) {
      if (!v.is_string() || v.get_string().empty()) continue;
      if (!any_tactic) {
        t.key("kill_chain_phases");
        t.begin_array();
        any_tactic = true;
      }
      t.begin_object();
      t.member("kill_chain_name", "mitre-attack");
      t.member("phase_name", phase_name(v.get_string()));
      t.end_object();
    }
  }
  if (any_tactic) t.end_array();
  if (!category.empty()) t.member("x_suricata_category", category);
  t.end_object();

  const int confidence = suricata_confidence(*alert);
  const std::size_t od = add_sdo_id("observed-data");
  begin_sdo(t, "observed-data", objects_[od], now);
  t.member("created_by_ref", objects_[identity].view());
  t.member("first_observed", time);
  t.member("last_observed", time);
  t.member("number_observed", 1);
  t.key("object_refs");
  t.begin_array();
  for (std::size_t i : observed_) t.string(objects_[i].view());
  t.end_array();
  t.end_object();

  const std::size_t sighting = add_sdo_id("sighting");
  begin_sdo(t, "sighting", objects_[sighting], now);
  t.member("created_by_ref", objects_[identity].view());
  t.member("confidence", confidence);
  t.member("first_seen", time);
  t.member("last_seen", time);
  t.member("count", 1);
  t.member("sighting_of_ref", objects_[pattern].view());
  t.string_array("observed_data_refs", std::array{objects_[od].view()});
  t.string_array("where_sighted_refs", std::array{objects_[identity].view()});
  t.end_object();

  const StixId report = StixId::random("report");
  begin_sdo(t, "report", report, now);
  t.member("created_by_ref", objects_[identity].view());
  std::string name = "Suricata alert: ";
  name += signature;
  t.member("name", name);
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
  const std::string_view action = str(*alert, "action");
  if (!action.empty()) {
    description += "; action ";
    description += action;
  }
  t.member("description", description);
  t.string_array("report_types", std::array{std::string_view("threat-report")});
  t.member("published", time);
  t.member("confidence", confidence);
  t.key("object_refs");
  t.begin_array();
  for (const auto& id : objects_) t.string(id.view());
  t.end_array();
  t.member("x_atio_actor_ref", objects_[actor].view());
  t.member("x_atio_target_ref", objects_[target].view());
  if (auto severity = integer(*alert, "severity"); severity >= 0) t.member("x_suricata_severity", severity);
  if (!action.empty()) t.member("x_suricata_action", action);
  if (integer(record, "flow_id") >= 0) {
    t.key("x_suricata_flow_id");
    t.value(record.at("flow_id"));
  }
  if (auto cid = str(record, "community_id"); !cid.empty()) t.member("x_suricata_community_id", cid);
  t.end_object();

  t.end_array();
  t.end_object();
  t.flush();
  text_ = nullptr;
  return Status::ok();
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
