#include "atio/cti/stix/pattern_number.h"

#include <charconv>
#include <cmath>

namespace atio::stix::pattern {

namespace {

// Exact int64 vs double ordering (no rounding of the integer).
std::partial_ordering compare_int_double(std::int64_t i, double d) {
  if (std::isnan(d)) return std::partial_ordering::unordered;
  constexpr double kTwo63 = 9223372036854775808.0;
  if (d >= kTwo63) return std::partial_ordering::less;
  if (d < -kTwo63) return std::partial_ordering::greater;
  double f = std::floor(d);
  auto fi = static_cast<std::int64_t>(f);
  if (i != fi) return i <=> fi;
  return f == d ? std::partial_ordering::equivalent : std::partial_ordering::less;
}

}  // namespace

bool parse_number(std::string_view s, Number* out) {
  const char* last = s.data() + s.size();
  auto [p, ec] = std::from_chars(s.data(), last, out->i);
  if (!s.empty() && ec == std::errc() && p == last) {
    out->is_int = true;
    return true;
  }
  auto [q, ec2] = std::from_chars(s.data(), last, out->d);
  out->is_int = false;
  return !s.empty() && ec2 == std::errc() && q == last;
}

std::partial_ordering compare_numbers(const Number& a, const Number& b) {
  if (a.is_int && b.is_int) return a.i <=> b.i;
  if (a.is_int) return compare_int_double(a.i, b.d);
  if (b.is_int) return 0 <=> compare_int_double(b.i, a.d);
  return a.d <=> b.d;
}

}  // namespace atio::stix::pattern
