#include "atio/server/cron.h"

#include <cctype>
#include <charconv>
#include <vector>

namespace atio::server {

namespace {

struct FieldSpec {
  const char* name;
  int min;
  int max;
  const char* const* names;  // names[i] stands for min + i; nullptr when none
};

const char* const kMonthNames[] = {"jan", "feb", "mar", "apr", "may", "jun",
                                   "jul", "aug", "sep", "oct", "nov", "dec", nullptr};
const char* const kDayNames[] = {"sun", "mon", "tue", "wed", "thu", "fri", "sat", nullptr};

const FieldSpec kFields[] = {
    {"minute", 0, 59, nullptr},       {"hour", 0, 23, nullptr},
    {"day of month", 1, 31, nullptr}, {"month", 1, 12, kMonthNames},
    {"day of week", 0, 7, kDayNames},
};

std::vector<std::string_view> split(std::string_view s, char sep) {
  std::vector<std::string_view> out;
  std::size_t pos = 0;
  for (;;) {
    std::size_t end = s.find(sep, pos);
    out.push_back(s.substr(pos, end == std::string_view::npos ? end : end - pos));
    if (end == std::string_view::npos) break;
    pos = end + 1;
  }
  return out;
}

Status field_error(const FieldSpec& f, std::string_view text, const std::string& rule) {
  return Status(Code::kInvalidArgument,
                std::string(f.name) + ": '" + std::string(text) + "' " + rule);
}

// A number or (for month/weekday) a three-letter name.
bool parse_value(const FieldSpec& f, std::string_view s, int* out) {
  if (s.empty()) return false;
  if (f.names && s.size() == 3) {
    std::string lower;
    for (char c : s) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    for (int i = 0; f.names[i]; ++i) {
      if (lower == f.names[i]) {
        *out = f.min + i;
        return true;
      }
    }
  }
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), *out);
  return ec == std::errc() && p == s.data() + s.size();
}

// Sets the bits of one field; `any` reports a bare `*`.
Status parse_field(const FieldSpec& f, std::string_view text, std::vector<bool>* bits,
                   bool* any) {
  bits->assign(f.max + 1, false);
  *any = text == "*";
  for (std::string_view item : split(text, ',')) {
    if (item.empty()) return field_error(f, text, "has an empty list item");
    int step = 1;
    std::size_t slash = item.find('/');
    std::string_view range = item.substr(0, slash);
    if (slash != std::string_view::npos) {
      std::string_view st = item.substr(slash + 1);
      auto [p, ec] = std::from_chars(st.data(), st.data() + st.size(), step);
      if (ec != std::errc() || p != st.data() + st.size() || step < 1) {
        return field_error(f, item, "has a step that is not a positive integer");
      }
    }
    int lo, hi;
    if (range == "*") {
      lo = f.min;
      hi = f.max == 7 ? 6 : f.max;  // weekday 7 is Sunday again
    } else {
      std::size_t dash = range.find('-');
      if (!parse_value(f, range.substr(0, dash), &lo)) {
        return field_error(f, item, "is not a number, range or step");
      }
      hi = lo;
      if (dash != std::string_view::npos && !parse_value(f, range.substr(dash + 1), &hi)) {
        return field_error(f, item, "is not a valid range");
      }
      if (dash == std::string_view::npos && slash != std::string_view::npos) hi = f.max;  // "5/15"
      if (lo < f.min || hi > f.max || lo > f.max || hi < f.min) {
        return field_error(f, item, "is outside " + std::to_string(f.min) + "-" +
                                        std::to_string(f.max));
      }
      if (lo > hi) return field_error(f, item, "is a range whose start is after its end");
    }
    for (int v = lo; v <= hi; v += step) (*bits)[v] = true;
  }
  return Status();
}

std::string_view expand_macro(std::string_view e) {
  if (e == "@yearly" || e == "@annually") return "0 0 1 1 *";
  if (e == "@monthly") return "0 0 1 * *";
  if (e == "@weekly") return "0 0 * * 0";
  if (e == "@daily" || e == "@midnight") return "0 0 * * *";
  if (e == "@hourly") return "0 * * * *";
  return e;
}

// Civil date of a day count since 1970-01-01 (Howard Hinnant's algorithm).
void civil_from_days(std::int64_t z, std::int64_t* y, unsigned* m, unsigned* d) {
  z += 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  *d = doy - (153 * mp + 2) / 5 + 1;
  *m = mp < 10 ? mp + 3 : mp - 9;
  *y = static_cast<std::int64_t>(yoe) + era * 400 + (*m <= 2);
}

std::int64_t floor_div(std::int64_t a, std::int64_t b) {
  return a / b - ((a % b != 0) && ((a < 0) != (b < 0)));
}

}  // namespace

Result<CronSchedule> CronSchedule::parse(std::string_view expression) {
  std::string_view e = expand_macro(expression);
  std::vector<std::string_view> fields;
  for (std::string_view f : split(e, ' ')) {
    if (!f.empty()) fields.push_back(f);
  }
  if (fields.size() != 5) {
    return Status(Code::kInvalidArgument,
                  "a cron expression has 5 fields (minute hour day-of-month month day-of-week), "
                  "found " + std::to_string(fields.size()));
  }
  CronSchedule c;
  std::vector<bool> bits;
  bool any = false;
  ATIO_RETURN_IF_ERROR(parse_field(kFields[0], fields[0], &bits, &any));
  for (int i = 0; i < 60; ++i) c.minutes_[i] = bits[i];
  ATIO_RETURN_IF_ERROR(parse_field(kFields[1], fields[1], &bits, &any));
  for (int i = 0; i < 24; ++i) c.hours_[i] = bits[i];
  ATIO_RETURN_IF_ERROR(parse_field(kFields[2], fields[2], &bits, &c.days_any_));
  for (int i = 1; i <= 31; ++i) c.days_[i] = bits[i];
  ATIO_RETURN_IF_ERROR(parse_field(kFields[3], fields[3], &bits, &any));
  for (int i = 1; i <= 12; ++i) c.months_[i] = bits[i];
  ATIO_RETURN_IF_ERROR(parse_field(kFields[4], fields[4], &bits, &c.weekdays_any_));
  for (int i = 0; i < 7; ++i) c.weekdays_[i] = bits[i];
  if (bits[7]) c.weekdays_[0] = true;
  return c;
}

bool CronSchedule::day_matches(int day_of_month, int month, int weekday) const {
  if (!months_[month]) return false;
  const bool dom = days_[day_of_month];
  const bool dow = weekdays_[weekday];
  if (!days_any_ && !weekdays_any_) return dom || dow;
  return dom && dow;
}

std::optional<std::int64_t> CronSchedule::next_after(std::int64_t after_ms) const {
  constexpr std::int64_t kMinute = 60'000;
  constexpr std::int64_t kDay = 1440;
  // Minutes since the epoch of the first candidate: the minute after `after_ms`.
  std::int64_t minute = floor_div(after_ms, kMinute) + 1;
  std::int64_t day = floor_div(minute, kDay);
  int minute_of_day = static_cast<int>(minute - day * kDay);
  for (int i = 0; i < 366 * 5 + 2; ++i, ++day, minute_of_day = 0) {
    std::int64_t y;
    unsigned m, d;
    civil_from_days(day, &y, &m, &d);
    const int weekday = static_cast<int>(((day % 7) + 7 + 4) % 7);  // 1970-01-01 was a Thursday
    if (!day_matches(static_cast<int>(d), static_cast<int>(m), weekday)) continue;
    for (int mod = minute_of_day; mod < kDay; ++mod) {
      if (hours_[mod / 60] && minutes_[mod % 60]) return (day * kDay + mod) * kMinute;
    }
  }
  return std::nullopt;
}

}  // namespace atio::server
