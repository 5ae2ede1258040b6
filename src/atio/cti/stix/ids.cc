#include "atio/cti/stix/ids.h"

// SHA1_* are deprecated in OpenSSL 3 in favour of EVP, which costs a
// provider fetch per call; ids are hashed per observable on the hot path.
#define OPENSSL_SUPPRESS_DEPRECATED
#include <openssl/sha.h>

#include <algorithm>
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
// (as the OASIS reference implementation does). Appends its canonical form.
void put_one_hash(const bj::value& hashes, std::string* out) {
  if (!hashes.is_object() || hashes.get_object().empty()) {
    canonicalize(hashes, out);
    return;
  }
  const auto& h = hashes.get_object();
  const bj::key_value_pair* chosen = nullptr;
  for (std::string_view algo : {"MD5", "SHA-1", "SHA-256", "SHA-512"}) {
    if (auto it = h.find(algo); it != h.end()) {
      chosen = &*it;
      break;
    }
  }
  if (chosen == nullptr) chosen = &*h.begin();
  out->push_back('{');
  canonicalize_string(chosen->key(), out);
  out->push_back(':');
  canonicalize(chosen->value(), out);
  out->push_back('}');
}

}  // namespace

void uuid_v5_into(std::string_view namespace_uuid, std::string_view name, char* out) {
  // The namespace's 16 bytes, parsed once per namespace in a row (every SCO
  // id uses the STIX namespace).
  thread_local std::string last_namespace;
  thread_local std::array<unsigned char, 16> ns{};
  if (namespace_uuid != last_namespace) {
    ns.fill(0);
    std::size_t k = 0;
    for (std::size_t i = 0; i + 1 < namespace_uuid.size() && k < 16; ++i) {
      if (namespace_uuid[i] == '-') continue;
      ns[k++] = static_cast<unsigned char>(hex_value(namespace_uuid[i]) * 16 +
                                           hex_value(namespace_uuid[i + 1]));
      ++i;
    }
    last_namespace.assign(namespace_uuid);
  }
  SHA_CTX ctx;
  SHA1_Init(&ctx);
  SHA1_Update(&ctx, ns.data(), ns.size());
  SHA1_Update(&ctx, name.data(), name.size());
  unsigned char digest[SHA_DIGEST_LENGTH];
  SHA1_Final(digest, &ctx);
  digest[6] = static_cast<unsigned char>((digest[6] & 0x0F) | 0x50);
  digest[8] = static_cast<unsigned char>((digest[8] & 0x3F) | 0x80);
  std::uint64_t hi = 0, lo = 0;
  for (int i = 0; i < 8; ++i) hi = (hi << 8) | digest[i];
  for (int i = 8; i < 16; ++i) lo = (lo << 8) | digest[i];
  format_uuid_into(hi, lo, out);
}

std::string uuid_v5(std::string_view namespace_uuid, std::string_view name) {
  std::string out(36, '-');
  uuid_v5_into(namespace_uuid, name, out.data());
  return out;
}

std::string random_id(std::string_view type) {
  std::string id(type);
  id += "--";
  id += uuid_v4();
  return id;
}

std::string sco_id(std::string_view type, const bj::object& sco) {
  const auto* c = find_contributing(type);
  if (c == nullptr || c->properties.empty()) return random_id(type);
  // The canonical form of {contributing properties} written directly: the
  // property names are ASCII, so sorting them by bytes is the JCS order.
  const bj::key_value_pair* present[8];
  std::size_t n = 0;
  for (std::string_view p : c->properties) {
    auto it = sco.find(p);
    if (it != sco.end() && n < 8) present[n++] = &*it;
  }
  if (n == 0) return random_id(type);
  for (std::size_t i = 1; i < n; ++i) {  // insertion sort: n <= 8
    for (std::size_t j = i; j > 0 && present[j]->key() < present[j - 1]->key(); --j) {
      std::swap(present[j], present[j - 1]);
    }
  }
  // A cache of recent ids was measured slower than hashing anew: SHA-1 of
  // a short name costs less than a lookup that misses the CPU caches.
  std::string name;
  name.reserve(96);
  name.push_back('{');
  for (std::size_t i = 0; i < n; ++i) {
    if (i) name.push_back(',');
    canonicalize_string(present[i]->key(), &name);
    name.push_back(':');
    if (present[i]->key() == "hashes") {
      put_one_hash(present[i]->value(), &name);
    } else {
      canonicalize(present[i]->value(), &name);
    }
  }
  name.push_back('}');
  std::string id(type);
  id += "--";
  id += uuid_v5(kStixNamespace, name);
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
