#include "atio/cases/model.h"

#include <initializer_list>

namespace atio::cases {

const char* const kStatusRule =
    "a case moves new -> acknowledged -> responding -> resolved one step at a time, or from "
    "new, acknowledged or responding to false_positive; resolved and false_positive are final";

const char* to_string(CaseStatus s) {
  switch (s) {
    case CaseStatus::kNew: return "new";
    case CaseStatus::kAcknowledged: return "acknowledged";
    case CaseStatus::kResponding: return "responding";
    case CaseStatus::kResolved: return "resolved";
    case CaseStatus::kFalsePositive: return "false_positive";
  }
  return "?";
}

bool parse_status(std::string_view text, CaseStatus* out) {
  for (CaseStatus s : {CaseStatus::kNew, CaseStatus::kAcknowledged, CaseStatus::kResponding,
                       CaseStatus::kResolved, CaseStatus::kFalsePositive}) {
    if (text == to_string(s)) {
      *out = s;
      return true;
    }
  }
  return false;
}

bool is_open(CaseStatus s) {
  return s == CaseStatus::kNew || s == CaseStatus::kAcknowledged || s == CaseStatus::kResponding;
}

Status check_transition(CaseStatus from, CaseStatus to) {
  const bool next = static_cast<int>(to) == static_cast<int>(from) + 1 &&
                    to != CaseStatus::kFalsePositive;
  const bool dismissed = to == CaseStatus::kFalsePositive && is_open(from);
  if (next || dismissed) return Status();
  return Status(Code::kConflict, std::string("status: ") + to_string(from) + " -> " +
                                     to_string(to) + " is not allowed: " + kStatusRule);
}

const char* to_string(Severity s) {
  switch (s) {
    case Severity::kInfo: return "info";
    case Severity::kLow: return "low";
    case Severity::kMedium: return "medium";
    case Severity::kHigh: return "high";
    case Severity::kCritical: return "critical";
  }
  return "?";
}

bool parse_severity(std::string_view text, Severity* out) {
  for (Severity s : {Severity::kInfo, Severity::kLow, Severity::kMedium, Severity::kHigh,
                     Severity::kCritical}) {
    if (text == to_string(s)) {
      *out = s;
      return true;
    }
  }
  return false;
}

Severity severity_from_score(double score) {
  if (score <= 0) return Severity::kInfo;
  if (score < 4.0) return Severity::kLow;
  if (score < 7.0) return Severity::kMedium;
  if (score < 9.0) return Severity::kHigh;
  return Severity::kCritical;
}

std::string higher_severity(const std::string& a, const std::string& b) {
  Severity sa = Severity::kInfo, sb = Severity::kInfo;
  const bool ka = parse_severity(a, &sa), kb = parse_severity(b, &sb);
  if (!ka) return b;
  if (!kb) return a;
  return static_cast<int>(sb) > static_cast<int>(sa) ? b : a;
}

}  // namespace atio::cases
