// The instruments and the exposition, read back through the reference parser
// (Debian's python3-prometheus-client): what the engine and the webhook
// trigger count is what a Prometheus server reads.
#include "atio/metrics/metrics.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <thread>
#include <vector>

#include "atio/metrics/snapshot.h"
#include "exposition_oracle.h"

namespace atio::metrics {
namespace {

using testing::Exposition;
using testing::parse_exposition;

Exposition scrape(const Metrics& m) {
  Exposition e = parse_exposition(m.scrape());
  EXPECT_EQ(e.error, "") << m.scrape();
  return e;
}

TEST(Metrics, ExecutionsAreCountedByPlaybookAndFinalStatus) {
  Metrics m;
  m.executions_started("playbook--a", 3);
  m.executions_started("playbook--b");
  m.execution_finished("playbook--a", "succeeded");
  m.execution_finished("playbook--a", "succeeded");
  m.execution_finished("playbook--a", "failed");
  m.execution_finished("playbook--b", "aborted");
  Exposition e = scrape(m);
  ASSERT_NE(e.family("atio_executions_started"), nullptr);
  EXPECT_EQ(e.family("atio_executions_started")->at("type"), "counter");
  EXPECT_EQ(e.value("atio_executions_started_total", {{"playbook", "playbook--a"}}), 3.0);
  EXPECT_EQ(e.value("atio_executions_started_total", {{"playbook", "playbook--b"}}), 1.0);
  EXPECT_EQ(e.value("atio_executions_finished_total",
                    {{"playbook", "playbook--a"}, {"status", "succeeded"}}),
            2.0);
  EXPECT_EQ(e.value("atio_executions_finished_total",
                    {{"playbook", "playbook--a"}, {"status", "failed"}}),
            1.0);
  EXPECT_EQ(e.value("atio_executions_finished_total",
                    {{"playbook", "playbook--b"}, {"status", "aborted"}}),
            1.0);
  EXPECT_EQ(e.count("atio_executions_finished_total"), 3u);
}

TEST(Metrics, StepDurationsFallIntoTheBucketsTheirValuesBelongTo) {
  Metrics m;
  const std::vector<double> seen = {0.0002, 0.003, 0.003, 0.7, 42.0, 20000.0};
  for (double s : seen) m.step_finished("action", "x-atio-lua", s);
  m.step_finished("start", "", 0.0);
  Exposition e = scrape(m);
  ASSERT_NE(e.family("atio_step_duration_seconds"), nullptr);
  EXPECT_EQ(e.family("atio_step_duration_seconds")->at("type"), "histogram");
  const testing::Labels lua = {{"step_type", "action"}, {"command_type", "x-atio-lua"}};
  EXPECT_EQ(e.value("atio_step_duration_seconds_count", lua), double(seen.size()));
  double sum = 0;
  for (double s : seen) sum += s;
  EXPECT_NEAR(*e.value("atio_step_duration_seconds_sum", lua), sum, 1e-9);
  // Every bound: the observations at or below it (cumulative buckets).
  for (double le : Metrics::step_buckets()) {
    const auto below = std::count_if(seen.begin(), seen.end(), [le](double s) { return s <= le; });
    EXPECT_EQ(e.bucket("atio_step_duration_seconds", lua, le), double(below)) << "le=" << le;
  }
  EXPECT_EQ(e.bucket("atio_step_duration_seconds", lua, 1.0 / 0.0), double(seen.size()));
  // A step without a command has an empty command_type (which Prometheus
  // treats as no label).
  EXPECT_EQ(e.value("atio_step_duration_seconds_count",
                    {{"step_type", "start"}, {"command_type", ""}}),
            1.0);
}

TEST(Metrics, WebhookEventsAcceptedAndRequestsRejectedByReason) {
  Metrics m;
  m.webhook_accepted("hook-1", 5);
  m.webhook_accepted("hook-1", 2);
  m.webhook_rejected("hook-1", WebhookRejection::kUnauthenticated);
  m.webhook_rejected("hook-1", WebhookRejection::kUnauthenticated);
  m.webhook_rejected("hook-1", WebhookRejection::kBusy);
  m.webhook_rejected("", WebhookRejection::kUnknownHook);
  Exposition e = scrape(m);
  EXPECT_EQ(e.value("atio_webhook_events_accepted_total", {{"hook", "hook-1"}}), 7.0);
  EXPECT_EQ(e.value("atio_webhook_requests_rejected_total",
                    {{"hook", "hook-1"}, {"reason", "unauthenticated"}}),
            2.0);
  EXPECT_EQ(e.value("atio_webhook_requests_rejected_total",
                    {{"hook", "hook-1"}, {"reason", "busy"}}),
            1.0);
  EXPECT_EQ(e.value("atio_webhook_requests_rejected_total", {{"hook", ""}, {"reason", "unknown_hook"}}),
            1.0);
}

TEST(Metrics, LabelValuesThatNeedEscapingReadBackUnchanged) {
  Metrics m;
  const std::string odd = "playbook \"quoted\" \\ back\nslash ü";
  m.executions_started(odd, 1);
  Exposition e = scrape(m);
  EXPECT_EQ(e.value("atio_executions_started_total", {{"playbook", odd}}), 1.0);
}

TEST(Metrics, BuildInfoAndProcessSeriesArePresent) {
  MetricsOptions o;
  o.version = "9.8.7";
  o.start_time_seconds = 1700000000.5;
  Metrics m(o);
  Exposition e = scrape(m);
  EXPECT_EQ(e.value("atio_build_info", {{"version", "9.8.7"}}), 1.0);
  EXPECT_EQ(e.value("process_start_time_seconds"), 1700000000.5);
  ASSERT_TRUE(e.value("process_cpu_seconds_total").has_value());
  EXPECT_GT(*e.value("process_cpu_seconds_total"), 0.0);
  ASSERT_TRUE(e.value("process_resident_memory_bytes").has_value());
  EXPECT_GT(*e.value("process_resident_memory_bytes"), 0.0);
  ASSERT_TRUE(e.value("process_open_fds").has_value());
  EXPECT_GE(*e.value("process_open_fds"), 3.0);  // at least stdin, stdout, stderr
  EXPECT_EQ(kContentType, "text/plain; version=0.0.4; charset=utf-8");
}

TEST(Metrics, WatchedGaugesAreReadAtEachScrapeUntilReleased) {
  Metrics m;
  std::atomic<int> queued{4};
  Registration r = m.watch(Watched::kExecutionsQueued, [&queued] {
    return std::optional<double>(queued.load());
  });
  EXPECT_EQ(scrape(m).value("atio_executions_queued"), 4.0);
  queued = 9;
  EXPECT_EQ(scrape(m).value("atio_executions_queued"), 9.0);
  // No value this time (e.g. the store could not be read): no series.
  bool fail = true;
  Registration audit = m.watch(Watched::kAuditChainLength, [&fail] {
    return fail ? std::nullopt : std::optional<double>(12);
  });
  EXPECT_FALSE(scrape(m).value("atio_audit_chain_length").has_value());
  fail = false;
  EXPECT_EQ(scrape(m).value("atio_audit_chain_length"), 12.0);
  r.release();
  EXPECT_FALSE(scrape(m).value("atio_executions_queued").has_value());
  EXPECT_EQ(scrape(m).value("atio_audit_chain_length"), 12.0);
}

TEST(Metrics, ALaterWatchReplacesTheEarlierAndTheEarlierReleaseLeavesItAlone) {
  Metrics m;
  Registration first = m.watch(Watched::kManualStepsWaiting, [] { return std::optional(1.0); });
  Registration second = m.watch(Watched::kManualStepsWaiting, [] { return std::optional(2.0); });
  EXPECT_EQ(scrape(m).value("atio_manual_steps_waiting"), 2.0);
  first.release();
  EXPECT_EQ(scrape(m).value("atio_manual_steps_waiting"), 2.0);
}

TEST(Metrics, CollectorsAddFamiliesAndCannotTakeANameAlreadyUsed) {
  Metrics m;
  std::vector<Sample> cases = {{{{"status", "new"}}, 3}, {{{"status", "resolved"}}, 1}};
  Registration r = m.add_collector([&cases] {
    std::vector<prometheus::MetricFamily> out;
    auto f = gauge_snapshot("atio_cases", "Cases by status.", cases);
    if (f.is_ok()) out.push_back(*f);
    // Same name as one of atio's own families: dropped from the scrape.
    auto clash = gauge_snapshot("atio_executions_queued", "Not the engine's.", {{{}, 77}});
    if (clash.is_ok()) out.push_back(*clash);
    return out;
  });
  Registration q = m.watch(Watched::kExecutionsQueued, [] { return std::optional(5.0); });
  Exposition e = scrape(m);
  EXPECT_EQ(e.value("atio_cases", {{"status", "new"}}), 3.0);
  EXPECT_EQ(e.value("atio_cases", {{"status", "resolved"}}), 1.0);
  EXPECT_EQ(e.value("atio_executions_queued"), 5.0);
  EXPECT_EQ(e.count("atio_executions_queued"), 1u);
  cases[0].value = 4;  // read again at the next scrape
  EXPECT_EQ(scrape(m).value("atio_cases", {{"status", "new"}}), 4.0);
  r.release();
  EXPECT_FALSE(scrape(m).value("atio_cases", {{"status", "new"}}).has_value());
}

TEST(Metrics, FamiliesOfOtherModulesAreCheckedAndNotRegisteredTwice) {
  Metrics m;
  auto acks = m.add_counter("atio_cases_acknowledged_total", "Cases acknowledged.");
  ASSERT_TRUE(acks.is_ok()) << acks.status().to_string();
  (*acks)->Add({{"severity", "high"}}).Increment(2);
  EXPECT_EQ(scrape(m).value("atio_cases_acknowledged_total", {{"severity", "high"}}), 2.0);
  EXPECT_EQ(m.add_counter("atio_cases_acknowledged_total", "again").status().code(),
            Code::kInvalidArgument);
  EXPECT_EQ(m.add_gauge("atio_executions_started_total", "taken").status().code(),
            Code::kInvalidArgument);
  EXPECT_EQ(m.add_histogram("2bad name", "x").status().code(), Code::kInvalidArgument);
  EXPECT_EQ(m.add_gauge("atio_fine", "two\nlines").status().code(), Code::kInvalidArgument);
  auto mtta = m.add_histogram("atio_case_mtta_seconds", "Time to acknowledge.");
  ASSERT_TRUE(mtta.is_ok());
  (*mtta)->Add({}, prometheus::Histogram::BucketBoundaries{60, 600}).Observe(30);
  Exposition e = scrape(m);
  EXPECT_EQ(e.bucket("atio_case_mtta_seconds", {}, 60), 1.0);
  EXPECT_EQ(e.value("atio_case_mtta_seconds_count"), 1.0);
}

TEST(Metrics, ConcurrentEventsAreAllCounted) {
  Metrics m;
  constexpr int kThreads = 4;
  constexpr int kEach = 5000;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&m, t] {
      for (int i = 0; i < kEach; ++i) {
        // A shared child, and children that appear while others count.
        m.executions_started("shared");
        m.executions_started("own-" + std::to_string(t * 10 + i % 10));
        m.step_finished("action", "manual", 0.01);
      }
    });
  }
  std::thread scraper([&m] {
    for (int i = 0; i < 20; ++i) (void)m.scrape();
  });
  for (auto& t : threads) t.join();
  scraper.join();
  Exposition e = scrape(m);
  EXPECT_EQ(e.value("atio_executions_started_total", {{"playbook", "shared"}}),
            double(kThreads * kEach));
  EXPECT_EQ(e.count("atio_executions_started_total"), 1u + kThreads * 10);
  EXPECT_EQ(e.value("atio_executions_started_total", {{"playbook", "own-13"}}), kEach / 10.0);
  EXPECT_EQ(e.value("atio_step_duration_seconds_count",
                    {{"step_type", "action"}, {"command_type", "manual"}}),
            double(kThreads * kEach));
}

TEST(Metrics, ARegistrationOutlivingItsMetricsIsHarmless) {
  Registration r;
  {
    Metrics m;
    r = m.watch(Watched::kExecutionsActive, [] { return std::optional(1.0); });
  }
  // Nothing is left to remove from: release must not touch the freed
  // registry (the ASan run of the unit tests catches it if it does).
  r.release();
}

}  // namespace
}  // namespace atio::metrics
