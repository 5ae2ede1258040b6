#include "atio/cti/stix/time.h"

#include <charconv>

#include "atio/core/ids.h"

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

}  // namespace

std::string format_time(TimePoint t) { return format_timestamp(t); }

bool parse_time(std::string_view s, TimePoint* out) {
  return parse_timestamp(s, out, TimestampSyntax::kLenient);
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
