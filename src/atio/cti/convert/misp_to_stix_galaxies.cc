// MISP galaxies and sightings -> STIX. A galaxy cluster becomes the SDO
// misp-stix makes of its galaxy type (attack-pattern with its ATT&CK
// external id, malware, tool, threat-actor, intrusion-set, course-of-action,
// vulnerability), or an x-misp-galaxy-cluster custom object that keeps it
// whole. A sighting (type 0) becomes a sighting, a false positive (type 1)
// an opinion.
#include <chrono>

#include "atio/core/json.h"
#include "atio/cti/convert/misp_stix_writer.h"
#include "atio/cti/convert/misp_types.h"
#include "atio/cti/stix/ids.h"

namespace atio::convert::misp {

namespace {

bool has_aliases(std::string_view stix_type) {
  return stix_type == "attack-pattern" || stix_type == "intrusion-set" ||
         stix_type == "malware" || stix_type == "threat-actor" || stix_type == "tool" ||
         stix_type == "campaign";
}

std::string source_name(std::string_view external_id) {
  for (auto [prefix, name] : {std::pair<std::string_view, std::string_view>{"CAPEC-", "capec"},
                              {"CVE-", "cve"},
                              {"CWE-", "cwe"}}) {
    if (external_id.substr(0, prefix.size()) == prefix) return std::string(name);
  }
  return "mitre-attack";
}

std::vector<std::string> strings_of(const bj::value& v) {
  std::vector<std::string> out;
  if (v.is_string()) out.emplace_back(v.get_string());
  if (v.is_array()) {
    for (const auto& e : v.get_array()) {
      if (e.is_string()) out.emplace_back(e.get_string());
    }
  }
  return out;
}

std::string sanitise(std::string_view key) {
  std::string out;
  for (char c : key) out += (c == '-' || c == ' ' || c == '.') ? '_' : c;
  return out;
}

// The properties a cluster's meta gives its SDO.
void apply_meta(const bj::object& meta, std::string_view stix_type, std::string_view value,
                bj::object* o) {
  bj::array refs, aliases, phases;
  for (const auto& kv : meta) {
    const std::string_view key = kv.key();
    if (key == "refs") {
      for (auto& url : strings_of(kv.value())) {
        refs.emplace_back(bj::object{{"source_name", "url"}, {"url", url}});
      }
    } else if (key == "external_id") {
      for (auto& id : strings_of(kv.value())) {
        refs.emplace_back(bj::object{{"source_name", source_name(id)}, {"external_id", id}});
      }
    } else if (key == "synonyms" && has_aliases(stix_type)) {
      for (auto& a : strings_of(kv.value())) {
        if (a != value) aliases.emplace_back(a);
      }
    } else if (key == "kill_chain") {
      // "mitre-attack:enterprise-attack:execution" -> mitre-attack / execution
      for (auto& k : strings_of(kv.value())) {
        auto first = k.find(':'), last = k.rfind(':');
        if (first == std::string::npos) continue;
        phases.emplace_back(bj::object{{"kill_chain_name", k.substr(0, first)},
                                       {"phase_name", k.substr(last + 1)}});
      }
    } else {
      (*o)["x_misp_" + sanitise(key)] = kv.value();
    }
  }
  if (!aliases.empty()) (*o)["aliases"] = std::move(aliases);
  if (!phases.empty()) (*o)["kill_chain_phases"] = std::move(phases);
  if (!refs.empty()) (*o)["external_references"] = std::move(refs);
}

}  // namespace

std::vector<std::string> StixWriter::galaxies(const bj::array& galaxies,
                                              std::string_view timestamp,
                                              std::set<std::string>* tag_names) {
  std::vector<std::string> ids;
  for (const bj::value& gv : galaxies) {
    if (!gv.is_object()) continue;
    const bj::object& g = gv.get_object();
    const bj::array* clusters = json::get_array(g, "GalaxyCluster");
    if (clusters == nullptr) continue;
    const std::string galaxy_name = text(g, "name"), galaxy_type = text(g, "type");
    for (const bj::value& cv : *clusters) {
      if (!cv.is_object()) continue;
      const bj::object& c = cv.get_object();
      const std::string tag = text(c, "tag_name"), value = text(c, "value");
      if (!tag.empty()) tag_names->insert(tag);
      std::string type = text(c, "type");
      if (type.empty()) type = galaxy_type;
      std::string uuid = text(c, "uuid");
      // Some exports leave the cluster uuid empty; derive a stable one.
      if (uuid.empty()) uuid = stix::uuid_v5(kMispNamespace, tag.empty() ? type + value : tag);
      // Old exports give every cluster of a galaxy the galaxy's uuid: a uuid
      // seen with another value gets one of its own, so no cluster is lost.
      auto [seen, fresh] = cluster_values_.emplace(uuid, type + "=" + value);
      if (!fresh && seen->second != type + "=" + value) {
        uuid = stix::uuid_v5(kMispNamespace, uuid + "|" + type + "=" + value);
      }
      std::string_view stix_type = galaxy_stix_type(type);
      const std::string id =
          std::string(stix_type.empty() ? "x-misp-galaxy-cluster" : stix_type) + "--" + uuid;
      ids.push_back(id);
      if (!once(id)) continue;

      bj::object o = sdo(stix_type.empty() ? "x-misp-galaxy-cluster" : stix_type, uuid,
                         timestamp);
      bj::array labels{"misp:galaxy-name=\"" + galaxy_name + "\"",
                       "misp:galaxy-type=\"" + type + "\""};
      if (!tag.empty()) labels.emplace_back(tag);
      const bj::object* meta = json::get_object(c, "meta");
      if (stix_type.empty()) {
        o["labels"] = std::move(labels);
        o["x_misp_name"] = galaxy_name;
        o["x_misp_type"] = type;
        o["x_misp_value"] = value;
        o["x_misp_description"] = text(g, "description") + " | " + text(c, "description");
        if (meta != nullptr) o["x_misp_meta"] = *meta;
      } else {
        std::string name = value;
        // "APT1 - G0006" -> "APT1": the id goes to external_references.
        if (type.substr(0, 6) == "mitre-") name = name.substr(0, name.find(" - "));
        o["name"] = name;
        if (std::string d = text(c, "description"); !d.empty()) o["description"] = d;
        o["labels"] = std::move(labels);
        if (meta != nullptr) apply_meta(*meta, stix_type, name, &o);
        if (stix_type == "malware" && !o.contains("is_family")) o["is_family"] = true;
      }
      add(std::move(o));
    }
  }
  return ids;
}

void StixWriter::attribute_galaxies(const bj::object& misp, const bj::object& source,
                                    std::set<std::string>* tag_names) {
  const bj::array* g = json::get_array(misp, "Galaxy");
  if (g == nullptr || g->empty()) return;
  const std::string source_id(source.at("id").as_string());
  const bj::value& ts = source.at("modified");
  for (const auto& target : galaxies(*g, ts.as_string(), tag_names)) {
    const std::string_view target_type = target.substr(0, target.find("--"));
    const bool indicates = source.at("type").as_string() == "indicator" &&
                           (target_type == "attack-pattern" || target_type == "malware" ||
                            target_type == "tool" || target_type == "threat-actor" ||
                            target_type == "intrusion-set" || target_type == "campaign");
    const char* rtype = indicates ? "indicates" : "related-to";
    bj::object r;
    r["type"] = "relationship";
    r["spec_version"] = "2.1";
    r["id"] = relationship_id(source_id, rtype, target);
    r["created"] = ts;
    r["modified"] = ts;
    r["relationship_type"] = rtype;
    r["source_ref"] = source_id;
    r["target_ref"] = target;
    if (once(std::string(r.at("id").as_string()))) add(std::move(r));
  }
}

void StixWriter::sightings(const bj::array& list, const std::vector<std::string>& refs) {
  if (refs.empty()) return;
  for (const bj::value& sv : list) {
    if (!sv.is_object()) continue;
    const bj::object& s = sv.get_object();
    const std::string kind = text(s, "type");
    if (kind != "" && kind != "0" && kind != "1") continue;  // 2: expiration, no STIX form
    std::string uuid = text(s, "uuid");
    if (uuid.empty()) uuid = stix::uuid_v5(kMispNamespace, refs.front() + text(s, "date_sighting"));
    auto when = epoch(text(s, "date_sighting"));
    const std::string ts = when ? stix_time(*when) : timestamp_of(s);
    std::string org;
    if (const bj::object* o = json::get_object(s, "Organisation")) {
      if (std::string u = text(*o, "uuid"); !u.empty()) {
        identity(u, text(*o, "name"), ts);
        org = "identity--" + u;
      }
    }
    if (kind == "1") {
      bj::object op = sdo("opinion", uuid, ts);
      op["opinion"] = "strongly-disagree";
      op["explanation"] = "False positive sighting";
      bj::array r;
      for (const auto& id : refs) r.emplace_back(id);
      op["object_refs"] = std::move(r);
      if (!org.empty()) op["x_misp_organisation_ref"] = org;
      add(std::move(op));
      continue;
    }
    bj::object o;
    o["type"] = "sighting";
    o["spec_version"] = "2.1";
    o["id"] = "sighting--" + uuid;
    if (!creator_.empty()) o["created_by_ref"] = creator_;
    o["created"] = ts;
    o["modified"] = ts;
    if (when) {
      o["first_seen"] = ts;
      o["last_seen"] = ts;
    }
    std::string of;
    bj::array observed;
    for (const auto& id : refs) {
      if (refs.size() > 1 && id.rfind("observed-data--", 0) == 0) {
        observed.emplace_back(id);
      } else if (of.empty()) {
        of = id;
      }
    }
    o["sighting_of_ref"] = of.empty() ? refs.front() : of;
    if (!observed.empty()) o["observed_data_refs"] = std::move(observed);
    if (!org.empty()) o["where_sighted_refs"] = bj::array{bj::string(org)};
    if (std::string src = text(s, "source"); !src.empty()) o["description"] = src;
    add(std::move(o));
  }
}

}  // namespace atio::convert::misp
