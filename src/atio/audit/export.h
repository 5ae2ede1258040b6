// The audit log as others read it: one JSON object per record (the API, JSON
// lines export) and RFC 5424 syslog messages (for a SIEM).
#pragma once

#include <boost/json/object.hpp>

#include <cstdint>
#include <string>

#include "atio/store/audit.h"

namespace atio::audit {

// Every field of the record; `time` as RFC 3339 UTC with milliseconds and
// `time_ms` as stored (the hash covers time_ms), `detail` parsed (or the
// stored text when it is not JSON).
boost::json::object record_json(const store::AuditRecord& r);
boost::json::object checkpoint_json(const store::AuditCheckpoint& c);

// RFC 3339 UTC with milliseconds: 2024-05-01T12:00:00.123Z.
std::string rfc3339_ms(std::int64_t ms);

// One RFC 5424 message (no trailing newline): facility 13 (log audit),
// severity notice for success and warning otherwise, MSGID the action,
// structured data [atio@32473 seq= hash= actor= outcome=] (32473 is the
// example enterprise number of RFC 5612), and the record's JSON as MSG.
std::string syslog_line(const store::AuditRecord& r, const std::string& hostname);

}  // namespace atio::audit
