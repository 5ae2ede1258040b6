// The case model: statuses and the one machine that moves between them,
// severities, and the correlation keys of detections (docs/cases.md).
//
// Contract: a case moves new -> acknowledged -> responding -> resolved, one
// step at a time, or from any open status (new, acknowledged, responding) to
// false_positive; resolved and false_positive are final. check_transition()
// is the only judge of that rule, and its refusal names the field
// ("status") and the rule, so a client can show it as it is.
#pragma once

#include <string>
#include <string_view>

#include "atio/core/status.h"

namespace atio::cases {

enum class CaseStatus { kNew, kAcknowledged, kResponding, kResolved, kFalsePositive };
const char* to_string(CaseStatus s);
bool parse_status(std::string_view text, CaseStatus* out);
// new, acknowledged, responding: detections still correlate into the case.
bool is_open(CaseStatus s);

// OK when a case may move from `from` to `to`; else kConflict with the
// message "status: <from> -> <to> is not allowed: <the rule>".
Status check_transition(CaseStatus from, CaseStatus to);
// The rule, as check_transition() states it.
extern const char* const kStatusRule;

enum class Severity { kInfo, kLow, kMedium, kHigh, kCritical };
const char* to_string(Severity s);
bool parse_severity(std::string_view text, Severity* out);
// The CVSS v3 qualitative bands of a 0..10 score: 0 info, < 4 low, < 7
// medium, < 9 high, else critical.
Severity severity_from_score(double score);
// The higher of two severities given by name (an unknown name counts lowest).
std::string higher_severity(const std::string& a, const std::string& b);

}  // namespace atio::cases
