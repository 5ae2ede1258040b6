// Identifiers and timestamps.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

namespace atio {

// A random (version 4) UUID in lower-case canonical form.
std::string uuid_v4();
// The same written to out[0..36), for callers that build ids in place.
void uuid_v4_into(char* out);
// The canonical lower-case text of the 128 bits hi:lo (hi first) written to
// out[0..36).
void format_uuid_into(std::uint64_t hi, std::uint64_t lo, char* out);
// A time-ordered (version 7, RFC 9562) UUID: 48 bits of Unix milliseconds,
// then random bits. Ids made later sort later, so B-tree indexes over them
// grow at their end instead of touching random pages (execution ids).
std::string uuid_v7();
// True when `s` is a canonical UUID (8-4-4-4-12 hex digits, any version).
bool is_uuid(std::string_view s);

// RFC 3339 UTC timestamp with milliseconds: 2026-11-23T05:56:45.123Z
std::string format_timestamp(std::chrono::system_clock::time_point t);
enum class TimestampSyntax {
  kStrict,   // RFC 3339: YYYY-MM-DDTHH:MM:SS[.f...] then Z or +HH:MM / -HH:MM
  kLenient,  // also what detectors write: +HHMM (Suricata), a space for T, no zone (UTC)
};
// Parses a timestamp (any number of fraction digits). False when malformed,
// or outside what system_clock holds (about years 1678 to 2262).
bool parse_timestamp(std::string_view s, std::chrono::system_clock::time_point* out,
                     TimestampSyntax syntax = TimestampSyntax::kStrict);

// Random bytes from the OS, hex-encoded (for API keys and tokens).
std::string random_hex(std::size_t bytes);

}  // namespace atio
