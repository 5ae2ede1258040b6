// Text helpers of the condition language: literal codecs, quoting and SQL
// LIKE matching.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace atio::stix::pattern {

// Decodes hex digits (even count, either case); nullopt when malformed.
std::optional<std::string> hex_decode(std::string_view hex);
// Decodes standard base64 with padding (RFC 4648 section 4); nullopt when
// malformed.
std::optional<std::string> base64_decode(std::string_view b64);

// 'text' with ' and \ escaped by a backslash.
std::string quote(std::string_view text);


// The bytes a string stands for when it is compared with binary data: each
// character (UTF-8 decoded) is one byte; nullopt when a character is U+0100
// or above, or the UTF-8 is malformed.
std::optional<std::string> utf8_to_latin1(std::string_view text);

// SQL LIKE: % matches any run of characters, _ exactly one UTF-8 character;
// everything else matches itself (case-sensitive, no escape character).
bool like_match(std::string_view text, std::string_view pattern);

}  // namespace atio::stix::pattern
