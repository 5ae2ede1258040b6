// Enrichment of a STIX bundle made by a converter: each detection it holds
// (detection.h) is matched to its asset, given an importance and, through
// the asset, a risk (risk.h), checked against the policies (policy.h) and
// counted in the sighting book (sightings.h). The results are written on the
// bundle as custom properties of the object the detection was read from
// (the report of an alert, the `has` relationship of a vulnerability):
//   x_atio_detection_id, x_atio_importance, x_atio_asset {id, name, owner,
//   tags, criticality} and x_atio_asset_risk when an asset matched,
//   x_atio_policies [{name, response, priority}], x_atio_first_seen,
//   x_atio_last_seen, x_atio_count, and x_atio_<tool>_id for every id a
//   receiving tool gave the detection (x_atio_misp_id, x_atio_iris_id).
// An alert's sighting becomes the detection's one sighting: its id is
// derived from the detection id, and first_seen/last_seen/count cover every
// occurrence so far.
#pragma once

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include <chrono>
#include <vector>

#include "atio/core/status.h"
#include "atio/cti/enrich/asset.h"
#include "atio/cti/enrich/policy.h"
#include "atio/cti/enrich/risk.h"
#include "atio/cti/enrich/sightings.h"

namespace atio::enrich {

struct Knowledge {
  const AssetIndex* assets = nullptr;          // REQUIRED
  const RiskModel* risk = nullptr;             // REQUIRED
  const std::vector<Policy>* policies = nullptr;  // REQUIRED (may be empty)
  SightingBook* sightings = nullptr;           // REQUIRED
};

// Enriches `bundle` in place and returns one summary per detection:
//   {"detection_id", "kind", "signature", "name", "source", "target",
//    "severity", "confidence", "time", "importance", "asset" (object or
//    null), "asset_risk" (or null), "policies": [...], "response": [...]
//    (every policy's responses, once each), "first_seen", "last_seen",
//    "count", "misp_id", "iris_id" (or null)}.
// `now` (a STIX timestamp) is the sighting's `modified`. kInvalidArgument
// when `bundle` is not a bundle; errors of the sighting book are returned.
Result<boost::json::array> enrich_bundle(boost::json::object* bundle, const Knowledge& knowledge,
                                         const std::string& now);

}  // namespace atio::enrich
