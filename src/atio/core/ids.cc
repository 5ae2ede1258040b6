#include "atio/core/ids.h"

#include <sys/random.h>

#include <array>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif
#include <cstdio>
#include <ctime>
#include <random>
#include <stdexcept>

namespace atio {

namespace {

void fill_random(unsigned char* buf, std::size_t n) {
  std::size_t got = 0;
  while (got < n) {
    ssize_t r = getrandom(buf + got, n - got, 0);
    if (r < 0) throw std::runtime_error("getrandom failed");
    got += static_cast<std::size_t>(r);
  }
}

// Per-thread generator seeded from the OS: ids need uniqueness, not secrecy.
std::mt19937_64& thread_rng() {
  thread_local std::mt19937_64 rng = [] {
    std::array<unsigned char, 8> seed{};
    fill_random(seed.data(), seed.size());
    std::uint64_t s = 0;
    for (auto b : seed) s = (s << 8) | b;
    return std::mt19937_64(s);
  }();
  return rng;
}

bool is_hex(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

std::string format_uuid(std::uint64_t hi, std::uint64_t lo) {
  std::string out(36, '-');
  format_uuid_into(hi, lo, out.data());
  return out;
}

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

// 8-4-4-4-12 lower-case hex of the 128 bits hi:lo into out[0..36) (no
// printf: ids are made for every STIX object a converter writes).
void format_uuid_into(std::uint64_t hi, std::uint64_t lo, char* out) {
  static constexpr char kHex[] = "0123456789abcdef";
  int pos = 0;
  for (int i = 60; i >= 0; i -= 4) {
    if (pos == 8 || pos == 13) out[pos++] = '-';
    out[pos++] = kHex[(hi >> i) & 15];
  }
  for (int i = 60; i >= 0; i -= 4) {
    if (pos == 18 || pos == 23) out[pos++] = '-';
    out[pos++] = kHex[(lo >> i) & 15];
  }
}


void uuid_v4_into(char* out) {
  std::uint64_t hi = thread_rng()(), lo = thread_rng()();
  hi = (hi & 0xFFFFFFFFFFFF0FFFULL) | 0x0000000000004000ULL;
  lo = (lo & 0x3FFFFFFFFFFFFFFFULL) | 0x8000000000000000ULL;
  format_uuid_into(hi, lo, out);
}

std::string uuid_v4() {
  std::string out(36, '-');
  uuid_v4_into(out.data());
  return out;
}

std::string uuid_v7() {
  const auto ms = static_cast<std::uint64_t>(
      std::chrono::duration_cast<std::chrono::milliseconds>(
          std::chrono::system_clock::now().time_since_epoch())
          .count());
  std::uint64_t hi = (ms << 16) | 0x7000ULL | (thread_rng()() & 0x0FFFULL);
  std::uint64_t lo = (thread_rng()() & 0x3FFFFFFFFFFFFFFFULL) | 0x8000000000000000ULL;
  return format_uuid(hi, lo);
}

#if defined(__SSE2__)
namespace {

// Bit i set: byte i of `x` is a hexadecimal digit.
unsigned hex_mask(__m128i x) {
  const __m128i digit = _mm_and_si128(_mm_cmpgt_epi8(x, _mm_set1_epi8('0' - 1)),
                                      _mm_cmplt_epi8(x, _mm_set1_epi8('9' + 1)));
  const __m128i lower = _mm_or_si128(x, _mm_set1_epi8(0x20));  // A-F -> a-f
  const __m128i letter = _mm_and_si128(_mm_cmpgt_epi8(lower, _mm_set1_epi8('a' - 1)),
                                       _mm_cmplt_epi8(lower, _mm_set1_epi8('f' + 1)));
  return static_cast<unsigned>(_mm_movemask_epi8(_mm_or_si128(digit, letter)));
}

// Bit i set: byte i of the 16 bytes at `p` is a hex digit, or a '-' where
// `dashes` has bit i (and nowhere else).
bool block_ok(const char* p, unsigned dashes) {
  const __m128i x = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
  const auto dash = static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(x, _mm_set1_epi8('-'))));
  return dash == dashes && (hex_mask(x) | dashes) == 0xFFFF;
}

}  // namespace

// Three overlapping 16-byte blocks (0-15, 16-31, 20-35) instead of 36
// branches: ids are checked many times per STIX object.
bool is_uuid(std::string_view s) {
  if (s.size() != 36) return false;
  // Dashes at 8, 13, 18, 23: bits 8 and 13 of the first block, 2 and 7 of
  // the second, none of the third.
  return block_ok(s.data(), (1u << 8) | (1u << 13)) &&
         block_ok(s.data() + 16, (1u << 2) | (1u << 7)) && block_ok(s.data() + 20, 1u << 3);
}
#else
bool is_uuid(std::string_view s) {
  if (s.size() != 36) return false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (i == 8 || i == 13 || i == 18 || i == 23) {
      if (s[i] != '-') return false;
    } else if (!is_hex(s[i])) {
      return false;
    }
  }
  return true;
}
#endif

std::string format_timestamp(std::chrono::system_clock::time_point t) {
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

bool parse_timestamp(std::string_view s, std::chrono::system_clock::time_point* out,
                     TimestampSyntax syntax) {
  const bool lenient = syntax == TimestampSyntax::kLenient;
  int Y, M, D, h, m, sec;
  if (s.size() < 19 || !digits(s, 0, 4, &Y) || s[4] != '-' || !digits(s, 5, 2, &M) ||
      s[7] != '-' || !digits(s, 8, 2, &D) || (s[10] != 'T' && s[10] != 't' && !(lenient && s[10] == ' ')) ||
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
    if (!lenient) return false;  // no zone: UTC, when lenient
  } else if (s[pos] == 'Z' || s[pos] == 'z') {
    ++pos;
  } else if (s[pos] == '+' || s[pos] == '-') {
    int oh, om;
    if (!digits(s, pos + 1, 2, &oh)) return false;
    std::size_t mpos = pos + 3;
    if (mpos < s.size() && s[mpos] == ':') {
      ++mpos;
    } else if (!lenient) {
      return false;  // +HHMM, when lenient
    }
    if (!digits(s, mpos, 2, &om) || oh > 23 || om > 59) return false;
    offset_min = (oh * 60 + om) * (s[pos] == '-' ? -1 : 1);
    pos = mpos + 2;
  } else {
    return false;
  }
  if (pos != s.size()) return false;
  const long long total =
      days_from_civil(Y, M, D) * 86400 + h * 3600 + m * 60 + sec - offset_min * 60LL;
  // The clock counts nanoseconds in 64 bits: years 1678 to 2262. A time
  // beyond is refused rather than wrapped around into another century.
  constexpr long long kMaxSeconds =
      std::chrono::duration_cast<std::chrono::seconds>(
          std::chrono::system_clock::duration::max()).count() - 1;
  if (total > kMaxSeconds || total < -kMaxSeconds) return false;
  if (out) {
    *out = std::chrono::system_clock::time_point(std::chrono::duration_cast<std::chrono::system_clock::duration>(
        std::chrono::seconds(total) + std::chrono::nanoseconds(nanos)));
  }
  return true;
}

std::string random_hex(std::size_t bytes) {
  std::string raw(bytes, '\0');
  fill_random(reinterpret_cast<unsigned char*>(raw.data()), bytes);
  static const char* kHex = "0123456789abcdef";
  std::string out;
  out.reserve(bytes * 2);
  for (unsigned char c : raw) {
    out += kHex[c >> 4];
    out += kHex[c & 15];
  }
  return out;
}

}  // namespace atio
