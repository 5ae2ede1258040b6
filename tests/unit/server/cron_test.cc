#include "atio/server/cron.h"

#include <gtest/gtest.h>

#include <chrono>

#include "atio/core/ids.h"

namespace atio::server {
namespace {

std::int64_t at(const char* rfc3339) {
  std::chrono::system_clock::time_point t;
  EXPECT_TRUE(parse_timestamp(rfc3339, &t)) << rfc3339;
  return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}

std::string next(const char* expr, const char* after) {
  auto c = CronSchedule::parse(expr);
  EXPECT_TRUE(c.is_ok()) << expr << ": " << c.status().to_string();
  if (!c.is_ok()) return "";
  auto n = c->next_after(at(after));
  if (!n) return "never";
  return format_timestamp(std::chrono::system_clock::time_point(std::chrono::milliseconds(*n)));
}

std::string error(const char* expr) {
  auto c = CronSchedule::parse(expr);
  return c.is_ok() ? "" : c.status().message();
}

TEST(Cron, EveryMinuteIsTheNextWholeMinute) {
  EXPECT_EQ(next("* * * * *", "2024-03-10T10:15:30.000Z"), "2024-03-10T10:16:00.000Z");
  EXPECT_EQ(next("* * * * *", "2024-03-10T10:15:00.000Z"), "2024-03-10T10:16:00.000Z");
}

TEST(Cron, StepsListsAndRanges) {
  EXPECT_EQ(next("*/15 * * * *", "2024-03-10T10:16:00.000Z"), "2024-03-10T10:30:00.000Z");
  EXPECT_EQ(next("5,35 9-17 * * *", "2024-03-10T17:40:00.000Z"), "2024-03-11T09:05:00.000Z");
  EXPECT_EQ(next("0 8-18/5 * * *", "2024-03-10T09:00:00.000Z"), "2024-03-10T13:00:00.000Z");
  EXPECT_EQ(next("10/20 * * * *", "2024-03-10T10:31:00.000Z"), "2024-03-10T10:50:00.000Z");
}

TEST(Cron, MonthAndWeekdayNamesAndSundayAsSeven) {
  EXPECT_EQ(next("0 0 1 jan *", "2024-03-10T00:00:00.000Z"), "2025-01-01T00:00:00.000Z");
  // 2024-03-10 is a Sunday.
  EXPECT_EQ(next("0 12 * * mon-fri", "2024-03-09T13:00:00.000Z"), "2024-03-11T12:00:00.000Z");
  EXPECT_EQ(next("0 12 * * 7", "2024-03-04T00:00:00.000Z"), "2024-03-10T12:00:00.000Z");
  EXPECT_EQ(next("0 12 * * 0", "2024-03-04T00:00:00.000Z"), "2024-03-10T12:00:00.000Z");
}

TEST(Cron, DayOfMonthOrDayOfWeekWhenBothRestricted) {
  // The 15th or any Monday: after Sun 10 March comes Mon 11 March.
  EXPECT_EQ(next("0 0 15 * 1", "2024-03-10T00:00:00.000Z"), "2024-03-11T00:00:00.000Z");
  // Only the day of month restricted: the 15th.
  EXPECT_EQ(next("0 0 15 * *", "2024-03-10T00:00:00.000Z"), "2024-03-15T00:00:00.000Z");
}

TEST(Cron, LeapDayAndImpossibleDates) {
  EXPECT_EQ(next("0 0 29 2 *", "2024-03-01T00:00:00.000Z"), "2028-02-29T00:00:00.000Z");
  EXPECT_EQ(next("0 0 30 2 *", "2024-03-01T00:00:00.000Z"), "never");
}

TEST(Cron, Macros) {
  EXPECT_EQ(next("@hourly", "2024-03-10T10:15:00.000Z"), "2024-03-10T11:00:00.000Z");
  EXPECT_EQ(next("@daily", "2024-03-10T10:15:00.000Z"), "2024-03-11T00:00:00.000Z");
  EXPECT_EQ(next("@monthly", "2024-12-10T10:15:00.000Z"), "2025-01-01T00:00:00.000Z");
}

TEST(Cron, ErrorsNameTheFieldAndRule) {
  EXPECT_NE(error("* * * *").find("5 fields"), std::string::npos);
  EXPECT_NE(error("60 * * * *").find("minute"), std::string::npos);
  EXPECT_NE(error("* 24 * * *").find("hour: '24' is outside 0-23"), std::string::npos);
  EXPECT_NE(error("* * 0 * *").find("day of month"), std::string::npos);
  EXPECT_NE(error("* * * 13 *").find("month"), std::string::npos);
  EXPECT_NE(error("* * * * 8").find("day of week"), std::string::npos);
  EXPECT_NE(error("*/0 * * * *").find("step"), std::string::npos);
  EXPECT_NE(error("5-1 * * * *").find("start is after its end"), std::string::npos);
  EXPECT_NE(error("a * * * *").find("minute"), std::string::npos);
  EXPECT_NE(error("1,,2 * * * *").find("empty"), std::string::npos);
}

}  // namespace
}  // namespace atio::server
