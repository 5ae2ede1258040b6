// Families of current values for a Collector (metrics.h): a collector reads
// what it reports (from a store, a table in memory) at each scrape and turns
// it into families with these, instead of keeping instruments in step with
// its data.
//
// Contract: each function checks what Prometheus requires of the input (a
// valid metric name and label names, a one-line help text, histogram bounds
// that increase) and returns kInvalidArgument naming the problem otherwise;
// the family it returns renders as valid text exposition.
#pragma once

#include <prometheus/metric_family.h>

#include <string>
#include <utility>
#include <vector>

#include "atio/core/status.h"

namespace atio::metrics {

using LabelPairs = std::vector<std::pair<std::string, std::string>>;  // name, value

struct Sample {
  LabelPairs labels;
  double value = 0;
};

// A gauge family, one series per sample (e.g. atio_cases{status="new"} 3).
Result<prometheus::MetricFamily> gauge_snapshot(const std::string& name, const std::string& help,
                                                const std::vector<Sample>& samples);
// A counter family; `name` ends in _total.
Result<prometheus::MetricFamily> counter_snapshot(const std::string& name,
                                                  const std::string& help,
                                                  const std::vector<Sample>& samples);

struct HistogramSample {
  LabelPairs labels;
  std::vector<double> observations;  // e.g. every case's MTTA in seconds
};

// A histogram family with the given upper bounds (+Inf is added), one series
// per sample, its buckets counted from the observations.
Result<prometheus::MetricFamily> histogram_snapshot(const std::string& name,
                                                    const std::string& help,
                                                    const std::vector<double>& bounds,
                                                    const std::vector<HistogramSample>& samples);

// Checks a family name and help text (used by the functions above and by
// Metrics::add_*).
Status check_family(const std::string& name, const std::string& help);

}  // namespace atio::metrics
