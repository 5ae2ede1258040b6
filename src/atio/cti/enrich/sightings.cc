#include "atio/cti/enrich/sightings.h"

namespace atio::enrich {

void apply_occurrence(SightingState* s, const std::string& occurrence, const std::string& time,
                      const std::string& asset_id, int importance) {
  if (!occurrence.empty() && occurrence == s->last_occurrence) return;
  // STIX timestamps of one precision compare as text.
  if (s->count == 0 || time < s->first_seen) s->first_seen = time;
  if (s->count == 0 || time > s->last_seen) s->last_seen = time;
  ++s->count;
  s->asset_id = asset_id;
  s->importance = importance;
  s->last_occurrence = occurrence;
}

Result<SightingState> MemorySightingBook::record(const std::string& detection_id,
                                                 const std::string& occurrence,
                                                 const std::string& time,
                                                 const std::string& asset_id, int importance) {
  std::lock_guard<std::mutex> lock(mu_);
  SightingState& s = states_[detection_id];
  s.detection_id = detection_id;
  apply_occurrence(&s, occurrence, time, asset_id, importance);
  return s;
}

Result<std::optional<SightingState>> MemorySightingBook::get(const std::string& detection_id) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = states_.find(detection_id);
  if (it == states_.end()) return std::optional<SightingState>();
  return std::optional<SightingState>(it->second);
}

Result<std::vector<int>> MemorySightingBook::asset_importances(const std::string& asset_id,
                                                               const std::string& since) {
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<int> out;
  for (const auto& [id, s] : states_) {
    if (s.asset_id == asset_id && s.last_seen >= since) out.push_back(s.importance);
  }
  return out;
}

Status MemorySightingBook::set_external_id(const std::string& detection_id,
                                           const std::string& tool, const std::string& id) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = states_.find(detection_id);
  if (it == states_.end()) {
    return Status(Code::kNotFound, "no detection " + detection_id);
  }
  it->second.external_ids[tool] = id;
  return Status::ok();
}

}  // namespace atio::enrich
