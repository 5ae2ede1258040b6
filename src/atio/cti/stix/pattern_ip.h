// IPv4/IPv6 addresses and CIDR networks for ISSUBSET/ISSUPERSET and for
// comparing ipv4-addr/ipv6-addr variables. Parsing uses inet_pton.
#pragma once

#include <array>
#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace atio::stix::pattern {

struct IpNetwork {
  int family = 4;                      // 4 or 6
  std::array<std::uint8_t, 16> bytes{};  // IPv4 uses the first 4 bytes
  int prefix = 32;                     // 0..32 (IPv4) or 0..128 (IPv6)

  // "10.0.0.0/8", "::1/128" (canonical inet_ntop form).
  std::string to_string() const;
};

// Parses an address ("10.0.0.5", "::1") or a CIDR ("10.0.0.0/8", "fe80::/10").
// An address without a prefix is a /32 or /128 network. Host bits are kept as
// written. Returns nullopt when malformed (zone ids are not accepted).
std::optional<IpNetwork> parse_ip_network(std::string_view text);

// True when every address of `inner` is in `outer` (same family only).
bool ip_contains(const IpNetwork& outer, const IpNetwork& inner);

// Orders by address bytes, then prefix; different families are unordered.
std::partial_ordering ip_compare(const IpNetwork& a, const IpNetwork& b);

}  // namespace atio::stix::pattern
