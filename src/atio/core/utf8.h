// UTF-8 (RFC 3629) checks for bytes that arrive in pieces: a large output
// read page by page, or its first few KiB shown as a preview. A piece may
// end inside a character; these tell where, so the next piece starts there.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace atio {

// The length of the character starting at bytes[0]: 1-4 when valid, 0 when
// the bytes there are not UTF-8 (overlong forms, surrogates and code points
// above U+10FFFF are not), and -1 when they are the valid start of a
// character that `bytes` cuts short. REQUIRES: !bytes.empty().
int utf8_char_length(std::string_view bytes);

// The longest prefix of `bytes` that does not end inside a character (a
// character cut short at the end is left out), as valid UTF-8: bytes that
// are not UTF-8 become U+FFFD. `*used` is the prefix's length in bytes.
std::string utf8_text_prefix(std::string_view bytes, std::size_t* used);

// True when `bytes` is valid UTF-8 but for a character cut short at its end
// (left out of `*used`, the length of the valid part). False when any other
// byte is not UTF-8.
bool utf8_valid_prefix(std::string_view bytes, std::size_t* used);

}  // namespace atio
