#include "atio/cti/stix/ids.h"

// SHA1_* are deprecated in OpenSSL 3 in favour of EVP, which costs a
// provider fetch per call; ids are hashed per observable on the hot path.
#define OPENSSL_SUPPRESS_DEPRECATED
#include <openssl/sha.h>

#include <array>
#include <vector>

#include "atio/core/ids.h"
#include "atio/cti/stix/jcs.h"

namespace atio::stix {

namespace bj = boost::json;

namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return 0;
}

struct ContributingProperties {
  std::string_view type;
  std::vector<std::string_view> properties;
};

// STIX 2.1 section 6 (each SCO's "ID Contributing Properties").
const ContributingProperties kContributing[] = {
    {"artifact", {"hashes", "payload_bin"}},
    {"autonomous-system", {"number"}},
    {"directory", {"path"}},
    {"domain-name", {"value"}},
    {"email-addr", {"value"}},
    {"email-message", {"from_ref", "subject", "body"}},
    {"file", {"hashes", "name", "extensions", "parent_directory_ref"}},
    {"ipv4-addr", {"value"}},
    {"ipv6-addr", {"value"}},
    {"mac-addr", {"value"}},
    {"mutex", {"name"}},
    {"network-traffic",
     {"start", "end", "src_ref", "dst_ref", "src_port", "dst_port", "protocols", "extensions"}},
    {"process", {}},
    {"software", {"name", "cpe", "swid", "vendor", "version"}},
    {"url", {"value"}},
    {"user-account", {"account_type", "user_id", "account_login"}},
    {"windows-registry-key", {"key", "values"}},
    {"x509-certificate", {"hashes", "serial_number"}},
};

const ContributingProperties* find_contributing(std::string_view type) {
  for (const auto& c : kContributing) {
    if (c.type == type) return &c;
  }
  return nullptr;
}

// Of a hashes dictionary only one hash contributes, chosen in this order
// (as the OASIS reference implementation does).
bj::value one_hash(const bj::value& hashes) {
  if (!hashes.is_object()) return hashes;
  const auto& h = hashes.get_object();
  for (std::string_view algo : {"MD5", "SHA-1", "SHA-256", "SHA-512"}) {
    if (auto it = h.find(algo); it != h.end()) return bj::object{{algo, it->value()}};
  }
  if (h.empty()) return hashes;
  return bj::object{{h.begin()->key(), h.begin()->value()}};
}

}  // namespace

std::string uuid_v5(std::string_view namespace_uuid, std::string_view name) {
  std::array<unsigned char, 16> ns{};
  std::size_t k = 0;
  for (std::size_t i = 0; i + 1 < namespace_uuid.size() && k < 16; ++i) {
    if (namespace_uuid[i] == '-') continue;
    ns[k++] = static_cast<unsigned char>(hex_value(namespace_uuid[i]) * 16 +
                                         hex_value(namespace_uuid[i + 1]));
    ++i;
  }
  SHA_CTX ctx;
  SHA1_Init(&ctx);
  SHA1_Update(&ctx, ns.data(), ns.size());
  SHA1_Update(&ctx, name.data(), name.size());
  unsigned char digest[SHA_DIGEST_LENGTH];
  SHA1_Final(digest, &ctx);
  digest[6] = static_cast<unsigned char>((digest[6] & 0x0F) | 0x50);
  digest[8] = static_cast<unsigned char>((digest[8] & 0x3F) | 0x80);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(36);
  for (int i = 0; i < 16; ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) out.push_back('-');
    out.push_back(kHex[digest[i] >> 4]);
    out.push_back(kHex[digest[i] & 15]);
  }
  return out;
}

std::string random_id(std::string_view type) {
  std::string id(type);
  id += "--";
  id += uuid_v4();
  return id;
}

bool has_contributing_properties(std::string_view type) {
  const auto* c = find_contributing(type);
  return c != nullptr && !c->properties.empty();
}

std::string sco_id(std::string_view type, const bj::object& sco) {
  const auto* c = find_contributing(type);
  if (c == nullptr || c->properties.empty()) return random_id(type);
  bj::object contributing;
  for (std::string_view p : c->properties) {
    auto it = sco.find(p);
    if (it == sco.end()) continue;
    contributing.emplace(p, p == "hashes" ? one_hash(it->value()) : it->value());
  }
  if (contributing.empty()) return random_id(type);
  std::string id(type);
  id += "--";
  id += uuid_v5(kStixNamespace, canonicalize(contributing));
  return id;
}

bool split_id(std::string_view id, std::string_view* type, std::string_view* uuid) {
  const auto sep = id.find("--");
  if (sep == std::string_view::npos || sep == 0) return false;
  std::string_view u = id.substr(sep + 2);
  if (!is_uuid(u)) return false;
  if (type) *type = id.substr(0, sep);
  if (uuid) *uuid = u;
  return true;
}

}  // namespace atio::stix
