// A small read for whoever exports case metrics (a Prometheus /metrics, a
// dashboard): the number of cases by status, and the durations of the cases
// changed recently. Definitions as in metrics.h.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "atio/cases/metrics.h"
#include "atio/core/status.h"
#include "atio/store/store.h"

namespace atio::cases {

struct CaseMetricsSnapshot {
  std::map<std::string, std::int64_t> by_status;  // "new" -> 3, ...
  // One entry per case updated at or after `updated_since_ms`, oldest first.
  std::vector<Durations> recent;
};

Result<CaseMetricsSnapshot> read_case_metrics(store::Store& store, std::int64_t updated_since_ms,
                                              MttrEnd mttr_end = MttrEnd::kResponded);

}  // namespace atio::cases
