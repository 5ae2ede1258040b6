#include "atio/cti/stix/pattern_ip.h"

#include <arpa/inet.h>

#include <charconv>

namespace atio::stix::pattern {

std::string IpNetwork::to_string() const {
  char buf[INET6_ADDRSTRLEN] = {};
  inet_ntop(family == 4 ? AF_INET : AF_INET6, bytes.data(), buf, sizeof(buf));
  return std::string(buf) + "/" + std::to_string(prefix);
}

std::optional<IpNetwork> parse_ip_network(std::string_view text) {
  std::string_view addr = text;
  std::optional<int> prefix;
  if (std::size_t slash = text.find('/'); slash != std::string_view::npos) {
    addr = text.substr(0, slash);
    std::string_view digits = text.substr(slash + 1);
    if (digits.empty() || digits.size() > 3) return std::nullopt;
    int p = 0;
    auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), p);
    if (ec != std::errc() || end != digits.data() + digits.size()) return std::nullopt;
    prefix = p;
  }
  if (addr.empty() || addr.size() >= INET6_ADDRSTRLEN) return std::nullopt;
  std::string z(addr);  // inet_pton needs a NUL-terminated string
  IpNetwork n;
  if (inet_pton(AF_INET, z.c_str(), n.bytes.data()) == 1) {
    n.family = 4;
    n.prefix = prefix.value_or(32);
    if (n.prefix > 32) return std::nullopt;
  } else if (inet_pton(AF_INET6, z.c_str(), n.bytes.data()) == 1) {
    n.family = 6;
    n.prefix = prefix.value_or(128);
    if (n.prefix > 128) return std::nullopt;
  } else {
    return std::nullopt;
  }
  return n;
}

namespace {

// True when the first `bits` bits of a and b are equal.
bool same_prefix(const std::array<std::uint8_t, 16>& a, const std::array<std::uint8_t, 16>& b,
                 int bits) {
  int full = bits / 8;
  for (int i = 0; i < full; ++i) {
    if (a[i] != b[i]) return false;
  }
  int rest = bits % 8;
  if (rest == 0) return true;
  auto mask = static_cast<std::uint8_t>(0xff << (8 - rest));
  return (a[full] & mask) == (b[full] & mask);
}

}  // namespace

bool ip_contains(const IpNetwork& outer, const IpNetwork& inner) {
  if (outer.family != inner.family) return false;
  if (inner.prefix < outer.prefix) return false;
  return same_prefix(outer.bytes, inner.bytes, outer.prefix);
}

std::partial_ordering ip_compare(const IpNetwork& a, const IpNetwork& b) {
  if (a.family != b.family) return std::partial_ordering::unordered;
  if (auto c = a.bytes <=> b.bytes; c != 0) return c;
  return a.prefix <=> b.prefix;
}

}  // namespace atio::stix::pattern
