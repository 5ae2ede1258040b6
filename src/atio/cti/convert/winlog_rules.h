// How atio reads a Windows event: its class and whether it is notable.
//
// x_atio_event_class, first rule that matches:
//   powershell      channel or provider names PowerShell
//   scheduled-task  channel/provider Microsoft-Windows-TaskScheduler; Security 4698-4702
//   rdp             channel/provider Microsoft-Windows-TerminalServices-* or
//                   -RemoteDesktopServices-*; Security 4778/4779; Security logon
//                   events 4624/4625/4634 with LogonType 10 (RemoteInteractive)
//   wmi             channel/provider Microsoft-Windows-WMI-Activity
//   security        channel Security (or, without a channel, provider
//                   Microsoft-Windows-Security-Auditing)
//   system          channel System (or, without a channel, provider Service Control Manager)
//   application     channel Application
//   other           everything else (Sysmon, ...)
//
// Notable events (x_atio_notable, with x_atio_notable_reason):
//   Security: 4625 logon failure, 4771 Kerberos pre-authentication failure,
//   4776 with a non-zero Status (credential validation failure), 4720 account
//   created, 4728/4732/4756 member added to a security-enabled global/local/
//   universal group, 4697 service installed, 1102 audit log cleared, 4719
//   audit policy changed, 4698/4699 scheduled task created/deleted, 4648
//   logon with explicit credentials.
//   System: 7045 service installed (Service Control Manager), 104 event log
//   cleared (Microsoft-Windows-Eventlog). An id from another channel, or from
//   another provider when the record names one, is a different event.
#pragma once

#include <string_view>

#include "atio/cti/convert/winlog_event.h"

namespace atio::convert::winlog {

std::string_view event_class(const Event& e);

// The reason an event is notable, "" when it is not.
std::string_view notable_reason(const Event& e);

// True for events whose Target* fields name a group, not a user (4727-4737,
// 4754-4758, 4764, 4799): the member is the user.
bool targets_group(const Event& e);

}  // namespace atio::convert::winlog
