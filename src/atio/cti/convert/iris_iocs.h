// The IOCs of an IRIS alert, read from a STIX bundle.
//
//   SCO                    IRIS ioc type (iris_ids.h)
//   ipv4-addr / ipv6-addr  ip-src when only a network-traffic's src_ref names it,
//                          ip-dst when only a dst_ref does, ip-any otherwise
//   domain-name            domain
//   url                    url
//   email-addr             email-dst when only an email-message's to/cc/bcc
//                          names it, email-src otherwise
//   mac-addr               mac-address
//   file / artifact hashes md5, sha1, sha224, sha256, sha384, sha512, sha3-256,
//                          sha3-512, ssdeep, tlsh (hex lower-cased: IRIS checks
//                          [a-f0-9])
//   indicator              each `object:path = 'value'` comparison of a STIX
//                          pattern the table above covers (network-traffic
//                          src_ref/dst_ref, email-message from/to, file:name as
//                          filename); a pattern with none, or of another
//                          pattern_type, becomes one IOC of the pattern itself
//                          (stix2-pattern, snort/suricata, sigma, yara, other)
//
// ioc_tlp_id comes from the object's TLP marking (TLP 1.0 and 2.0 ids, or a
// marking-definition in the bundle naming the level), else from the markings
// of a report / observed-data / grouping that lists it, else the default; the
// most restrictive level wins. IOCs are unique by (type, value).
#pragma once

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include <string_view>
#include <unordered_map>
#include <vector>

namespace atio::convert::iris {

namespace bj = boost::json;

// The objects of one bundle with an index by id (views into it).
class BundleView {
 public:
  explicit BundleView(const bj::array& objects);
  const std::vector<const bj::object*>& objects() const { return objects_; }
  const bj::object* find(std::string_view id) const;

 private:
  std::vector<const bj::object*> objects_;
  std::unordered_map<std::string_view, const bj::object*> by_id_;
};

// The IRIS TLP id of the most restrictive TLP marking among `refs`; 0 when
// none of them is a TLP marking.
int tlp_of_markings(const BundleView& bundle, const std::vector<std::string_view>& refs);

bj::array collect_iocs(const BundleView& bundle, int default_tlp);

}  // namespace atio::convert::iris
