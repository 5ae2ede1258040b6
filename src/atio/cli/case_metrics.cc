#include "atio/cli/case_metrics.h"

#include "atio/cases/snapshot.h"
#include "atio/metrics/snapshot.h"

namespace atio::cli {

namespace {

// From a second to a day: MTTD and MTTA run from milliseconds (atio alone)
// to hours (a person, a nightly scan).
const std::vector<double> kBounds = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1,    2.5,
                                     5,     10,   30,    60,   300, 900,  3600, 14400, 86400};

}  // namespace

metrics::Registration watch_case_metrics(metrics::Metrics& m, store::Store& store,
                                         cases::MttrEnd mttr_end) {
  return m.add_collector([&store, mttr_end]() {
    std::vector<prometheus::MetricFamily> out;
    // Every case: histogram counts only grow, as Prometheus expects.
    auto snapshot = cases::read_case_metrics(store, 0, mttr_end);
    if (!snapshot.is_ok()) return out;
    std::vector<metrics::Sample> statuses;
    for (const auto& [status, n] : snapshot->by_status) {
      statuses.push_back({{{"status", status}}, static_cast<double>(n)});
    }
    if (auto f = metrics::gauge_snapshot("atio_cases", "Cases by status", statuses); f.is_ok()) {
      out.push_back(std::move(*f));
    }
    std::vector<double> mttd, mtta, mttr;
    for (const auto& d : snapshot->recent) {
      if (d.mttd_ms) mttd.push_back(static_cast<double>(*d.mttd_ms) / 1000.0);
      if (d.mtta_ms) mtta.push_back(static_cast<double>(*d.mtta_ms) / 1000.0);
      if (d.mttr_ms) mttr.push_back(static_cast<double>(*d.mttr_ms) / 1000.0);
    }
    for (auto [name, help, values] :
         {std::tuple{"atio_case_mttd_seconds", "Time to detect of each case (detected - occurred)", &mttd},
          std::tuple{"atio_case_mtta_seconds", "Time to acknowledge of each case (acknowledged - detected)", &mtta},
          std::tuple{"atio_case_mttr_seconds", "Time to respond of each case (responded or resolved - detected)", &mttr}}) {
      auto f = metrics::histogram_snapshot(name, help, kBounds, {{{}, *values}});
      if (f.is_ok()) out.push_back(std::move(*f));
    }
    return out;
  });
}

}  // namespace atio::cli
