#include "atio/cti/enrich/enricher.h"

#include <algorithm>
#include <chrono>

#include "atio/cti/stix/object.h"
#include "atio/cti/stix/time.h"

namespace atio::enrich {

namespace bj = boost::json;

namespace {

bj::object* find_object(bj::array& objects, std::string_view id) {
  for (auto& v : objects) {
    if (v.is_object() && stix::ObjectView(v.get_object()).id() == id) return &v.get_object();
  }
  return nullptr;
}

bj::value asset_json(const Asset* a) {
  if (a == nullptr) return nullptr;
  bj::array tags;
  for (const auto& t : a->tags) tags.emplace_back(t);
  return bj::object{{"id", a->id},       {"name", a->name},
                    {"owner", a->owner}, {"tags", std::move(tags)},
                    {"criticality", a->criticality}};
}

// The window start for asset risk: `time` minus the model's window.
std::string window_start(const std::string& time, int days) {
  stix::TimePoint t;
  if (!stix::parse_time(time, &t)) return "";
  return stix::format_time(t - std::chrono::hours(24) * days);
}

// Makes the alert's sighting the detection's one sighting.
void merge_sighting(bj::array& objects, bj::object& report, const SightingState& state,
                    const std::string& now) {
  const std::string id = "sighting--" + state.detection_id;
  for (auto& v : objects) {
    if (!v.is_object()) continue;
    bj::object& o = v.get_object();
    if (stix::ObjectView(o).type() != "sighting") continue;
    const std::string old(stix::ObjectView(o).id());
    o["id"] = id;
    o["created"] = state.first_seen;
    o["modified"] = std::max(now, state.first_seen);
    o["first_seen"] = state.first_seen;
    o["last_seen"] = state.last_seen;
    o["count"] = state.count;
    if (bj::value* refs = report.if_contains("object_refs"); refs && refs->is_array()) {
      for (auto& r : refs->get_array()) {
        if (r.is_string() && r.get_string() == old) r = id;
      }
    }
    return;
  }
}

}  // namespace

Result<bj::array> enrich_bundle(bj::object* bundle, const Knowledge& k, const std::string& now) {
  ATIO_ASSIGN_OR_RETURN(std::vector<Detection> detections, read_detections(*bundle));
  bj::array& objects = bundle->at("objects").as_array();
  bj::array summaries;
  for (const Detection& d : detections) {
    const Asset* asset = k.assets->match_address(d.target);
    for (std::size_t i = 0; asset == nullptr && i < d.target_hostnames.size(); ++i) {
      asset = k.assets->match_hostname(d.target_hostnames[i]);
    }
    const double severity = d.kind == Detection::Kind::kAlert && d.alert_severity >= 0
                                ? k.risk->alert_severity(d.alert_severity)
                                : d.severity;
    Detection scored = d;
    scored.severity = severity;
    const int importance = k.risk->importance(severity, d.confidence, asset ? asset->criticality : 0);
    const std::string detection_id = d.id();
    stix::TimePoint when;
    const std::string time =
        stix::parse_time(d.time, &when) ? stix::format_time(when) : now;
    ATIO_ASSIGN_OR_RETURN(SightingState state,
                          k.sightings->record(detection_id, d.anchor_id, time,
                                              asset ? asset->id : "", importance));
    bj::value asset_risk = nullptr;
    if (asset != nullptr) {
      ATIO_ASSIGN_OR_RETURN(std::vector<int> importances,
                            k.sightings->asset_importances(
                                asset->id, window_start(time, k.risk->risk_window_days())));
      asset_risk = k.risk->asset_risk(importances);
    }
    bj::array policies, response;
    for (const Policy& p : *k.policies) {
      if (!p.matches(scored, asset, importance)) continue;
      policies.emplace_back(p.to_json());
      for (const auto& r : p.response) {
        if (std::find(response.begin(), response.end(), bj::value(r)) == response.end()) {
          response.emplace_back(r);
        }
      }
    }
    if (bj::object* anchor = find_object(objects, d.anchor_id)) {
      (*anchor)["x_atio_detection_id"] = detection_id;
      (*anchor)["x_atio_importance"] = importance;
      if (asset != nullptr) {
        (*anchor)["x_atio_asset"] = asset_json(asset);
        (*anchor)["x_atio_asset_risk"] = asset_risk;
      }
      if (!policies.empty()) (*anchor)["x_atio_policies"] = policies;
      (*anchor)["x_atio_first_seen"] = state.first_seen;
      (*anchor)["x_atio_last_seen"] = state.last_seen;
      (*anchor)["x_atio_count"] = state.count;
      for (const auto& [tool, id] : state.external_ids) (*anchor)["x_atio_" + tool + "_id"] = id;
      if (d.kind == Detection::Kind::kAlert) merge_sighting(objects, *anchor, state, now);
    }
    auto external = [&](const char* tool) -> bj::value {
      auto it = state.external_ids.find(tool);
      return it == state.external_ids.end() ? bj::value(nullptr) : bj::value(it->second);
    };
    bj::array techniques;
    for (const auto& t : d.techniques) techniques.emplace_back(t);
    summaries.emplace_back(bj::object{
        {"detection_id", detection_id},
        {"kind", d.kind == Detection::Kind::kAlert ? "alert" : "vulnerability"},
        {"signature", d.signature},
        {"name", d.name},
        {"source", d.source},
        {"target", d.target},
        {"severity", severity},
        {"confidence", d.confidence < 0 ? bj::value(nullptr) : bj::value(d.confidence)},
        {"techniques", std::move(techniques)},
        {"time", time},
        {"importance", importance},
        {"asset", asset_json(asset)},
        {"asset_risk", asset_risk},
        {"policies", std::move(policies)},
        {"response", std::move(response)},
        {"first_seen", state.first_seen},
        {"last_seen", state.last_seen},
        {"count", state.count},
        {"misp_id", external("misp")},
        {"iris_id", external("iris")},
        {"anchor_id", d.anchor_id},
        {"host_id", d.host_id}});
  }
  return summaries;
}

}  // namespace atio::enrich
