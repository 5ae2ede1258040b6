// Sightings kept across events: per detection (see Detection::id), when it
// was first and last seen and how often, so a repeated alert updates one
// story instead of starting a new one; plus the ids that receiving tools gave
// the detection (misp, iris), so later updates go to the same MISP event and
// IRIS alert.
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "atio/core/status.h"

namespace atio::enrich {

struct SightingState {
  std::string detection_id;
  std::string first_seen;  // STIX timestamps (ms precision, UTC)
  std::string last_seen;
  std::int64_t count = 0;
  std::string asset_id;    // "" when the target matched no asset
  int importance = 0;      // of the latest occurrence
  std::string last_occurrence;  // the STIX id that last counted (see record)
  std::map<std::string, std::string> external_ids;  // "misp" -> "1234"
};

class SightingBook {
 public:
  virtual ~SightingBook() = default;

  // Counts one occurrence of a detection at `time` (a STIX timestamp) and
  // returns the updated state. `occurrence` names it (the id of the STIX
  // object it was read from): counting the same occurrence again — a step
  // run again after a crash — changes nothing.
  virtual Result<SightingState> record(const std::string& detection_id,
                                       const std::string& occurrence, const std::string& time,
                                       const std::string& asset_id, int importance) = 0;

  virtual Result<std::optional<SightingState>> get(const std::string& detection_id) = 0;

  // The importances of the detections on an asset last seen at or after
  // `since` (a STIX timestamp).
  virtual Result<std::vector<int>> asset_importances(const std::string& asset_id,
                                                     const std::string& since) = 0;

  // Remembers the id a tool gave the detection. kNotFound for an unknown
  // detection.
  virtual Status set_external_id(const std::string& detection_id, const std::string& tool,
                                 const std::string& id) = 0;
};

// Applies one occurrence to a state (shared by every backend).
void apply_occurrence(SightingState* state, const std::string& occurrence, const std::string& time,
                      const std::string& asset_id, int importance);

// In memory, for tests and `atio run`. Thread-safe.
class MemorySightingBook final : public SightingBook {
 public:
  Result<SightingState> record(const std::string& detection_id, const std::string& occurrence,
                               const std::string& time, const std::string& asset_id,
                               int importance) override;
  Result<std::optional<SightingState>> get(const std::string& detection_id) override;
  Result<std::vector<int>> asset_importances(const std::string& asset_id,
                                             const std::string& since) override;
  Status set_external_id(const std::string& detection_id, const std::string& tool,
                         const std::string& id) override;

 private:
  std::mutex mu_;
  std::map<std::string, SightingState> states_;
};

}  // namespace atio::enrich
