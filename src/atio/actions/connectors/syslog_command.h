// `x-atio-syslog`: one RFC 5424 message to a syslog collector over UDP
// (RFC 5426), TCP (RFC 6587 octet counting) or TLS (RFC 5425), e.g. to tell
// a SIEM what a playbook found or did.
//
// Parameters (operation send, the default; * required):
//   message*: string         the MSG (UTF-8; sent after a BOM when not ASCII)
//   severity: string|integer  an RFC 5424 name (emergency, alert, critical,
//                            error, warning, notice, informational, debug; or
//                            emerg, crit, err, info) or 0-7; default notice
//   facility: string|integer  kern, user, mail, daemon, auth, syslog, lpr,
//                            news, uucp, cron, authpriv, ftp, ntp, audit,
//                            alert, clock, local0-local7, or 0-23; default user
//   app_name: string          default "atio"
//   msgid: string             default "-"
//   hostname: string          default this machine's host name
//   structured_data: object   SD-ID -> {PARAM-NAME: value}; values are
//                            strings, numbers or booleans (sent as text,
//                            escaped per RFC 5424 section 6.3.3); SD-IDs and
//                            names are SD-NAMEs (1-32 printable ASCII, no
//                            '=', ' ', ']', '"'); custom SD-IDs read
//                            "name@<enterprise number>"
//   collector: string         "udp://host:port", "tcp://host:port",
//                            "tls://host:port" or "host:port" (UDP)
// Every message also carries [atio@32473 execution="…" step="…"] so a SIEM
// can tie it to the execution.
//
// Where it goes: the `collector` parameter; else the step's first net-address
// target (or its net-address agent): address.url[0] as a collector address
// ("tls://siem.example.org:6514"), else its dname/ipv4/ipv6 as
// "udp://<host>:514" (RFC 5426's port; CACAO's net-address has no port).
// TLS verifies the collector's certificate with atio's --ca-file (or the
// system CAs) unless TLS verification is off, as for http-api.
//
// Retries: a connection that cannot be made (refused, reset, TLS failure,
// name not resolved) is tried again with the connectors' backoff within the
// step's timeout. UDP has no answer: a datagram handed to the kernel is a
// success. TCP and TLS have no acknowledgement either: a frame written is a
// success.
// Outputs: "collector", "message" (the RFC 5424 text), "attempts".
// out_args: [0] <- the RFC 5424 text sent.
#pragma once

#include <string>

#include "atio/actions/connectors/blocking_command.h"

namespace atio::actions::connectors {

class SyslogCommand final : public BlockingCommand {
 public:
  explicit SyslogCommand(BlockingServices services);

 protected:
  void check_operation(const Operation& op, const bj::object& raw, const cacao::Playbook& playbook,
                       const cacao::Step& step, const std::string& pointer,
                       json::FieldErrors* errors) const override;
  void run(Invocation inv, Params params, Done done) override;
};

// Where a syslog step sends (see the header): `collector` when not empty,
// else the step's net-address definition. kInvalidArgument naming the rule.
Result<std::string> syslog_collector(const std::string& collector, const cacao::Playbook& playbook,
                                     const cacao::Step& step);

}  // namespace atio::actions::connectors
