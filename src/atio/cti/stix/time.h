// STIX 2.1 timestamps: RFC 3339 in UTC ("Z") with millisecond precision.
#pragma once

#include <chrono>
#include <string>
#include <string_view>

namespace atio::stix {

using TimePoint = std::chrono::system_clock::time_point;

// 2026-11-30T01:02:03.456Z (always three fraction digits).
std::string format_time(TimePoint t);

// Reads the timestamps detectors write: RFC 3339 with Z or an offset, the
// offset with or without a colon (Suricata writes "+0100"), a space instead of
// "T", any number of fraction digits, and no zone at all (taken as UTC).
// False when malformed.
bool parse_time(std::string_view s, TimePoint* out);

// True when `s` is a STIX timestamp: YYYY-MM-DDTHH:MM:SS[.s+]Z.
bool is_stix_timestamp(std::string_view s);

// Reads a time in seconds since the Unix epoch as written in many tools
// ("1700000000", "1700000000.123"). False when malformed.
bool parse_epoch_seconds(std::string_view s, TimePoint* out);

}  // namespace atio::stix
