// The standard process series every Prometheus client exports (the process_
// names of the Prometheus client guidelines, so existing dashboards work):
// start time, CPU seconds, resident memory, open file descriptors. Read from
// getrusage and /proc/self at each scrape; a value that cannot be read is
// left out.
#pragma once

#include <prometheus/metric_family.h>

#include <vector>

namespace atio::metrics {

// Seconds since the Unix epoch, now.
double now_seconds();

std::vector<prometheus::MetricFamily> process_families(double start_time_seconds);

}  // namespace atio::metrics
