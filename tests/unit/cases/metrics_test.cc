// MTTD, MTTA and MTTR of a case and their aggregates, as docs/cases.md
// defines them.
#include <gtest/gtest.h>

#include "atio/cases/metrics.h"

namespace atio::cases {
namespace {

store::CaseTimes times(std::int64_t occurred, std::int64_t detected, std::int64_t acked,
                       std::int64_t responded, std::int64_t resolved,
                       const std::string& severity = "high") {
  store::CaseTimes t;
  t.id = "c";
  t.playbook_id = "playbook--" + severity;
  t.use_case = "use-case-" + severity;
  t.severity = severity;
  t.occurred_at_ms = occurred;
  t.detected_at_ms = detected;
  t.acknowledged_at_ms = acked;
  t.responded_at_ms = responded;
  t.resolved_at_ms = resolved;
  return t;
}

TEST(CaseMetricsTest, DurationsFollowTheDefinitions) {
  const auto t = times(1'000, 91'000, 131'000, 92'500, 500'000);
  const Durations d = durations(t, MttrEnd::kResponded);
  EXPECT_EQ(*d.mttd_ms, 90'000);  // detected - occurred
  EXPECT_EQ(*d.mtta_ms, 40'000);  // acknowledged - detected
  EXPECT_EQ(*d.mttr_ms, 1'500);   // responded - detected
  EXPECT_EQ(*durations(t, MttrEnd::kResolved).mttr_ms, 409'000);  // resolved - detected
}

TEST(CaseMetricsTest, ADurationWithoutItsEndDoesNotExist) {
  const Durations d = durations(times(1'000, 2'000, 0, 0, 0), MttrEnd::kResponded);
  EXPECT_TRUE(d.mttd_ms.has_value());
  EXPECT_FALSE(d.mtta_ms.has_value());
  EXPECT_FALSE(d.mttr_ms.has_value());
}

TEST(CaseMetricsTest, SummaryIsMeanMedianAndNearestRankP90) {
  // 1..10: mean 5.5, median (5 + 6) / 2, p90 the 9th smallest.
  Summary s = summarize({10, 3, 1, 2, 4, 5, 6, 7, 8, 9});
  EXPECT_EQ(s.count, 10);
  EXPECT_DOUBLE_EQ(s.mean_ms, 5.5);
  EXPECT_DOUBLE_EQ(s.median_ms, 5.5);
  EXPECT_DOUBLE_EQ(s.p90_ms, 9);
  // 1..11: median the 6th, p90 the ceil(9.9) = 10th smallest.
  s = summarize({1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11});
  EXPECT_DOUBLE_EQ(s.median_ms, 6);
  EXPECT_DOUBLE_EQ(s.p90_ms, 10);
  s = summarize({42});
  EXPECT_DOUBLE_EQ(s.p90_ms, 42);
  EXPECT_EQ(summarize({}).count, 0);
}

TEST(CaseMetricsTest, GroupsCountOnlyTheCasesThatHaveEachDuration) {
  const std::vector<store::CaseTimes> cases = {
      times(0 + 1, 10, 20, 0, 0, "high"),  // mttd 9, mtta 10, no mttr
      times(1, 21, 0, 25, 0, "high"),      // mttd 20, mttr 4
      times(1, 5, 7, 8, 9, "low"),         // mttd 4, mtta 2, mttr 3
  };
  auto groups = aggregate(cases, GroupBy::kSeverity, MttrEnd::kResponded);
  ASSERT_EQ(groups.size(), 2u);
  EXPECT_EQ(groups[0].key, "high");
  EXPECT_EQ(groups[0].cases, 2);
  EXPECT_EQ(groups[0].mttd.count, 2);
  EXPECT_DOUBLE_EQ(groups[0].mttd.mean_ms, 14.5);
  EXPECT_EQ(groups[0].mtta.count, 1);
  EXPECT_EQ(groups[0].mttr.count, 1);
  EXPECT_DOUBLE_EQ(groups[0].mttr.mean_ms, 4);
  EXPECT_EQ(groups[1].key, "low");
  auto all = aggregate(cases, GroupBy::kNone, MttrEnd::kResponded);
  ASSERT_EQ(all.size(), 1u);
  EXPECT_EQ(all[0].cases, 3);
  EXPECT_EQ(aggregate(cases, GroupBy::kPlaybook, MttrEnd::kResponded)[0].key, "playbook--high");
  EXPECT_EQ(aggregate(cases, GroupBy::kUseCase, MttrEnd::kResponded)[1].key, "use-case-low");
}

TEST(CaseMetricsTest, SettingNamesParse) {
  MttrEnd e;
  EXPECT_TRUE(parse_mttr_end("resolved", &e));
  EXPECT_EQ(e, MttrEnd::kResolved);
  EXPECT_FALSE(parse_mttr_end("closed", &e));
  GroupBy g;
  EXPECT_TRUE(parse_group_by("use_case", &g));
  EXPECT_FALSE(parse_group_by("team", &g));
}

}  // namespace
}  // namespace atio::cases
