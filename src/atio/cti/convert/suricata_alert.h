// Writing the STIX bundle of one Suricata alert (see suricata.h for the
// mapping). Internal to the Suricata converter.
//
// The bundle is written as JSON text directly, not built as a value and then
// serialised: this is the converter's hot path. It is valid STIX by
// construction, which the full validator is not asked to re-check at run
// time (ConverterInfo::valid_by_construction):
//   - its shape is fixed here: required properties, id/type agreement,
//     references to objects of the right types inside the bundle, custom
//     property names;
//   - every value taken from the alert is checked where it is written, with
//     the validator's own rules where STIX has one: addresses
//     (stix::check::ipv4_value/ipv6_value), ports 0-65535, times (parsed
//     and written in STIX form), hashes (hex of the algorithm's length),
//     ATT&CK technique ids (T1234 or T1234.123); text needs no check (the
//     parser accepts only valid UTF-8, and the writer escapes).
// Tests hold every corpus alert's bundle to the full validator and to the
// OASIS schemas, and a fuzz target holds arbitrary alerts to the validator.
#pragma once

#include <boost/json/object.hpp>

#include <string>
#include <string_view>
#include <vector>

#include "atio/core/json_text.h"
#include "atio/core/status.h"

namespace atio::convert::suricata {

namespace bj = boost::json;

// Context of a flow gathered from non-alert records (http, dns, tls,
// fileinfo), used when the alert itself does not carry it.
struct FlowContext {
  bj::object members;  // "http" -> {...}, "dns" -> {...}, "tls" -> {...}, "fileinfo" -> {...}
};

// A STIX id, "type--uuid", held without allocation.
class StixId {
 public:
  // type--<random v4 uuid>
  static StixId random(std::string_view type);
  // type--<v5 uuid of `canonical` in the STIX namespace>
  static StixId named(std::string_view type, std::string_view canonical);
  std::string_view view() const { return {text_, size_}; }
  bool operator==(const StixId& o) const { return view() == o.view(); }

 private:
  // The longest SCO type (windows-registry-key) is 20 characters.
  char text_[64];
  std::size_t size_ = 0;
};

// Writes bundles; keeps its scratch space from one alert to the next.
class AlertWriter {
 public:
  // `sensor` names the sensor when a record has no `host`.
  explicit AlertWriter(std::string sensor) : sensor_(std::move(sensor)) {}

  // Appends the bundle of one alert record to `*out` (nothing on error).
  // `context` may be null; `now` is the STIX timestamp used as
  // created/modified. Errors (kInvalidArgument) name the missing or malformed
  // field: "timestamp: ...", "alert.signature: ...", "src_ip: ...".
  Status write(const bj::object& record, const FlowContext* context, std::string_view now,
               std::string* out);

 private:
  static constexpr std::size_t kNone = static_cast<std::size_t>(-1);

  // Each returns the index in objects_ of the SCO it wrote or found (the
  // same observable twice in one bundle is written once), or kNone.
  std::size_t add_sco(std::string_view type, std::string_view canonical,
                      std::string_view members);
  std::size_t add_address(std::string_view ip);
  std::size_t add_host(std::string_view name);
  std::size_t add_url(std::string_view host, std::string_view path);
  std::size_t add_file(const bj::object& f);
  std::size_t add_certificate(const bj::object& tls);
  // Adds the SCO to the observed-data's refs, once.
  void observe(std::size_t index);
  std::size_t add_sdo_id(std::string_view type);

  std::string sensor_;
  json::JsonText* text_ = nullptr;     // the bundle being written
  std::vector<StixId> objects_;        // ids of the bundle's objects, in order
  std::vector<std::size_t> observed_;  // indexes in objects_ of the SCOs observed
  std::string canonical_, members_, extension_;
};

}  // namespace atio::convert::suricata
