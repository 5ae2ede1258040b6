#include "atio/cases/snapshot.h"

namespace atio::cases {

Result<CaseMetricsSnapshot> read_case_metrics(store::Store& store, std::int64_t updated_since_ms,
                                              MttrEnd mttr_end) {
  CaseMetricsSnapshot s;
  ATIO_ASSIGN_OR_RETURN(s.by_status, store.case_status_counts());
  store::CaseTimesFilter f;
  f.since_ms = updated_since_ms;
  f.by_updated = true;
  ATIO_ASSIGN_OR_RETURN(auto times, store.case_times(f));
  s.recent.reserve(times.size());
  for (const auto& t : times) s.recent.push_back(durations(t, mttr_end));
  return s;
}

}  // namespace atio::cases
