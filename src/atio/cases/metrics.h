// Response times of cases and their aggregates (docs/cases.md):
//   MTTD = detected_at - occurred_at     (time to detect)
//   MTTA = acknowledged_at - detected_at (time to acknowledge)
//   MTTR = responded_at - detected_at    (time to respond), or resolved_at -
//          detected_at when the organisation measures to resolution
//          (atio serve --mttr-end resolved).
// A duration exists only when both of its times are set; a case counts in
// each aggregate for which it has the duration. Aggregates: count, mean,
// median (the middle value, or the mean of the two middle values) and p90
// (nearest rank: the ceil(0.9 n)-th smallest value), in milliseconds.
#pragma once

#include <boost/json/object.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "atio/store/cases.h"

namespace atio::cases {

enum class MttrEnd { kResponded, kResolved };
const char* to_string(MttrEnd e);
bool parse_mttr_end(std::string_view text, MttrEnd* out);

struct Durations {
  std::optional<std::int64_t> mttd_ms, mtta_ms, mttr_ms;
};
Durations durations(const store::CaseTimes& c, MttrEnd end);

struct Summary {
  std::int64_t count = 0;
  double mean_ms = 0, median_ms = 0, p90_ms = 0;  // 0 when count is 0
};
Summary summarize(std::vector<std::int64_t> values_ms);

enum class GroupBy { kNone, kPlaybook, kUseCase, kSeverity };
const char* to_string(GroupBy g);
bool parse_group_by(std::string_view text, GroupBy* out);

struct GroupMetrics {
  std::string key;      // the playbook id, use case or severity; "" for kNone
  std::int64_t cases = 0;
  Summary mttd, mtta, mttr;
};
// One group per key, ordered by key.
std::vector<GroupMetrics> aggregate(const std::vector<store::CaseTimes>& cases, GroupBy by,
                                    MttrEnd end);

// {"key", "cases", "mttd": {"count", "mean_ms", "median_ms", "p90_ms"}, ...}
boost::json::object to_json(const GroupMetrics& g);

}  // namespace atio::cases
