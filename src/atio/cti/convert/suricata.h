// Suricata EVE JSON -> STIX 2.1: one bundle per alert.
//
// Input: EVE records as NDJSON (what Suricata writes), a JSON array, or
// pretty-printed records one after another, streamed (memory flat in the
// input size). Records other than alerts (flow, dns, http, tls, fileinfo, ...)
// are not converted; they are remembered per flow_id as context for later
// alerts of the same flow, and counted as skipped.
//
// Each alert becomes a bundle of:
//   identity         the sensor (EVE `host`, else the `sensor` option, else
//                    "suricata"), identity_class "system"
//   ipv4-addr/ipv6-addr  the actor (alert.source, else src_ip) and the target
//                    (alert.target, else dest_ip), deterministic ids
//   network-traffic  actor -> target with ports, protocols (transport, then the
//                    application protocol), flow start, and the
//                    http-request-ext when HTTP context is present
//   domain-name, url, file, x509-certificate  from http/dns/tls/fileinfo context
//   attack-pattern   the signature: name, category, external references
//                    (suricata gid:sid:rev; mitre-attack technique ids from the
//                    rule metadata) and kill chain phases (mitre-attack tactics)
//   observed-data    the SCOs above, first/last observed at the alert time
//   sighting         of the attack-pattern, where_sighted the sensor,
//                    first_seen = last_seen = alert time, count 1, confidence
//   report           "Suricata alert: <signature>", published at the alert time,
//                    refs to everything above, x_atio_actor_ref/x_atio_target_ref
//                    naming the two addresses, confidence
//
// Confidence (0-100) from the alert severity and the rule metadata:
//   severity 1 -> 80, 2 -> 60, 3 -> 40, anything else -> 20; then
//   metadata confidence High +15, Medium 0, Low -15;
//   metadata signature_severity Critical +10, Major +5, Minor -5, Informational -10;
//   clamped to 0..100.
#pragma once

#include <boost/json/object.hpp>

#include <string>

#include "atio/cti/convert/registry.h"

namespace atio::convert {

// from "suricata" to "stix". Options: {"sensor": "<name>"} names the sensor
// when the records have no `host`.
ConverterInfo suricata_to_stix_info();

// The confidence mapping above, for one alert object (EVE's "alert" member).
int suricata_confidence(const bj::object& alert);

}  // namespace atio::convert
