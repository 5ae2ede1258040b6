#include "atio/cti/stix/time.h"

#include <charconv>
#include <cstdio>
#include <ctime>

namespace atio::stix {

namespace {

bool digits(std::string_view s, std::size_t pos, std::size_t n, int* v) {
  if (pos + n > s.size()) return false;
  int r = 0;
  for (std::size_t i = pos; i < pos + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    r = r * 10 + (s[i] - '0');
  }
  *v = r;
  return true;
}

long long days_from_civil(int Y, int M, int D) {  // Howard Hinnant's algorithm
  int y = Y - (M <= 2);
  int era = (y >= 0 ? y : y - 399) / 400;
  unsigned yoe = static_cast<unsigned>(y - era * 400);
  unsigned doy = (153 * (M + (M > 2 ? -3 : 9)) + 2) / 5 + D - 1;
  unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return static_cast<long long>(era) * 146097 + static_cast<long long>(doe) - 719468;
}

}  // namespace

std::string format_time(TimePoint t) {
  using namespace std::chrono;
  auto ms = duration_cast<milliseconds>(t.time_since_epoch()).count();
  long long secs = ms / 1000;
  int frac = static_cast<int>(ms % 1000);
  if (frac < 0) {
    frac += 1000;
    secs -= 1;
  }
  // civil_from_days (Howard Hinnant), cheaper than gmtime_r on the hot path.
  long long days = secs / 86400;
  long long rem = secs % 86400;
  if (rem < 0) {
    rem += 86400;
    days -= 1;
  }
  long long z = days + 719468;
  long long era = (z >= 0 ? z : z - 146096) / 146097;
  unsigned doe = static_cast<unsigned>(z - era * 146097);
  unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  long long y = static_cast<long long>(yoe) + era * 400;
  unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  unsigned mp = (5 * doy + 2) / 153;
  unsigned d = doy - (153 * mp + 2) / 5 + 1;
  unsigned m = mp < 10 ? mp + 3 : mp - 9;
  if (m <= 2) ++y;
  // YYYY-MM-DDTHH:MM:SS.mmmZ without printf (every STIX object has two).
  std::string out = "0000-00-00T00:00:00.000Z";
  auto put = [&out](std::size_t pos, long long v, int width) {
    for (int i = width - 1; i >= 0; --i, v /= 10) {
      out[pos + static_cast<std::size_t>(i)] = static_cast<char>('0' + v % 10);
    }
  };
  if (y < 0 || y > 9999) y = y < 0 ? 0 : 9999;
  put(0, y, 4);
  put(5, m, 2);
  put(8, d, 2);
  put(11, rem / 3600, 2);
  put(14, (rem / 60) % 60, 2);
  put(17, rem % 60, 2);
  put(20, frac, 3);
  return out;
}

bool parse_time(std::string_view s, TimePoint* out) {
  int Y, M, D, h, m, sec;
  if (s.size() < 19 || !digits(s, 0, 4, &Y) || s[4] != '-' || !digits(s, 5, 2, &M) ||
      s[7] != '-' || !digits(s, 8, 2, &D) || (s[10] != 'T' && s[10] != 't' && s[10] != ' ') ||
      !digits(s, 11, 2, &h) || s[13] != ':' || !digits(s, 14, 2, &m) || s[16] != ':' ||
      !digits(s, 17, 2, &sec)) {
    return false;
  }
  if (M < 1 || M > 12 || D < 1 || D > 31 || h > 23 || m > 59 || sec > 60) return false;
  std::size_t pos = 19;
  long long nanos = 0;
  if (pos < s.size() && s[pos] == '.') {
    ++pos;
    const std::size_t start = pos;
    long long scale = 100000000;
    while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') {
      nanos += (s[pos] - '0') * scale;
      scale /= 10;
      ++pos;
    }
    if (pos == start) return false;
  }
  int offset_min = 0;
  if (pos == s.size()) {
    // no zone: UTC
  } else if (s[pos] == 'Z' || s[pos] == 'z') {
    ++pos;
  } else if (s[pos] == '+' || s[pos] == '-') {
    int oh, om;
    if (!digits(s, pos + 1, 2, &oh)) return false;
    std::size_t mpos = pos + 3;
    if (mpos < s.size() && s[mpos] == ':') ++mpos;
    if (!digits(s, mpos, 2, &om) || oh > 23 || om > 59) return false;
    offset_min = (oh * 60 + om) * (s[pos] == '-' ? -1 : 1);
    pos = mpos + 2;
  } else {
    return false;
  }
  if (pos != s.size()) return false;
  const long long total =
      days_from_civil(Y, M, D) * 86400 + h * 3600 + m * 60 + sec - offset_min * 60LL;
  if (out) {
    *out = TimePoint(std::chrono::duration_cast<TimePoint::duration>(
        std::chrono::seconds(total) + std::chrono::nanoseconds(nanos)));
  }
  return true;
}

bool is_stix_timestamp(std::string_view s) {
  int v;
  if (s.size() < 20 || s.back() != 'Z') return false;
  if (!digits(s, 0, 4, &v) || s[4] != '-' || !digits(s, 5, 2, &v) || v < 1 || v > 12 ||
      s[7] != '-' || !digits(s, 8, 2, &v) || v < 1 || v > 31 || s[10] != 'T' ||
      !digits(s, 11, 2, &v) || v > 23 || s[13] != ':' || !digits(s, 14, 2, &v) || v > 59 ||
      s[16] != ':' || !digits(s, 17, 2, &v) || v > 60) {
    return false;
  }
  if (s.size() == 20) return true;
  if (s[19] != '.' || s.size() < 22) return false;
  for (std::size_t i = 20; i + 1 < s.size(); ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
  }
  return true;
}

bool parse_epoch_seconds(std::string_view s, TimePoint* out) {
  double seconds = 0;
  auto res = std::from_chars(s.data(), s.data() + s.size(), seconds);
  if (res.ec != std::errc() || res.ptr != s.data() + s.size() || seconds < 0) return false;
  if (out) {
    *out = TimePoint(std::chrono::duration_cast<TimePoint::duration>(
        std::chrono::duration<double>(seconds)));
  }
  return true;
}

}  // namespace atio::stix
