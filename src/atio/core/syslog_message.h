// RFC 5424 syslog messages: the header, structured data and MSG of what atio
// sends to a SIEM (audit records, the x-atio-syslog command).
//
//   <PRI>1 TIMESTAMP HOSTNAME APP-NAME PROCID MSGID [SD-ID PARAM="VALUE"...] MSG
//
// Header fields are printable US-ASCII without spaces, cut to their RFC
// length (HOSTNAME 255, APP-NAME 48, PROCID 128, MSGID 32); "-" when empty.
// PARAM-VALUEs escape '"', '\' and ']' with '\' (section 6.3.3). A MSG that
// is not plain ASCII starts with the UTF-8 BOM, as section 6.4 requires of a
// UTF-8 MSG.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace atio {

struct SyslogMessage {
  int facility = 1;  // 0-23 (1: user-level)
  int severity = 5;  // 0-7 (5: notice)
  std::string timestamp;  // RFC 3339, e.g. "2024-05-01T10:00:00.000Z"; "" -> "-"
  std::string hostname;
  std::string app_name;
  std::string procid;
  std::string msgid;
  // SD-ID -> (PARAM-NAME, PARAM-VALUE) in order.
  using Params = std::vector<std::pair<std::string, std::string>>;
  std::vector<std::pair<std::string, Params>> structured_data;
  std::string msg;  // UTF-8; "" sends no MSG
};

// The message as one line of RFC 5424 text (no framing, no trailing newline).
// REQUIRES: every SD-ID and PARAM-NAME is a valid_sd_name().
std::string format_syslog(const SyslogMessage& m);

// A PARAM-VALUE with '"', '\' and ']' escaped.
std::string syslog_param_value(std::string_view value);

// A header field: printable US-ASCII without spaces ('_' replaces others),
// at most `max` characters, "-" when empty.
std::string syslog_header_field(std::string_view value, std::size_t max);

// SD-NAME (section 6.3.2): 1 to 32 printable US-ASCII characters except
// '=', ' ', ']' and '"'. An SD-ID without '@' is reserved to IANA; custom
// ones read "name@<private enterprise number>".
bool valid_sd_name(std::string_view name);

// Severity by RFC 5424 name ("emergency", "alert", "critical", "error",
// "warning", "notice", "informational", and the keywords "emerg", "crit",
// "err", "info") or digit "0"-"7"; -1 when unknown.
int syslog_severity(std::string_view name);

// Facility by name ("kern", "user", "mail", "daemon", "auth", "syslog",
// "lpr", "news", "uucp", "cron", "authpriv", "ftp", "ntp", "audit",
// "alert", "clock", "local0".."local7") or number "0"-"23"; -1 when unknown.
int syslog_facility(std::string_view name);

}  // namespace atio
