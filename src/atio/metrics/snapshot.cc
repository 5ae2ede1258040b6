#include "atio/metrics/snapshot.h"

#include <prometheus/check_names.h>

#include <cmath>
#include <limits>

namespace atio::metrics {

namespace {

Status check_labels(const std::string& family, const LabelPairs& labels) {
  for (const auto& [name, value] : labels) {
    // "le" is the histogram's bucket label, "quantile" the summary's.
    if (!prometheus::CheckLabelName(name) || name == "le" || name == "quantile") {
      return Status(Code::kInvalidArgument,
                    "metric " + family + ": \"" + name + "\" is not a label name it may use");
    }
  }
  return Status();
}

std::vector<prometheus::ClientMetric::Label> to_labels(const LabelPairs& labels) {
  std::vector<prometheus::ClientMetric::Label> out;
  out.reserve(labels.size());
  for (const auto& [name, value] : labels) out.push_back({name, value});
  return out;
}

Result<prometheus::MetricFamily> simple(prometheus::MetricType type, const std::string& name,
                                        const std::string& help,
                                        const std::vector<Sample>& samples) {
  ATIO_RETURN_IF_ERROR(check_family(name, help));
  prometheus::MetricFamily f{name, help, type, {}};
  for (const Sample& s : samples) {
    ATIO_RETURN_IF_ERROR(check_labels(name, s.labels));
    prometheus::ClientMetric m;
    m.label = to_labels(s.labels);
    if (type == prometheus::MetricType::Counter) {
      m.counter.value = s.value;
    } else {
      m.gauge.value = s.value;
    }
    f.metric.push_back(std::move(m));
  }
  return f;
}

}  // namespace

Status check_family(const std::string& name, const std::string& help) {
  if (!prometheus::CheckMetricName(name)) {
    return Status(Code::kInvalidArgument, "\"" + name + "\" is not a valid metric name");
  }
  // prometheus-cpp writes the help text as it is: a line break or a
  // backslash in it would break the exposition.
  if (help.find_first_of("\n\\") != std::string::npos) {
    return Status(Code::kInvalidArgument,
                  "metric " + name + ": the help text must be one line without backslashes");
  }
  return Status();
}

Result<prometheus::MetricFamily> gauge_snapshot(const std::string& name, const std::string& help,
                                                const std::vector<Sample>& samples) {
  return simple(prometheus::MetricType::Gauge, name, help, samples);
}

Result<prometheus::MetricFamily> counter_snapshot(const std::string& name,
                                                  const std::string& help,
                                                  const std::vector<Sample>& samples) {
  if (name.size() < 6 || name.compare(name.size() - 6, 6, "_total") != 0) {
    return Status(Code::kInvalidArgument, "counter " + name + ": the name must end in _total");
  }
  return simple(prometheus::MetricType::Counter, name, help, samples);
}

Result<prometheus::MetricFamily> histogram_snapshot(const std::string& name,
                                                    const std::string& help,
                                                    const std::vector<double>& bounds,
                                                    const std::vector<HistogramSample>& samples) {
  ATIO_RETURN_IF_ERROR(check_family(name, help));
  for (std::size_t i = 0; i < bounds.size(); ++i) {
    if (!std::isfinite(bounds[i]) || (i > 0 && bounds[i] <= bounds[i - 1])) {
      return Status(Code::kInvalidArgument,
                    "histogram " + name + ": bucket bounds must be finite and increase");
    }
  }
  prometheus::MetricFamily f{name, help, prometheus::MetricType::Histogram, {}};
  for (const HistogramSample& s : samples) {
    ATIO_RETURN_IF_ERROR(check_labels(name, s.labels));
    prometheus::ClientMetric m;
    m.label = to_labels(s.labels);
    std::vector<std::uint64_t> per_bucket(bounds.size() + 1, 0);
    for (double v : s.observations) {
      std::size_t b = 0;
      while (b < bounds.size() && v > bounds[b]) ++b;  // a bucket holds values <= its bound
      ++per_bucket[b];
      m.histogram.sample_sum += v;
    }
    m.histogram.sample_count = s.observations.size();
    std::uint64_t cumulative = 0;
    for (std::size_t b = 0; b <= bounds.size(); ++b) {
      cumulative += per_bucket[b];
      m.histogram.bucket.push_back(
          {cumulative, b < bounds.size() ? bounds[b] : std::numeric_limits<double>::infinity()});
    }
    f.metric.push_back(std::move(m));
  }
  return f;
}

}  // namespace atio::metrics
