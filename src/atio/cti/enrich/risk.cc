#include "atio/cti/enrich/risk.h"

#include <algorithm>
#include <cmath>
#include <string>

namespace atio::enrich {

namespace bj = boost::json;

namespace {

bool read_number(const bj::value& v, double* out) {
  if (v.is_double()) *out = v.get_double();
  else if (v.is_int64()) *out = static_cast<double>(v.get_int64());
  else if (v.is_uint64()) *out = static_cast<double>(v.get_uint64());
  else return false;
  return true;
}

}  // namespace

Result<RiskModel> RiskModel::from_json(const bj::value& config) {
  RiskModel m;
  if (config.is_null()) return m;
  if (!config.is_object()) return Status(Code::kInvalidArgument, "risk: must be a JSON object");
  for (const auto& kv : config.get_object()) {
    const std::string key(kv.key());
    const std::string at = "risk/" + key;
    double d = 0;
    if (key == "alert_severity" || key == "criticality_weight") {
      if (!kv.value().is_object()) return Status(Code::kInvalidArgument, at + ": must be an object");
      for (const auto& e : kv.value().get_object()) {
        const std::string k(e.key());
        if (!read_number(e.value(), &d)) {
          return Status(Code::kInvalidArgument, at + "/" + k + ": must be a number");
        }
        if (key == "alert_severity") {
          if (d < 0 || d > 10) return Status(Code::kInvalidArgument, at + "/" + k + ": must be 0..10");
          if (k == "default") {
            m.alert_severity_default_ = d;
          } else if (!k.empty() && std::all_of(k.begin(), k.end(), ::isdigit) && k.size() < 4) {
            m.alert_severity_[std::stoi(k)] = d;
          } else {
            return Status(Code::kInvalidArgument, at + "/" + k + ": keys are severities or \"default\"");
          }
        } else {
          if (k.size() != 1 || k[0] < '1' || k[0] > '5') {
            return Status(Code::kInvalidArgument, at + "/" + k + ": keys are criticalities 1..5");
          }
          if (d < 0 || d > 1) return Status(Code::kInvalidArgument, at + "/" + k + ": must be 0..1");
          m.criticality_weight_[static_cast<std::size_t>(k[0] - '0')] = d;
        }
      }
    } else if (key == "confidence_floor" || key == "unknown_asset_weight") {
      if (!read_number(kv.value(), &d) || d < 0 || d > 1) {
        return Status(Code::kInvalidArgument, at + ": must be a number from 0 to 1");
      }
      (key == "confidence_floor" ? m.confidence_floor_ : m.unknown_asset_weight_) = d;
    } else if (key == "risk_window_days") {
      if (!kv.value().is_int64() || kv.value().get_int64() < 1 || kv.value().get_int64() > 3650) {
        return Status(Code::kInvalidArgument, at + ": must be an integer from 1 to 3650");
      }
      m.risk_window_days_ = static_cast<int>(kv.value().get_int64());
    } else {
      return Status(Code::kInvalidArgument,
                    at + ": unknown (known: alert_severity, confidence_floor, criticality_weight, "
                         "unknown_asset_weight, risk_window_days)");
    }
  }
  return m;
}

double RiskModel::alert_severity(int severity) const {
  auto it = alert_severity_.find(severity);
  return it == alert_severity_.end() ? alert_severity_default_ : it->second;
}

int RiskModel::importance(double severity, int confidence, int criticality) const {
  const double s = std::clamp(severity, 0.0, 10.0) / 10.0;
  const double conf = confidence < 0 ? 50 : std::clamp(confidence, 0, 100);
  const double c = confidence_floor_ + (1 - confidence_floor_) * conf / 100.0;
  const double a = criticality >= 1 && criticality <= 5
                       ? criticality_weight_[static_cast<std::size_t>(criticality)]
                       : unknown_asset_weight_;
  return static_cast<int>(std::lround(100.0 * s * c * a));
}

int RiskModel::asset_risk(const std::vector<int>& importances) const {
  double none = 1.0;  // probability-like: no detection matters
  for (int i : importances) none *= 1.0 - std::clamp(i, 0, 100) / 100.0;
  return static_cast<int>(std::lround(100.0 * (1.0 - none)));
}

bj::object RiskModel::to_json() const {
  bj::object sev;
  for (const auto& [k, v] : alert_severity_) sev[std::to_string(k)] = v;
  sev["default"] = alert_severity_default_;
  bj::object crit;
  for (int i = 1; i <= 5; ++i) crit[std::to_string(i)] = criticality_weight_[static_cast<std::size_t>(i)];
  return bj::object{{"alert_severity", sev},
                    {"confidence_floor", confidence_floor_},
                    {"criticality_weight", crit},
                    {"unknown_asset_weight", unknown_asset_weight_},
                    {"risk_window_days", risk_window_days_}};
}

}  // namespace atio::enrich
