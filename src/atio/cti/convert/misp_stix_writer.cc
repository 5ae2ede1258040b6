// StixWriter: events, reports and the properties every converted object
// shares (ids, timestamps, creator, tags).
#include "atio/cti/convert/misp_stix_writer.h"

#include <chrono>

#include "atio/core/json.h"
#include "atio/cti/convert/misp_types.h"
#include "atio/cti/stix/ids.h"

namespace atio::convert::misp {

namespace {

const bj::array* array_of(const bj::object& o, std::string_view key) {
  return json::get_array(o, key);
}

}  // namespace

bj::array attribute_labels(const bj::object& a) {
  bj::array labels;
  for (std::string_view field : {"type", "category"}) {
    std::string v = text(a, field);
    if (!v.empty()) labels.emplace_back("misp:" + std::string(field) + "=\"" + v + "\"");
  }
  return labels;
}

void StixWriter::add(bj::object o, bool in_report) {
  if (in_report) report_refs_.emplace_back(o.at("id").as_string());
  objects_.emplace_back(std::move(o));
}

bool StixWriter::once(const std::string& id) { return emitted_.insert(id).second; }

bj::object StixWriter::sdo(std::string_view type, std::string_view uuid,
                           std::string_view timestamp) {
  bj::object o;
  o["type"] = type;
  o["spec_version"] = "2.1";
  o["id"] = std::string(type) + "--" + std::string(uuid);
  if (!creator_.empty()) o["created_by_ref"] = creator_;
  o["created"] = timestamp;
  o["modified"] = timestamp;
  return o;
}

std::string StixWriter::timestamp_of(const bj::object& misp) const {
  if (auto t = epoch(text(misp, "timestamp"))) return stix_time(*t);
  if (!event_timestamp_.empty()) return event_timestamp_;
  return stix_time(std::chrono::system_clock::now());
}

void StixWriter::apply_tags(const bj::object& misp, bj::object* stix,
                            const std::set<std::string>& skip) {
  const bj::array* tags = array_of(misp, "Tag");
  if (tags == nullptr) return;
  for (const bj::value& t : *tags) {
    if (!t.is_object()) continue;
    std::string name = text(t.get_object(), "name");
    if (name.empty() || skip.count(name) > 0) continue;
    if (auto marking = tlp_marking(name)) {
      std::string id(marking->at("id").as_string());
      bj::value& refs = (*stix)["object_marking_refs"];
      if (!refs.is_array()) refs = bj::array();
      bool have = false;
      for (const auto& r : refs.get_array()) have = have || r.as_string() == id;
      if (!have) refs.get_array().emplace_back(id);
      if (once(id)) pending_markings_.push_back(id);
      continue;
    }
    bj::value& labels = (*stix)["labels"];
    if (!labels.is_array()) labels = bj::array();
    labels.get_array().emplace_back(name);
  }
}

void StixWriter::identity(std::string_view uuid, std::string_view name,
                          std::string_view timestamp) {
  std::string id = "identity--" + std::string(uuid);
  if (!once(id)) return;
  bj::object o;
  o["type"] = "identity";
  o["spec_version"] = "2.1";
  o["id"] = id;
  o["created"] = timestamp;
  o["modified"] = timestamp;
  o["name"] = name;
  o["identity_class"] = "organization";
  add(std::move(o), /*in_report=*/false);
}

void StixWriter::event(const bj::object& e) {
  report_refs_.clear();
  creator_.clear();
  event_timestamp_.clear();
  event_timestamp_ = timestamp_of(e);
  if (const bj::object* orgc = json::get_object(e, "Orgc")) {
    std::string uuid = text(*orgc, "uuid"), name = text(*orgc, "name");
    if (!uuid.empty() && !name.empty()) {
      identity(uuid, name, event_timestamp_);
      creator_ = "identity--" + uuid;
    }
  }
  const std::size_t report_at = objects_.size();
  if (const bj::array* attrs = array_of(e, "Attribute")) {
    for (const bj::value& a : *attrs) {
      if (a.is_object()) attribute(a.get_object());
    }
  }
  if (const bj::array* objs = array_of(e, "Object")) {
    for (const bj::value& o : *objs) {
      if (o.is_object()) object(o.get_object());
    }
  }
  report(e, report_at);
}

void StixWriter::report(const bj::object& e, std::size_t report_at) {
  std::set<std::string> galaxy_tags;
  if (const bj::array* g = array_of(e, "Galaxy")) {
    for (auto& id : galaxies(*g, event_timestamp_, &galaxy_tags)) report_refs_.push_back(id);
  }
  std::string uuid = text(e, "uuid");
  if (uuid.empty()) uuid = stix::uuid_v5(kMispNamespace, text(e, "info") + text(e, "date"));

  const auto published_at = epoch(text(e, "publish_timestamp"));
  const bool published = flag(e, "published") && published_at &&
                         published_at->time_since_epoch().count() > 0;
  const bool as_report = published || options_.unpublished_as_report;
  bj::object r = sdo(as_report ? "report" : "grouping", uuid, event_timestamp_);
  r["name"] = e.contains("info") ? text(e, "info") : "MISP event " + uuid;
  if (as_report) {
    std::string when;
    stix::TimePoint date;
    if (published) {
      when = stix_time(*published_at);
    } else if (stix::parse_time(text(e, "date"), &date)) {
      when = stix_time(date);
    } else {
      when = event_timestamp_;
    }
    r["published"] = when;
  } else {
    r["context"] = "suspicious-activity";
  }
  r["labels"] = bj::array{"Threat-Report", "misp:tool=\"MISP-STIX-Converter\""};
  apply_tags(e, &r, galaxy_tags);
  // What misp-stix has no place for, kept so that STIX -> MISP can restore it.
  for (std::string_view key : {"threat_level_id", "analysis", "date"}) {
    std::string v = text(e, key);
    if (!v.empty()) r["x_misp_" + std::string(key)] = v;
  }
  if (std::string id = text(e, "id"); !id.empty()) r["x_atio_misp_id"] = id;

  if (report_refs_.empty()) {
    // A report needs at least one reference; misp-stix adds this note.
    bj::object note = sdo("note", uuid, event_timestamp_);
    note["content"] = "This MISP Event is empty and contains no attribute, object, galaxy or tag.";
    note["object_refs"] = bj::array{r.at("id")};
    add(std::move(note));
  }
  bj::array refs;
  for (auto& id : report_refs_) refs.emplace_back(id);
  r["object_refs"] = std::move(refs);
  objects_.insert(objects_.begin() + static_cast<std::ptrdiff_t>(report_at), std::move(r));
  for (const auto& id : pending_markings_) {
    if (auto m = tlp_marking(tlp_tag(id))) objects_.emplace_back(std::move(*m));
  }
  pending_markings_.clear();
  report_refs_.clear();
}

void StixWriter::attributes(const bj::array& attrs) {
  for (const bj::value& v : attrs) {
    if (!v.is_object()) continue;
    const bj::object* a = &v.get_object();
    if (const bj::object* inner = json::get_object(*a, "Attribute")) a = inner;
    creator_.clear();
    if (const bj::object* ev = json::get_object(*a, "Event")) {
      if (const bj::object* orgc = json::get_object(*ev, "Orgc")) {
        std::string uuid = text(*orgc, "uuid");
        if (!uuid.empty()) {
          identity(uuid, text(*orgc, "name"), timestamp_of(*a));
          creator_ = "identity--" + uuid;
        }
      }
    }
    attribute(*a);
  }
  for (const auto& id : pending_markings_) {
    if (auto m = tlp_marking(tlp_tag(id))) objects_.emplace_back(std::move(*m));
  }
  pending_markings_.clear();
  report_refs_.clear();
}

bj::object StixWriter::bundle(std::string_view bundle_uuid) {
  bj::object b;
  b["type"] = "bundle";
  b["id"] = bundle_uuid.empty() ? stix::random_id("bundle")
                                : "bundle--" + std::string(bundle_uuid);
  b["objects"] = std::move(objects_);
  objects_ = bj::array();
  emitted_.clear();
  return b;
}

}  // namespace atio::convert::misp
