#include "atio/store/monitor.h"

#include <sodium.h>

#include "atio/cti/stix/jcs.h"

namespace atio::store {

std::string playbook_content_hash(const boost::json::object& document) {
  const std::string canonical = stix::canonicalize(boost::json::value(document));
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(digest, reinterpret_cast<const unsigned char*>(canonical.data()),
                     canonical.size());
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out(2 * sizeof digest, '0');
  for (std::size_t i = 0; i < sizeof digest; ++i) {
    out[2 * i] = kDigits[digest[i] >> 4];
    out[2 * i + 1] = kDigits[digest[i] & 15];
  }
  return out;
}

}  // namespace atio::store
