#include "atio/cti/convert/winlog_rules.h"

#include <algorithm>
#include <cctype>
#include <string>

#include "atio/core/text.h"

namespace atio::convert::winlog {

namespace {

bool starts(const std::string& s, std::string_view prefix) { return s.starts_with(prefix); }

enum class Log { kSecurity, kSystem, kApplication, kOther };

Log log_of(const Event& e) {
  const std::string c = ascii_lower(e.channel);
  if (c == "security") return Log::kSecurity;
  if (c == "system") return Log::kSystem;
  if (c == "application") return Log::kApplication;
  if (!c.empty()) return Log::kOther;
  const std::string p = ascii_lower(e.provider);
  if (p == "microsoft-windows-security-auditing") return Log::kSecurity;
  if (p == "service control manager") return Log::kSystem;
  return Log::kOther;
}

bool provider_is(const Event& e, std::string_view name) {
  return e.provider.empty() || ascii_lower(e.provider) == name;
}

}  // namespace

std::string_view event_class(const Event& e) {
  const std::string c = ascii_lower(e.channel), p = ascii_lower(e.provider);
  if (c.find("powershell") != std::string::npos || p.find("powershell") != std::string::npos) {
    return "powershell";
  }
  if (starts(c, "microsoft-windows-taskscheduler") || starts(p, "microsoft-windows-taskscheduler")) {
    return "scheduled-task";
  }
  for (std::string_view rdp : {"microsoft-windows-terminalservices-",
                               "microsoft-windows-remotedesktopservices-"}) {
    if (starts(c, rdp) || starts(p, rdp)) return "rdp";
  }
  if (starts(c, "microsoft-windows-wmi-activity") || starts(p, "microsoft-windows-wmi-activity")) {
    return "wmi";
  }
  switch (log_of(e)) {
    case Log::kSecurity: {
      const auto id = e.event_id;
      if (id >= 4698 && id <= 4702) return "scheduled-task";
      if (id == 4778 || id == 4779) return "rdp";
      if ((id == 4624 || id == 4625 || id == 4634) && e.value("LogonType") == "10") return "rdp";
      return "security";
    }
    case Log::kSystem: return "system";
    case Log::kApplication: return "application";
    case Log::kOther: return "other";
  }
  return "other";
}

std::string_view notable_reason(const Event& e) {
  const Log log = log_of(e);
  if (log == Log::kSystem) {
    if (e.event_id == 7045 && provider_is(e, "service control manager")) return "service installed";
    if (e.event_id == 104 && provider_is(e, "microsoft-windows-eventlog")) {
      return "event log cleared";
    }
    return {};
  }
  if (log != Log::kSecurity) return {};
  switch (e.event_id) {
    case 4625: return "logon failure";
    case 4771: return "Kerberos pre-authentication failure";
    case 4776: {
      auto status = e.value("Status");
      auto n = status ? parse_number(*status) : std::nullopt;
      return n && *n != 0 ? "credential validation failure" : "";
    }
    case 4720: return "user account created";
    case 4728: return "member added to a security-enabled global group";
    case 4732: return "member added to a security-enabled local group";
    case 4756: return "member added to a security-enabled universal group";
    case 4697: return "service installed";
    case 1102: return "audit log cleared";
    case 4719: return "audit policy changed";
    case 4698: return "scheduled task created";
    case 4699: return "scheduled task deleted";
    case 4648: return "logon with explicit credentials";
    default: return {};
  }
}

bool targets_group(const Event& e) {
  if (log_of(e) != Log::kSecurity) return false;
  const auto id = e.event_id;
  return (id >= 4727 && id <= 4737) || (id >= 4754 && id <= 4758) || id == 4764 || id == 4799;
}

}  // namespace atio::convert::winlog
