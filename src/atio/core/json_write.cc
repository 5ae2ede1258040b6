#include "atio/core/json_write.h"

#include "atio/core/json_sink.h"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/string.hpp>

#include <charconv>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif
#include <cstdint>
#include <cstring>

namespace atio::json {

namespace bj = boost::json;

namespace {

void put_escaped(char c, Sink& sink) {
  static constexpr char kHex[] = "0123456789abcdef";
  char* q = sink.room(6);
  q[0] = '\\';
  switch (c) {
    case '"': q[1] = '"'; sink.advance(q + 2); return;
    case '\\': q[1] = '\\'; sink.advance(q + 2); return;
    case '\b': q[1] = 'b'; sink.advance(q + 2); return;
    case '\t': q[1] = 't'; sink.advance(q + 2); return;
    case '\n': q[1] = 'n'; sink.advance(q + 2); return;
    case '\f': q[1] = 'f'; sink.advance(q + 2); return;
    case '\r': q[1] = 'r'; sink.advance(q + 2); return;
    default:
      q[1] = 'u', q[2] = '0', q[3] = '0';
      q[4] = kHex[static_cast<unsigned char>(c) >> 4];
      q[5] = kHex[static_cast<unsigned char>(c) & 15];
      sink.advance(q + 6);
  }
}

inline bool needs_escape(char c) {
  const auto u = static_cast<unsigned char>(c);
  return u < 0x20 || u == '"' || u == '\\';
}

}  // namespace

#if defined(__SSE2__)
namespace {

// Bit i set: byte i of `x` is one JSON escapes (below 0x20, '"' or '\\').
inline unsigned escape_mask(__m128i x) {
  const __m128i quote = _mm_cmpeq_epi8(x, _mm_set1_epi8('"'));
  const __m128i backslash = _mm_cmpeq_epi8(x, _mm_set1_epi8('\\'));
  const __m128i low = _mm_set1_epi8(0x1f);
  const __m128i control = _mm_cmpeq_epi8(_mm_max_epu8(x, low), low);
  return static_cast<unsigned>(
      _mm_movemask_epi8(_mm_or_si128(_mm_or_si128(quote, backslash), control)));
}

// True when the 16 bytes from `p` lie in one 4 KiB page, so reading them
// cannot fault even where the string ends before them.
inline bool same_page(const char* p) {
  return (reinterpret_cast<std::uintptr_t>(p) & 4095) <= 4096 - 16;
}

}  // namespace

// Sixteen bytes at a time: most strings are plain ASCII and need no escape,
// so each block is checked and stored whole. A tail shorter than a block is
// read with one load when that cannot cross a page (the bytes past the
// string are masked off and never written out), else from a padded copy.
// The sanitizer would call that load an overflow; it is deliberate.
__attribute__((no_sanitize("address"))) void put_string(std::string_view s, Sink& sink) {
  const char* p = s.data();
  const char* const end = p + s.size();
  char* q = sink.room_at(nullptr, 1 + 16);
  *q++ = '"';
  while (p < end) {
    const auto left = static_cast<std::size_t>(end - p);
    __m128i x;
    std::size_t take = 16;
    unsigned mask;
    if (left >= 16) {
      x = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
      mask = escape_mask(x);
    } else {
      if (same_page(p)) {
        x = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
      } else {
        alignas(16) char tail[16] = {};
        std::memcpy(tail, p, left);
        x = _mm_load_si128(reinterpret_cast<const __m128i*>(tail));
      }
      mask = escape_mask(x) & ((1u << left) - 1);
      take = left;
    }
    _mm_storeu_si128(reinterpret_cast<__m128i*>(q), x);
    if (mask == 0) {
      p += take;
      q = sink.room_at(q + take, 16 + 1);
      continue;
    }
    const auto clean = static_cast<std::size_t>(__builtin_ctz(mask));
    sink.advance(q + clean);
    p += clean;
    put_escaped(*p++, sink);
    q = sink.room_at(nullptr, 16 + 1);
  }
  *q++ = '"';
  sink.advance(q);
}
#else
void put_string(std::string_view s, Sink& sink) {
  sink.put('"');
  for (char c : s) {
    if (needs_escape(c)) {
      put_escaped(c, sink);
    } else {
      sink.put(c);
    }
  }
  sink.put('"');
}
#endif

namespace {

template <typename Int>
void put_integer(Int v, Sink& sink) {
  char* q = sink.room(24);
  sink.advance(std::to_chars(q, q + 24, v).ptr);
}

}  // namespace

void put_integer(std::int64_t v, Sink& sink) { put_integer<std::int64_t>(v, sink); }

void put_object(const bj::object& o, Sink& sink) {
  sink.put('{');
  bool first = true;
  for (const auto& kv : o) {
    if (!first) sink.put(',');
    first = false;
    put_string(kv.key(), sink);
    sink.put(':');
    put_value(kv.value(), sink);
  }
  sink.put('}');
}

void put_value(const bj::value& v, Sink& sink) {
  switch (v.kind()) {
    case bj::kind::null: sink.put("null"); return;
    case bj::kind::bool_: sink.put(v.get_bool() ? "true" : "false"); return;
    case bj::kind::int64: put_integer(v.get_int64(), sink); return;
    case bj::kind::uint64: put_integer(v.get_uint64(), sink); return;
    // Boost's own shortest form, so that doubles read back identically.
    case bj::kind::double_: sink.put(bj::serialize(v)); return;
    case bj::kind::string: put_string(v.get_string(), sink); return;
    case bj::kind::array: {
      sink.put('[');
      bool first = true;
      for (const auto& e : v.get_array()) {
        if (!first) sink.put(',');
        first = false;
        put_value(e, sink);
      }
      sink.put(']');
      return;
    }
    case bj::kind::object: put_object(v.get_object(), sink); return;
  }
}

void dump_append(const bj::value& v, std::string* out) {
  Sink sink(out);
  put_value(v, sink);
}

void append_quoted(std::string_view s, std::string* out) {
  Sink sink(out);
  put_string(s, sink);
}

void dump_append(const bj::object& o, std::string* out) {
  Sink sink(out);
  put_object(o, sink);
}

}  // namespace atio::json
