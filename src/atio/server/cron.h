// 5-field cron expressions ("m h dom mon dow"), evaluated in UTC.
//
// Each field accepts `*`, numbers, ranges `a-b`, steps `*/n` and `a-b/n`, and
// comma-separated lists of those; month and weekday fields also accept names
// (jan..dec, sun..sat). Weekday 0 and 7 are Sunday. As in Vixie cron, when
// both day-of-month and day-of-week are restricted (neither is `*`), a day
// matches if either matches. The macros @yearly, @annually, @monthly,
// @weekly, @daily, @midnight and @hourly are accepted.
#pragma once

#include <bitset>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "atio/core/status.h"

namespace atio::server {

class CronSchedule {
 public:
  // kInvalidArgument naming the field and the rule ("hour: 24 is outside 0-23").
  static Result<CronSchedule> parse(std::string_view expression);

  // The first matching minute strictly after `after_ms` (Unix milliseconds),
  // or nullopt when nothing matches within the next five years (e.g. 30 Feb).
  std::optional<std::int64_t> next_after(std::int64_t after_ms) const;

 private:
  bool day_matches(int day_of_month, int month, int weekday) const;

  std::bitset<60> minutes_;
  std::bitset<24> hours_;
  std::bitset<32> days_;    // 1..31
  std::bitset<13> months_;  // 1..12
  std::bitset<7> weekdays_;  // 0..6, Sunday = 0
  bool days_any_ = true;
  bool weekdays_any_ = true;
};

}  // namespace atio::server
