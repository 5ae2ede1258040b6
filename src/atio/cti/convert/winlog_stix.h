// One Windows event as a STIX 2.1 bundle:
//
//   observed-data   first_observed = last_observed = the event time,
//                   number_observed 1, object_refs = every SCO below;
//                   x_atio_event_class, x_atio_notable / x_atio_notable_reason
//                   (winlog_rules.h) and the record's x_windows_event_id,
//                   x_windows_channel, x_windows_provider, x_windows_record_id,
//                   x_windows_computer, x_windows_message, x_windows_event_data
//   x-oca-event     the event itself as an observable (the Open Cybersecurity
//                   Alliance's STIX extension, as stix-shifter writes Windows
//                   events): code, provider, module (channel), category,
//                   user_ref, process_ref, network_ref. Not OCA's "created"
//                   (STIX tools read it as an SDO's) nor "action" (the OASIS
//                   SCO schema refuses it): time and reason are on the
//                   observed-data. It gives every
//                   observed-data the SCO STIX requires even when the event
//                   names nothing else (a 104 "log cleared" record).
//   user-account    one per account the event names (Subject*, Target* unless
//                   the target is a group, Member*, the NXLog UserID/AccountName
//                   pair, ServiceAccount): user_id = the SID (not S-1-0-0),
//                   account_login, display_name, account_type (see
//                   account_type() in the .cc). When the structured fields are
//                   missing (NXLog's 1102), the "Subject:" block of the message.
//   process, file,  NewProcessId/NewProcessName/CommandLine with the parent
//   directory       (ProcessId, ParentProcessName) for 4688; otherwise
//                   ProcessId|ProcessID with ProcessName|Application, callers
//                   and clients; a service install (4697/7045) as a process
//                   with command_line = the image path and windows-service-ext.
//   ipv4-addr,      IpAddress, SourceAddress, DestAddress; "-", "", 0.0.0.0 and
//   ipv6-addr,      :: carry no address and are left out, loopback is kept,
//   network-traffic ::ffff:a.b.c.d is the IPv4 address. A network-traffic
//                   joins them (src_ref/dst_ref, ports, protocols, start).
//
// The host is an infrastructure SDO (name = the computer, x_atio_platform
// "windows") with "consists-of" to the observed-data: STIX's identity is for
// people, organisations and classes of them, while infrastructure describes
// systems "targeted by an attack", which is what a logging host is to an
// analyst, and it is what the IRIS converter turns into an alert asset.
#pragma once

#include <boost/json/object.hpp>

#include "atio/cti/convert/winlog_event.h"

namespace atio::convert::winlog {

bj::object event_to_bundle(const Event& e);

}  // namespace atio::convert::winlog
