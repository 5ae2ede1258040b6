// The read a metrics exporter calls: cases by status, and the durations of
// the cases changed since a time.
#include "atio/cases/snapshot.h"
#include "cases_fixture.h"

namespace atio::cases::testing {
namespace {

TEST_F(CasesTest, TheSnapshotCountsByStatusAndListsRecentDurations) {
  now_ = 2'000'000;
  auto a = service_->record_detection(alert(1'000'000, "k1"), system_actor("x"));
  auto b = service_->record_detection(alert(1'000'000, "k2"), system_actor("x"));
  ASSERT_TRUE(a.is_ok() && b.is_ok());
  now_ = 3'000'000;
  ASSERT_TRUE(service_->acknowledge(b->record.id, analyst("alice")).is_ok());

  auto all = read_case_metrics(*store_, 0);
  ASSERT_TRUE(all.is_ok()) << all.status().to_string();
  EXPECT_EQ(all->by_status["new"], 1);
  EXPECT_EQ(all->by_status["acknowledged"], 1);
  ASSERT_EQ(all->recent.size(), 2u);
  // alert(): detected 90 s after it occurred.
  EXPECT_EQ(*all->recent[0].mttd_ms, 90'000);
  EXPECT_FALSE(all->recent[0].mtta_ms.has_value());
  // Acknowledged at 3'000'000, detected at 1'090'000.
  EXPECT_EQ(*all->recent[1].mtta_ms, 3'000'000 - 1'090'000);

  // Only b changed at or after 3'000'000.
  auto recent = read_case_metrics(*store_, 3'000'000);
  ASSERT_TRUE(recent.is_ok());
  ASSERT_EQ(recent->recent.size(), 1u);
  EXPECT_TRUE(recent->recent[0].mtta_ms.has_value());
}

}  // namespace
}  // namespace atio::cases::testing
