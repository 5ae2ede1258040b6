#include "atio/cases/metrics.h"

#include <algorithm>
#include <map>
#include <numeric>

namespace atio::cases {

const char* to_string(MttrEnd e) { return e == MttrEnd::kResolved ? "resolved" : "responded"; }

bool parse_mttr_end(std::string_view text, MttrEnd* out) {
  if (text == "responded") *out = MttrEnd::kResponded;
  else if (text == "resolved") *out = MttrEnd::kResolved;
  else return false;
  return true;
}

Durations durations(const store::CaseTimes& c, MttrEnd end) {
  Durations d;
  if (c.occurred_at_ms > 0 && c.detected_at_ms > 0) d.mttd_ms = c.detected_at_ms - c.occurred_at_ms;
  if (c.detected_at_ms > 0 && c.acknowledged_at_ms > 0) {
    d.mtta_ms = c.acknowledged_at_ms - c.detected_at_ms;
  }
  const std::int64_t stop = end == MttrEnd::kResolved ? c.resolved_at_ms : c.responded_at_ms;
  if (c.detected_at_ms > 0 && stop > 0) d.mttr_ms = stop - c.detected_at_ms;
  return d;
}

Summary summarize(std::vector<std::int64_t> v) {
  Summary s;
  s.count = static_cast<std::int64_t>(v.size());
  if (v.empty()) return s;
  std::sort(v.begin(), v.end());
  const std::size_t n = v.size();
  s.mean_ms = std::accumulate(v.begin(), v.end(), 0.0) / static_cast<double>(n);
  s.median_ms = n % 2 ? static_cast<double>(v[n / 2])
                      : (static_cast<double>(v[n / 2 - 1]) + static_cast<double>(v[n / 2])) / 2;
  const std::size_t rank = (9 * n + 9) / 10;  // ceil(0.9 n), at least 1
  s.p90_ms = static_cast<double>(v[rank - 1]);
  return s;
}

const char* to_string(GroupBy g) {
  switch (g) {
    case GroupBy::kNone: return "none";
    case GroupBy::kPlaybook: return "playbook";
    case GroupBy::kUseCase: return "use_case";
    case GroupBy::kSeverity: return "severity";
  }
  return "?";
}

bool parse_group_by(std::string_view text, GroupBy* out) {
  for (GroupBy g : {GroupBy::kNone, GroupBy::kPlaybook, GroupBy::kUseCase, GroupBy::kSeverity}) {
    if (text == to_string(g)) {
      *out = g;
      return true;
    }
  }
  return false;
}

std::vector<GroupMetrics> aggregate(const std::vector<store::CaseTimes>& cases, GroupBy by,
                                    MttrEnd end) {
  struct Acc {
    std::int64_t cases = 0;
    std::vector<std::int64_t> mttd, mtta, mttr;
  };
  std::map<std::string, Acc> groups;
  for (const auto& c : cases) {
    const std::string key = by == GroupBy::kPlaybook  ? c.playbook_id
                            : by == GroupBy::kUseCase ? c.use_case
                            : by == GroupBy::kSeverity ? c.severity
                                                       : std::string();
    Acc& a = groups[key];
    ++a.cases;
    const Durations d = durations(c, end);
    if (d.mttd_ms) a.mttd.push_back(*d.mttd_ms);
    if (d.mtta_ms) a.mtta.push_back(*d.mtta_ms);
    if (d.mttr_ms) a.mttr.push_back(*d.mttr_ms);
  }
  std::vector<GroupMetrics> out;
  for (auto& [key, a] : groups) {
    out.push_back(GroupMetrics{key, a.cases, summarize(std::move(a.mttd)),
                               summarize(std::move(a.mtta)), summarize(std::move(a.mttr))});
  }
  return out;
}

boost::json::object to_json(const GroupMetrics& g) {
  auto summary = [](const Summary& s) {
    return boost::json::object{{"count", s.count},
                               {"mean_ms", s.mean_ms},
                               {"median_ms", s.median_ms},
                               {"p90_ms", s.p90_ms}};
  };
  return boost::json::object{{"key", g.key},
                             {"cases", g.cases},
                             {"mttd", summary(g.mttd)},
                             {"mtta", summary(g.mtta)},
                             {"mttr", summary(g.mttr)}};
}

}  // namespace atio::cases
