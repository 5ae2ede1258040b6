// Hashes and comparisons for credentials (OpenSSL).
#pragma once

#include <string>
#include <string_view>

namespace atio::server::auth {

// Lower-case hex SHA-256 of `data`.
std::string sha256_hex(std::string_view data);
// Lower-case hex HMAC-SHA256 of `data` with `key`.
std::string hmac_sha256_hex(std::string_view key, std::string_view data);
// Compares in time that depends only on the lengths (CRYPTO_memcmp), so a
// caller cannot learn a secret byte by byte from response times.
bool constant_time_equal(std::string_view a, std::string_view b);
// A new secret: `prefix` followed by 64 hex digits (256 random bits).
std::string new_secret(std::string_view prefix);

}  // namespace atio::server::auth
