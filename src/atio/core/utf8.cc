#include "atio/core/utf8.h"

namespace atio {

int utf8_char_length(std::string_view bytes) {
  const auto b = [&](std::size_t i) { return static_cast<unsigned char>(bytes[i]); };
  const unsigned char c = b(0);
  if (c < 0x80) return 1;
  int n;
  unsigned char lo = 0x80, hi = 0xBF;  // the allowed range of the second byte
  if (c >= 0xC2 && c <= 0xDF) {
    n = 2;
  } else if (c >= 0xE0 && c <= 0xEF) {
    n = 3;
    if (c == 0xE0) lo = 0xA0;  // no overlong forms
    if (c == 0xED) hi = 0x9F;  // no surrogates
  } else if (c >= 0xF0 && c <= 0xF4) {
    n = 4;
    if (c == 0xF0) lo = 0x90;  // no overlong forms
    if (c == 0xF4) hi = 0x8F;  // nothing above U+10FFFF
  } else {
    return 0;
  }
  for (int i = 1; i < n; ++i) {
    if (static_cast<std::size_t>(i) >= bytes.size()) return -1;
    const unsigned char x = b(static_cast<std::size_t>(i));
    if (i == 1 ? (x < lo || x > hi) : (x < 0x80 || x > 0xBF)) return 0;
  }
  return n;
}

std::string utf8_text_prefix(std::string_view bytes, std::size_t* used) {
  std::string out;
  out.reserve(bytes.size());
  std::size_t i = 0;
  while (i < bytes.size()) {
    const int n = utf8_char_length(bytes.substr(i));
    if (n < 0) break;  // cut short: the next piece starts with it
    if (n == 0) {
      out += "\xEF\xBF\xBD";
      ++i;
      continue;
    }
    out.append(bytes.substr(i, static_cast<std::size_t>(n)));
    i += static_cast<std::size_t>(n);
  }
  *used = i;
  return out;
}

bool utf8_valid_prefix(std::string_view bytes, std::size_t* used) {
  std::size_t i = 0;
  while (i < bytes.size()) {
    const int n = utf8_char_length(bytes.substr(i));
    if (n == 0) {
      *used = i;
      return false;
    }
    if (n < 0) break;
    i += static_cast<std::size_t>(n);
  }
  *used = i;
  return true;
}

}  // namespace atio
