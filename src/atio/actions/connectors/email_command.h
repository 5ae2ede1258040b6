// `x-atio-email`: one email through an SMTP server (RFC 5321) with libcurl,
// e.g. to tell an on-call analyst what a playbook found.
//
// Parameters (operation send, the default; * required):
//   to*: array of strings     recipients: "soc@example.org" or
//                            "SOC <soc@example.org>"
//   cc: array of strings      further recipients, shown in Cc
//   from*: string             the sender, as in `to`; also the envelope's
//                            MAIL FROM
//   subject*: string          UTF-8; RFC 2047 encoded when not ASCII
//   body*: string             the text/plain part (UTF-8)
//   html: string              a text/html alternative (multipart/alternative)
//   server: string            "smtp://host:port" or "smtps://host:port"
//   tls: "required" | "opportunistic" | "none"   for smtp:// (default
//                            required): STARTTLS must succeed, is used when
//                            offered, or is not used. smtps:// is TLS from
//                            the first byte. "none" is refused with
//                            credentials, so a password never travels in
//                            clear.
// Where it goes: the `server` parameter; else the step's first net-address
// target (or its net-address agent): address.url[0]
// ("smtps://mail.example.org:465"), else its dname/ipv4/ipv6 as
// "smtp://<host>:587" (the submission port).
// Credentials: the authentication_info of that net-address definition (also
// when `server` is given): user-auth (username, password) or http-basic
// (user_id, password), the password usually from atio's secret store (kms:
// true). libcurl picks the strongest SASL mechanism the server offers
// (PLAIN, LOGIN, ...). TLS certificates are verified as for http-api
// (--ca-file).
//
// The message (RFC 5322): Date, From, To, Cc, Subject, Message-ID, MIME
// 1.0; text parts are UTF-8 in base64, so no line is too long and none
// needs dot-stuffing. The Message-ID is made from the execution and step, the
// same on every attempt and after a resume, so a mail system that drops
// duplicates by Message-ID can. Bcc is not offered: every recipient is shown.
//
// Retries: an SMTP 4xx reply (a transient failure, RFC 5321 section 4.2.1)
// and a connection that cannot be made are tried again with the connectors'
// backoff within the step's timeout. A 5xx reply fails the step at once,
// naming the reply ("SMTP 550 5.1.1 <x@example.org>: user unknown").
// Outputs: "server", "message_id", "recipients", "attempts", "reply" (the
// server's last reply).
// out_args: [0] <- the Message-ID.
#pragma once

#include <string>
#include <vector>

#include "atio/actions/connectors/blocking_command.h"

namespace atio::actions::connectors {

class EmailCommand final : public BlockingCommand {
 public:
  explicit EmailCommand(BlockingServices services);

 protected:
  void check_operation(const Operation& op, const bj::object& raw, const cacao::Playbook& playbook,
                       const cacao::Step& step, const std::string& pointer,
                       json::FieldErrors* errors) const override;
  void run(Invocation inv, Params params, Done done) override;
};

struct EmailMessage {
  std::string from;
  std::vector<std::string> to, cc;
  std::string subject, body, html;
  std::string message_id;  // "<...@...>"
  std::string date;        // RFC 5322 date-time
  std::string boundary;    // for multipart/alternative
};

// The RFC 5322 message text (CRLF line ends).
std::string format_email(const EmailMessage& m);

// The addr-spec of "Name <a@b>" or "a@b"; "" when it is not one.
std::string addr_spec(std::string_view mailbox);

// An unstructured header value as RFC 2047 encoded-words when not ASCII.
std::string encode_header(std::string_view text);

}  // namespace atio::actions::connectors
