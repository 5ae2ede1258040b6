#include "atio/cti/enrich/detection.h"

#include <boost/json/serialize.hpp>

#include <unordered_map>

#include "atio/cti/stix/ids.h"
#include "atio/cti/stix/object.h"

namespace atio::enrich {

namespace bj = boost::json;

namespace {

// Namespace of atio's own name-based ids (detections).
constexpr std::string_view kAtioNamespace = "9c4d61a5-3b7e-5f0a-8d55-6f1e2c7a4b10";

using Index = std::unordered_map<std::string_view, const bj::object*>;

std::string_view value_of(const Index& index, std::string_view id) {
  auto it = index.find(id);
  if (it == index.end()) return {};
  return stix::ObjectView(*it->second).str("value");
}

double number(const bj::object& o, std::string_view key, double fallback) {
  const bj::value* v = o.if_contains(key);
  if (v == nullptr) return fallback;
  if (v->is_double()) return v->get_double();
  if (v->is_int64()) return static_cast<double>(v->get_int64());
  if (v->is_uint64()) return static_cast<double>(v->get_uint64());
  return fallback;
}

void read_alert(const stix::ObjectView& report, const Index& index, const bj::object* pattern,
                std::vector<Detection>* out) {
  Detection d;
  d.kind = Detection::Kind::kAlert;
  d.object_type = "attack-pattern";
  d.source = std::string(value_of(index, report.str("x_atio_actor_ref")));
  d.target = std::string(value_of(index, report.str("x_atio_target_ref")));
  d.time = std::string(report.str("published"));
  d.anchor_id = std::string(report.id());
  d.confidence = static_cast<int>(number(report.json(), "confidence", -1));
  d.alert_severity = static_cast<int>(number(report.json(), "x_suricata_severity", -1));
  if (pattern != nullptr) {
    stix::ObjectView ap(*pattern);
    d.name = std::string(ap.name());
    if (const bj::array* refs = ap.array("external_references")) {
      for (const auto& r : *refs) {
        if (!r.is_object()) continue;
        stix::ObjectView ref(r.get_object());
        if (ref.str("source_name") == "suricata" && d.signature.empty()) {
          d.signature = "suricata:" + std::string(ref.str("external_id"));
        }
        if (ref.str("source_name") == "mitre-attack" && !ref.str("external_id").empty()) {
          d.techniques.emplace_back(ref.str("external_id"));
        }
      }
    }
  }
  if (d.name.empty()) d.name = std::string(report.name());
  if (d.signature.empty()) d.signature = d.name;
  out->push_back(std::move(d));
}

}  // namespace

std::string Detection::id() const {
  std::string name = "{\"signature\":";
  name += bj::serialize(bj::value(signature));
  name += ",\"source\":" + bj::serialize(bj::value(source));
  name += ",\"target\":" + bj::serialize(bj::value(target)) + "}";
  return stix::uuid_v5(kAtioNamespace, name);
}

Result<std::vector<Detection>> read_detections(const bj::object& bundle) {
  const bj::value* objects = bundle.if_contains("objects");
  if (stix::ObjectView(bundle).type() != "bundle" || objects == nullptr || !objects->is_array()) {
    return Status(Code::kInvalidArgument, "not a STIX bundle (type bundle with objects)");
  }
  Index index;
  for (const auto& v : objects->get_array()) {
    if (!v.is_object()) continue;
    std::string_view id = stix::ObjectView(v.get_object()).id();
    if (!id.empty()) index.emplace(id, &v.get_object());
  }
  std::vector<Detection> out;
  // Alerts: a report naming its target (atio's Suricata bundles).
  for (const auto& v : objects->get_array()) {
    if (!v.is_object()) continue;
    stix::ObjectView o(v.get_object());
    if (o.type() != "report" || o.str("x_atio_target_ref").empty()) continue;
    const bj::object* pattern = nullptr;
    for (auto ref : o.strings("object_refs")) {
      auto it = index.find(ref);
      if (it != index.end() && stix::ObjectView(*it->second).type() == "attack-pattern") {
        pattern = it->second;
        break;
      }
    }
    read_alert(o, index, pattern, &out);
  }
  // Vulnerabilities: infrastructure --has--> vulnerability (atio's GVM
  // bundles), found when the scan's report says.
  std::string_view scan_time;
  for (const auto& v : objects->get_array()) {
    if (v.is_object() && stix::ObjectView(v.get_object()).type() == "report") {
      scan_time = stix::ObjectView(v.get_object()).str("published");
      break;
    }
  }
  std::unordered_map<std::string_view, std::vector<const bj::object*>> parts;  // host -> SCOs
  for (const auto& v : objects->get_array()) {
    if (!v.is_object()) continue;
    stix::ObjectView o(v.get_object());
    if (o.type() != "relationship" || o.str("relationship_type") != "consists-of") continue;
    auto it = index.find(o.str("target_ref"));
    if (it != index.end()) parts[o.str("source_ref")].push_back(it->second);
  }
  for (const auto& v : objects->get_array()) {
    if (!v.is_object()) continue;
    stix::ObjectView rel(v.get_object());
    if (rel.type() != "relationship" || rel.str("relationship_type") != "has") continue;
    auto host = index.find(rel.str("source_ref"));
    auto vuln = index.find(rel.str("target_ref"));
    if (host == index.end() || vuln == index.end()) continue;
    stix::ObjectView h(*host->second), vu(*vuln->second);
    if (h.type() != "infrastructure" || vu.type() != "vulnerability") continue;
    Detection d;
    d.kind = Detection::Kind::kVulnerability;
    d.object_type = "vulnerability";
    d.name = std::string(vu.name());
    if (const bj::array* refs = vu.array("external_references")) {
      for (const auto& r : *refs) {
        if (!r.is_object()) continue;
        stix::ObjectView ref(r.get_object());
        if (ref.str("source_name") == "openvas" && !ref.str("external_id").empty()) {
          d.signature = "openvas:" + std::string(ref.str("external_id"));
        }
        if (ref.str("source_name") == "cve" && d.signature.empty()) {
          d.signature = std::string(ref.str("external_id"));
        }
      }
    }
    if (d.signature.empty()) d.signature = d.name;
    d.severity = number(rel.json(), "x_atio_cvss_score", number(vu.json(), "x_atio_cvss_score", 0));
    d.time = std::string(scan_time.empty() ? rel.created() : scan_time);
    d.anchor_id = std::string(rel.id());
    d.host_id = std::string(h.id());
    for (const bj::object* sco : parts[h.id()]) {
      stix::ObjectView s(*sco);
      if ((s.type() == "ipv4-addr" || s.type() == "ipv6-addr") && d.target.empty()) {
        d.target = std::string(s.str("value"));
      } else if (s.type() == "domain-name") {
        d.target_hostnames.emplace_back(s.str("value"));
      }
    }
    if (d.target.empty() && !d.target_hostnames.empty()) d.target = d.target_hostnames.front();
    out.push_back(std::move(d));
  }
  return out;
}

}  // namespace atio::enrich
