// EventReader: the event header (report or grouping), tags and markings,
// galaxies, sightings, x-misp-* custom objects, and the dispatch of every
// STIX object to what it becomes in MISP.
#include <map>
#include <set>
#include <chrono>

#include "atio/core/json.h"
#include "atio/cti/convert/misp_categories.h"
#include "atio/cti/convert/misp_types.h"
#include "atio/cti/convert/stix_misp_reader.h"
#include "atio/cti/stix/ids.h"
#include "atio/cti/stix/time.h"

namespace atio::convert::misp {

namespace {

bool is_galaxy_type(std::string_view type) {
  return type == "attack-pattern" || type == "malware" || type == "tool" ||
         type == "threat-actor" || type == "intrusion-set" || type == "course-of-action" ||
         type == "x-misp-galaxy-cluster";
}

// The galaxy a cluster of STIX type `type` goes to when the STIX does not say.
std::string_view default_galaxy(std::string_view type) {
  if (type == "attack-pattern") return "mitre-attack-pattern";
  if (type == "malware") return "mitre-malware";
  if (type == "tool") return "mitre-tool";
  if (type == "intrusion-set") return "mitre-intrusion-set";
  if (type == "course-of-action") return "mitre-course-of-action";
  if (type == "vulnerability") return "branded-vulnerability";
  return "threat-actor";
}

}  // namespace

std::string label_value(const bj::object& stix, std::string_view key) {
  const bj::array* labels = json::get_array(stix, "labels");
  if (labels == nullptr) return {};
  const std::string prefix = std::string(key) + "=\"";
  for (const auto& l : *labels) {
    if (!l.is_string()) continue;
    std::string_view s = l.get_string();
    if (s.size() > prefix.size() && s.substr(0, prefix.size()) == prefix && s.back() == '"') {
      return std::string(s.substr(prefix.size(), s.size() - prefix.size() - 1));
    }
  }
  return {};
}

EventReader::EventReader(const bj::array& objects) : objects_(objects) {
  for (const auto& v : objects_) {
    const bj::object& o = v.get_object();
    by_id_[std::string(o.at("id").get_string())] = &o;
  }
  for (const auto& v : objects_) {  // based-on pairs an indicator with its observation
    const bj::object& o = v.get_object();
    if (text(o, "type") == "relationship" && text(o, "relationship_type") == "based-on") {
      std::string src = text(o, "source_ref"), dst = text(o, "target_ref");
      if (src.rfind("indicator--", 0) == 0 && dst.rfind("observed-data--", 0) == 0) {
        indicator_of_[dst] = src;
      }
    }
  }
}

const bj::object* EventReader::get(std::string_view id) const {
  auto it = by_id_.find(id);
  return it == by_id_.end() ? nullptr : it->second;
}

bj::array EventReader::tags_of(const bj::object& stix, bool drop_misp_labels) const {
  bj::array tags;
  auto add = [&](std::string_view name) {
    for (const auto& t : tags) {
      if (t.at("name").get_string() == name) return;
    }
    tags.emplace_back(bj::object{{"name", name}});
  };
  if (const bj::array* refs = json::get_array(stix, "object_marking_refs")) {
    for (const auto& r : *refs) {
      if (r.is_string() && !tlp_tag(r.get_string()).empty()) add(tlp_tag(r.get_string()));
    }
  }
  if (const bj::array* labels = json::get_array(stix, "labels")) {
    for (const auto& l : *labels) {
      if (!l.is_string()) continue;
      std::string_view s = l.get_string();
      const bool misp = s.substr(0, 5) == "misp:" &&
                        (s.substr(5, 5) == "type=" || s.substr(5, 9) == "category=" ||
                         s.substr(5, 5) == "name=" || s.substr(5, 14) == "meta-category=" ||
                         s.substr(5, 5) == "tool=" || s.substr(5, 8) == "galaxy-");
      if ((drop_misp_labels && misp) || s == "Threat-Report") continue;
      add(s);
    }
  }
  return tags;
}

void EventReader::event_header(const bj::object& r) {
  use(text(r, "id"));
  event_["uuid"] = std::string(id_uuid(text(r, "id")));
  if (std::string id = text(r, "x_atio_misp_id"); !id.empty()) event_["id"] = id;
  event_["info"] = text(r, "name");
  std::string date = text(r, "x_misp_date");
  const std::string published = text(r, "published");
  if (date.empty()) date = (published.empty() ? text(r, "created") : published).substr(0, 10);
  event_["date"] = date;
  event_["timestamp"] = epoch_text(text(r, "modified"));
  event_["published"] = text(r, "type") == "report";
  if (!published.empty()) event_["publish_timestamp"] = epoch_text(published);
  std::string level = text(r, "x_misp_threat_level_id"), analysis = text(r, "x_misp_analysis");
  event_["threat_level_id"] = level.empty() ? "4" : level;  // 4: undefined
  event_["analysis"] = analysis.empty() ? "0" : analysis;   // 0: initial
  for (const auto& t : tags_of(r, true)) tags_.push_back(t);
}

bj::object EventReader::attribute_base(const bj::object& stix, std::string_view type,
                                       std::string value) const {
  bj::object a;
  a["uuid"] = std::string(id_uuid(text(stix, "id")));
  a["type"] = type;
  std::string category = label_value(stix, "misp:category");
  if (category.empty()) {
    if (const bj::array* k = json::get_array(stix, "kill_chain_phases")) {
      for (const auto& p : *k) {
        if (p.is_object() && text(p.get_object(), "kill_chain_name") == "misp-category") {
          category = text(p.get_object(), "phase_name");
        }
      }
    }
  }
  a["category"] = category.empty() ? std::string(default_category(type)) : category;
  a["value"] = std::move(value);
  a["to_ids"] = false;
  a["comment"] = text(stix, "description");
  a["timestamp"] = epoch_text(text(stix, "modified"));
  bj::array tags = tags_of(stix, true);
  if (!tags.empty()) a["Tag"] = std::move(tags);
  return a;
}

void EventReader::remember(const bj::object& attribute,
                           std::initializer_list<const bj::object*> stix) {
  for (const bj::object* s : stix) {
    if (s != nullptr) attribute_of_[text(*s, "id")] = text(attribute, "uuid");
  }
}

void EventReader::custom_attribute(const bj::object& o) {
  bj::object a = attribute_base(o, text(o, "x_misp_type"), text(o, "x_misp_value"));
  if (std::string c = text(o, "x_misp_category"); !c.empty()) a["category"] = c;
  a["comment"] = text(o, "x_misp_comment");
  if (std::string d = text(o, "x_misp_data"); !d.empty()) a["data"] = d;
  a["to_ids"] = flag(o, "x_misp_to_ids");
  remember(a, {&o});
  attributes_.emplace_back(std::move(a));
}

void EventReader::custom_object(const bj::object& o) {
  bj::object m;
  m["uuid"] = std::string(id_uuid(text(o, "id")));
  m["name"] = text(o, "x_misp_name");
  m["meta-category"] = text(o, "x_misp_meta_category");
  m["comment"] = text(o, "x_misp_comment");
  m["timestamp"] = epoch_text(text(o, "modified"));
  bj::array attrs;
  if (const bj::array* xs = json::get_array(o, "x_misp_attributes")) {
    for (const auto& x : *xs) {
      if (!x.is_object()) continue;
      bj::object a = x.get_object();
      if (!a.contains("category")) a["category"] = "Other";
      attribute_of_[text(o, "id")] = text(a, "uuid");
      attrs.emplace_back(std::move(a));
    }
  }
  m["Attribute"] = std::move(attrs);
  misp_objects_.emplace_back(std::move(m));
}

void EventReader::galaxy(const bj::object& sdo) {
  const std::string stix_type = text(sdo, "type");
  std::string galaxy_type = label_value(sdo, "misp:galaxy-type");
  std::string galaxy_name = label_value(sdo, "misp:galaxy-name");
  bj::object cluster;
  cluster["uuid"] = std::string(id_uuid(text(sdo, "id")));
  std::string value = text(sdo, "name");
  if (stix_type == "x-misp-galaxy-cluster") {
    galaxy_type = text(sdo, "x_misp_type");
    galaxy_name = text(sdo, "x_misp_name");
    value = text(sdo, "x_misp_value");
    if (const bj::object* meta = json::get_object(sdo, "x_misp_meta")) cluster["meta"] = *meta;
  } else {
    if (galaxy_type.empty()) galaxy_type = default_galaxy(stix_type);
    // misp-stix drops the ATT&CK id from MITRE cluster values; put it back.
    if (galaxy_type.rfind("mitre-", 0) == 0) {
      if (const bj::array* refs = json::get_array(sdo, "external_references")) {
        for (const auto& r : *refs) {
          if (r.is_object() && text(r.get_object(), "source_name") == "mitre-attack" &&
              !text(r.get_object(), "external_id").empty()) {
            value += " - " + text(r.get_object(), "external_id");
            break;
          }
        }
      }
    }
    cluster["description"] = text(sdo, "description");
  }
  if (galaxy_name.empty()) galaxy_name = galaxy_type;
  std::string tag;
  for (const auto& t : tags_of(sdo, true)) {
    std::string_view n = t.at("name").get_string();
    if (n.rfind("misp-galaxy:", 0) == 0) tag = std::string(n);
  }
  if (tag.empty()) tag = "misp-galaxy:" + galaxy_type + "=\"" + value + "\"";
  cluster["type"] = galaxy_type;
  cluster["value"] = value;
  cluster["tag_name"] = tag;
  bj::object& g = galaxies_[galaxy_type];
  if (g.empty()) {
    g["name"] = galaxy_name;
    g["type"] = galaxy_type;
    g["GalaxyCluster"] = bj::array();
  }
  g["GalaxyCluster"].get_array().emplace_back(std::move(cluster));
  tags_.emplace_back(bj::object{{"name", tag}});
}

void EventReader::sighting(const bj::object& s, bool false_positive) {
  std::string target = false_positive ? "" : text(s, "sighting_of_ref");
  if (false_positive) {
    if (const bj::array* refs = json::get_array(s, "object_refs")) {
      if (!refs->empty() && refs->front().is_string()) target = refs->front().get_string();
    }
  }
  auto it = attribute_of_.find(target);
  if (it == attribute_of_.end()) return;
  bj::object out;
  out["uuid"] = std::string(id_uuid(text(s, "id")));
  out["type"] = false_positive ? "1" : "0";
  out["date_sighting"] = epoch_text(text(s, "created"));
  out["source"] = text(s, "description");
  std::string org = false_positive ? text(s, "x_misp_organisation_ref") : "";
  if (const bj::array* w = json::get_array(s, "where_sighted_refs"); w && !w->empty()) {
    org = w->front().is_string() ? std::string(w->front().get_string()) : "";
  }
  if (const bj::object* identity = get(org)) {
    out["Organisation"] = bj::object{{"uuid", std::string(id_uuid(org))},
                                     {"name", text(*identity, "name")}};
  }
  sightings_[it->second].emplace_back(std::move(out));
  use(text(s, "id"));
}

bj::object EventReader::read() {
  const bj::object* report = nullptr;
  for (const auto& v : objects_) {
    const std::string type = text(v.get_object(), "type");
    if (type == "report" || type == "grouping") {
      report = &v.get_object();
      break;
    }
  }
  if (report != nullptr) {
    event_header(*report);
    if (const bj::object* creator = get(text(*report, "created_by_ref"))) {
      event_["Orgc"] = bj::object{{"uuid", std::string(id_uuid(text(*creator, "id")))},
                                  {"name", text(*creator, "name")}};
    }
  } else {
    // No report to take it from: the uuid follows the objects, so the same
    // bundle always makes the same event and different bundles differ.
    std::string ids;
    for (const auto& v : objects_) ids += text(v.get_object(), "id") + "\n";
    event_["uuid"] = stix::uuid_v5(kMispNamespace, "stix bundle\n" + ids);
    event_["info"] = "STIX 2.1 bundle";
    event_["threat_level_id"] = "4";
    event_["analysis"] = "0";
    event_["published"] = false;
  }

  for (const auto& v : objects_) {
    const bj::object& o = v.get_object();
    const std::string type = text(o, "type"), id = text(o, "id");
    if (type == "observed-data") {
      const bj::object* ind = nullptr;
      if (auto it = indicator_of_.find(id); it != indicator_of_.end()) ind = get(it->second);
      if (std::string t = label_value(o, "misp:type"); !t.empty()) {
        labelled_attribute(t, &o, ind);
      } else if (std::string n = label_value(o, "misp:name"); !n.empty()) {
        labelled_object(n, o, &o, ind);
      } else {
        foreign_observed(o);
        if (ind != nullptr) foreign_indicator(*ind);
      }
      use(id);
      if (ind != nullptr) use(text(*ind, "id"));
      for (const auto* s : scos_of(o)) use(text(*s, "id"));
    } else if (type == "indicator") {
      if (used_.count(id) > 0 || [&] {
            for (const auto& [od, ind] : indicator_of_) {
              if (ind == id && get(od) != nullptr) return true;  // read with its observation
            }
            return false;
          }()) {
        continue;
      }
      if (std::string t = label_value(o, "misp:type"); !t.empty()) {
        labelled_attribute(t, nullptr, &o);
      } else {
        foreign_indicator(o);
      }
      use(id);
    } else if (type == "vulnerability") {
      if (!label_value(o, "misp:name").empty()) {
        labelled_object(label_value(o, "misp:name"), o, nullptr, nullptr);
      } else if (!label_value(o, "misp:galaxy-type").empty()) {
        galaxy(o);
      } else {
        vulnerability(o);
      }
      use(id);
    } else if (type == "campaign" && label_value(o, "misp:galaxy-type").empty()) {
      bj::object a = attribute_base(o, "campaign-name", text(o, "name"));
      remember(a, {&o});
      attributes_.emplace_back(std::move(a));
      use(id);
    } else if (is_galaxy_type(type) || type == "campaign") {
      galaxy(o);
      use(id);
    } else if (type == "x-misp-attribute") {
      custom_attribute(o);
      use(id);
    } else if (type == "x-misp-object") {
      custom_object(o);
      use(id);
    } else if (type == "identity" || type == "marking-definition" || type == "relationship" ||
               type == "note" || type == "report" || type == "grouping") {
      use(id);  // carried by the event header, tags and pairings
    }
  }
  for (const auto& v : objects_) {  // sightings last: their targets exist now
    const bj::object& o = v.get_object();
    const std::string type = text(o, "type");
    if (type == "sighting") sighting(o, false);
    if (type == "opinion" && text(o, "opinion") == "strongly-disagree") sighting(o, true);
  }
  for (const auto& v : objects_) {
    const bj::object& o = v.get_object();
    if (used_.count(text(o, "id")) == 0) ++unused_[text(o, "type")];
  }

  auto attach = [&](bj::array& attrs) {
    for (auto& a : attrs) {
      auto it = sightings_.find(text(a.get_object(), "uuid"));
      if (it != sightings_.end()) a.get_object()["Sighting"] = it->second;
    }
  };
  attach(attributes_);
  for (auto& m : misp_objects_) attach(m.get_object()["Attribute"].get_array());
  // MISP refuses a second attribute of the same type and value in an event
  // (two findings naming one CVE, two alerts naming one domain): keep the
  // first, with the sightings of both.
  bj::array unique;
  std::map<std::string, std::size_t> seen;  // type and value -> index in unique
  for (auto& a : attributes_) {
    bj::object& o = a.get_object();
    auto [it, fresh] = seen.emplace(text(o, "type") + '\n' + text(o, "value"), unique.size());
    if (fresh) {
      unique.emplace_back(std::move(a));
      continue;
    }
    if (bj::value* sightings = o.if_contains("Sighting"); sightings && sightings->is_array()) {
      bj::object& kept = unique[it->second].get_object();
      bj::value& into = kept["Sighting"];
      if (!into.is_array()) into = bj::array();
      for (auto& s : sightings->get_array()) into.get_array().push_back(std::move(s));
    }
  }
  event_["Tag"] = std::move(tags_);
  event_["Attribute"] = std::move(unique);
  event_["Object"] = std::move(misp_objects_);
  bj::array galaxies;
  for (auto& [type, g] : galaxies_) galaxies.emplace_back(std::move(g));
  event_["Galaxy"] = std::move(galaxies);
  return bj::object{{"Event", std::move(event_)}};
}

}  // namespace atio::convert::misp
