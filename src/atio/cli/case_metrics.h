// The cases' families of GET /metrics (docs/metrics.md), read from the store
// at each scrape: atio_cases{status} and the histograms of every case's
// MTTD, MTTA and MTTR in seconds (docs/cases.md for the definitions).
#pragma once

#include "atio/cases/metrics.h"
#include "atio/metrics/metrics.h"
#include "atio/store/store.h"

namespace atio::cli {

// REQUIRES: `store` outlives the registration.
[[nodiscard]] metrics::Registration watch_case_metrics(metrics::Metrics& metrics,
                                                       store::Store& store,
                                                       cases::MttrEnd mttr_end);

}  // namespace atio::cli
