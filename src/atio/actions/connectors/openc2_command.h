// CACAO `openc2-http`: an OpenC2 command sent to an OpenC2 consumer over
// HTTPS, as the OpenC2 "Specification for Transfer of OpenC2 Messages via
// HTTPS" v1.0 describes it.
//
// The command object (CACAO 2.0 commands/openc2-http.json):
//   command*:     the HTTP start line, method POST: "POST /.well-known/openc2
//                 HTTP/1.1" (the transfer spec's default path). The target
//                 must be a path below the step's http-api target.
//   content_b64*: the OpenC2 command (JSON, OpenC2 Language Spec v1.0),
//                 base64-encoded: {"action": "deny", "target": {"ipv4_net":
//                 "10.0.0.5"}, "args": {...}, "actuator": {...}}; or an
//                 OpenC2 message holding it, as SOARCA's playbooks write it:
//                 {"headers": {"request_id": ..., "from": ..., "to": [...]},
//                  "body": {"openc2": {"request": <the command>}}}.
//   headers:      extra headers, name -> list of values (replace the
//                 defaults of the same name; credential headers are
//                 redacted in the journal).
// Checked at validation (when content_b64 is written out, not a variable):
// content_b64 decodes to a JSON object; `action` is one of the 19 actions of
// the Language Spec v1.0; `target`, and `actuator` when given, are objects
// with exactly one property (a choice); `args` is an object. Errors name the
// command's property and the pointer inside the OpenC2 command.
//
// Where it goes and with which credentials: as every connector (connector.h).
// Request: POST <target URL><path>, the decoded content as the body,
//   Content-Type: application/openc2-cmd+json;version=1.0 (a command), or
//                 application/openc2+json;version=1.0 (a message)
//   Accept:       application/openc2-rsp+json;version=1.0, or the message
//                 type for a message
//   X-Request-ID: <execution>:<step> (the transfer spec's request_id; the
//                 same on every attempt, as Idempotency-Key)
// Retries: 429 and 5xx, as every connector (backoff.h).
// Success: an HTTP 2xx answer whose body is an OpenC2 response (alone, or
//   in a message's body.openc2.response) with status 200 (OK) or 102
//   (Processing). Any other OpenC2 status, or an answer that
//   is no OpenC2 response, fails the step naming the status and its
//   status_text.
// Outputs (besides connector.h's): "openc2_status", "status_text",
//   "results" (when the response has them).
// out_args: [0] <- the response's results (or the whole response when it has
//   none), [1] <- the OpenC2 status.
#pragma once

#include <string>

#include "atio/actions/connectors/connector.h"

namespace atio::actions::connectors {

class OpenC2Command final : public ConnectorCommand {
 public:
  OpenC2Command(std::shared_ptr<RetrySender> sender, HttpApiOptions options);

 protected:
  void check_operation(const Operation& op, const bj::object& raw, const std::string& pointer,
                       json::FieldErrors* errors) const override;
  void run(std::shared_ptr<Call> call, Done done) override;
};

// The rules of the OpenC2 Language Spec v1.0 that a command, or the command
// in a message, breaks, as (pointer inside `doc`, rule) pairs ("/action",
// "/body/openc2/request/action"); empty when none.
std::vector<std::pair<std::string, std::string>> openc2_command_errors(const bj::value& doc);

}  // namespace atio::actions::connectors
