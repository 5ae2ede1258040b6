// Numbers of the patterning language: JSON and literal integers (int64) and
// floats (double) compared exactly with each other, as STIX comparisons and
// CACAO conditions both need.
#pragma once

#include <compare>
#include <cstdint>
#include <string_view>

namespace atio::stix::pattern {

struct Number {
  bool is_int = true;
  std::int64_t i = 0;
  double d = 0;
};

// Reads a whole string as an int64, else as a double ("5", "-2", "7.5",
// "1e3"). False when it is not a number or out of range.
bool parse_number(std::string_view s, Number* out);

// Orders two numbers; an int64 is never rounded to a double on the way, so
// 2^53 + 1 > 2^53 holds. NaN is unordered.
std::partial_ordering compare_numbers(const Number& a, const Number& b);

}  // namespace atio::stix::pattern
