// Importance of a detection and risk of an asset, from the detection's
// severity and confidence and the asset's criticality.
//
//   importance (0..100) = round(100 * S * C * A)
//     S = severity / 10; severity is a CVSS base score (0..10) for a
//         vulnerability, or an alert's severity mapped through
//         alert_severity (Suricata 1 -> 9, 2 -> 6, 3 -> 3, other -> 1)
//     C = confidence_floor + (1 - confidence_floor) * confidence / 100
//         (unknown confidence counts as 50); the floor keeps a
//         low-confidence detection on a critical asset from vanishing
//     A = criticality_weight[asset criticality 1..5], or unknown_asset_weight
//         when the target matches no asset
//   asset risk (0..100) = 100 * (1 - product over the asset's detections seen
//         within risk_window_days of (1 - importance / 100)): many moderate
//         detections add up, one certain critical detection is enough.
//
// Configuration (JSON, every member optional):
//   {"alert_severity": {"1": 9, "2": 6, "3": 3, "default": 1},
//    "confidence_floor": 0.5,
//    "criticality_weight": {"1": 0.4, "2": 0.6, "3": 0.8, "4": 0.9, "5": 1.0},
//    "unknown_asset_weight": 0.8,
//    "risk_window_days": 30}
#pragma once

#include <boost/json/value.hpp>

#include <array>
#include <map>
#include <vector>

#include "atio/core/json.h"
#include "atio/core/status.h"

namespace atio::enrich {

class RiskModel {
 public:
  RiskModel() = default;
  // Errors name the member and the rule.
  static Result<RiskModel> from_json(const boost::json::value& config);

  // An alert severity (as the detector numbers it) on the 0..10 scale.
  double alert_severity(int severity) const;
  // criticality 0 means "no matching asset".
  int importance(double severity_0_10, int confidence, int criticality) const;
  int asset_risk(const std::vector<int>& importances) const;
  int risk_window_days() const { return risk_window_days_; }

  boost::json::object to_json() const;

 private:
  std::map<int, double> alert_severity_{{1, 9}, {2, 6}, {3, 3}};
  double alert_severity_default_ = 1;
  double confidence_floor_ = 0.5;
  std::array<double, 6> criticality_weight_{0.8, 0.4, 0.6, 0.8, 0.9, 1.0};  // [0] unused
  double unknown_asset_weight_ = 0.8;
  int risk_window_days_ = 30;
};

}  // namespace atio::enrich
