// Families built for collectors: valid exposition for valid input, read back
// by the reference parser; a clear error for input Prometheus refuses.
#include "atio/metrics/snapshot.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "atio/metrics/metrics.h"
#include "exposition_oracle.h"

namespace atio::metrics {
namespace {

using testing::Exposition;
using testing::parse_exposition;

// Scrapes a Metrics whose only collector returns `families`.
Exposition render(std::vector<prometheus::MetricFamily> families) {
  Metrics m;
  Registration r = m.add_collector([families] { return families; });
  Exposition e = parse_exposition(m.scrape());
  EXPECT_EQ(e.error, "");
  return e;
}

TEST(Snapshot, HistogramBucketsCountTheObservationsAtOrBelowEachBound) {
  const std::vector<double> bounds = {60, 300, 900};
  // MTTA of five cases, seconds; one exactly on a bound.
  const std::vector<double> high = {12, 60, 61, 1000, 5};
  const std::vector<double> low = {400};
  auto f = histogram_snapshot("atio_case_mtta_seconds", "Time to acknowledge.", bounds,
                              {{{{"severity", "high"}}, high}, {{{"severity", "low"}}, low}});
  ASSERT_TRUE(f.is_ok()) << f.status().to_string();
  Exposition e = render({*f});
  for (const auto& [severity, seen] : {std::pair{"high", high}, std::pair{"low", low}}) {
    const testing::Labels l = {{"severity", severity}};
    for (double b : bounds) {
      const auto n = std::count_if(seen.begin(), seen.end(), [b](double v) { return v <= b; });
      EXPECT_EQ(e.bucket("atio_case_mtta_seconds", l, b), double(n)) << severity << " le=" << b;
    }
    EXPECT_EQ(e.bucket("atio_case_mtta_seconds", l, 1.0 / 0.0), double(seen.size()));
    EXPECT_EQ(e.value("atio_case_mtta_seconds_count", l), double(seen.size()));
    double sum = 0;
    for (double v : seen) sum += v;
    EXPECT_EQ(e.value("atio_case_mtta_seconds_sum", l), sum);
  }
}

TEST(Snapshot, GaugesAndCountersReadBackWithTheirTypes) {
  auto g = gauge_snapshot("atio_cases", "Cases by status.",
                          {{{{"status", "new"}}, 2}, {{{"status", "acknowledged"}}, 0}});
  auto c = counter_snapshot("atio_cases_opened_total", "Cases opened.", {{{}, 17}});
  ASSERT_TRUE(g.is_ok() && c.is_ok());
  Exposition e = render({*g, *c});
  EXPECT_EQ(e.family("atio_cases")->at("type"), "gauge");
  EXPECT_EQ(e.value("atio_cases", {{"status", "acknowledged"}}), 0.0);
  EXPECT_EQ(e.family("atio_cases_opened")->at("type"), "counter");
  EXPECT_EQ(e.value("atio_cases_opened_total"), 17.0);
}

TEST(Snapshot, InputPrometheusRefusesIsAnErrorNamingTheProblem) {
  auto bad_name = gauge_snapshot("atio cases", "x", {});
  EXPECT_EQ(bad_name.status().code(), Code::kInvalidArgument);
  EXPECT_NE(bad_name.status().message().find("atio cases"), std::string::npos);
  EXPECT_EQ(gauge_snapshot("atio_cases", "x", {{{{"1st", "v"}}, 1}}).status().code(),
            Code::kInvalidArgument);
  // A histogram's "le" is its own.
  EXPECT_EQ(histogram_snapshot("atio_h_seconds", "x", {1}, {{{{"le", "2"}}, {}}}).status().code(),
            Code::kInvalidArgument);
  EXPECT_EQ(gauge_snapshot("atio_cases", "a\nb", {}).status().code(), Code::kInvalidArgument);
  EXPECT_EQ(counter_snapshot("atio_cases_opened", "no _total", {}).status().code(),
            Code::kInvalidArgument);
  EXPECT_EQ(histogram_snapshot("atio_h_seconds", "x", {5, 5}, {}).status().code(),
            Code::kInvalidArgument);
  EXPECT_EQ(histogram_snapshot("atio_h_seconds", "x", {10, 1}, {}).status().code(),
            Code::kInvalidArgument);
}

}  // namespace
}  // namespace atio::metrics
