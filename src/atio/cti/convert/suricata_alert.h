// Building the STIX bundle of one Suricata alert (see suricata.h for the
// mapping). Internal to the Suricata converter.
#pragma once

#include <boost/json/object.hpp>

#include <string>
#include <string_view>

#include "atio/core/status.h"

namespace atio::convert::suricata {

namespace bj = boost::json;

// Context of a flow gathered from non-alert records (http, dns, tls,
// fileinfo), used when the alert itself does not carry it.
struct FlowContext {
  bj::object members;  // "http" -> {...}, "dns" -> {...}, "tls" -> {...}, "fileinfo" -> {...}
};

// The bundle of one alert record. `context` may be null. `sensor` names the
// sensor when the record has no `host`; `now` is the STIX timestamp used as
// created/modified. Errors (kInvalidArgument) name the missing or malformed
// field: "timestamp: ...", "alert.signature: ...", "src_ip: ...". The bundle
// is made in `sp`.
Result<bj::object> alert_to_bundle(const bj::object& record, const FlowContext* context,
                                   std::string_view sensor, std::string_view now,
                                   const bj::storage_ptr& sp);

}  // namespace atio::convert::suricata
