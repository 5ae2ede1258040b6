// The CACAO `http-api` command type: one HTTP request per command, sent
// through a shared HttpClient. How the request is built (request line,
// address and scheme rules, authentication, headers, body) is described in
// http_api_request.h.
//
// Outcome:
//   status   OK for a 2xx response. kFailed "HTTP 503 from <url>" for any other
//            status code; kTimeout, kUnavailable, kAborted, kPayloadTooLarge
//            from the client (message prefixed with "<METHOD> <url>");
//            kInvalidArgument when the command cannot be turned into a request.
//   outputs  whenever a response arrived (also for non-2xx):
//              "status_code": integer,
//              "headers": {lower-case name: value} (repeated headers joined
//                         with ", "),
//              "body": the body as a string when it is valid UTF-8, else
//              "body_b64": the body in base64,
//              "json": the parsed body, when the response is JSON (Content-Type
//                      mentions "json", or no Content-Type and the body
//                      parses as a JSON object or array).
//   out_args (2xx only; by position in step.out_args):
//              out_args[0] <- the body: its JSON value when the response is
//                             JSON, else the body string (base64 when not
//                             UTF-8);
//              out_args[1] <- the status code (integer).
//            Further out_args are left untouched.
//
// URLs in messages and outputs have user:password@ removed.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "atio/actions/action.h"
#include "atio/core/secret_source.h"
#include "atio/actions/http/http_api_request.h"
#include "atio/actions/http/http_client.h"

namespace atio::actions {

struct HttpApiOptions {
  // Used when the invocation has no timeout of its own.
  std::chrono::milliseconds default_timeout{30000};
  bool verify_tls = true;
  std::optional<std::string> ca_file;  // PEM bundle replacing the system CAs
  // Credentials named by kms authentication_info; outlives the command.
  const SecretSource* secrets = nullptr;
};

class HttpApiCommand final : public CommandType {
 public:
  // REQUIRES: `client` outlives this object and every started invocation.
  explicit HttpApiCommand(HttpClient& client, HttpApiOptions options = {});

  std::string_view name() const override { return "http-api"; }

  // Checks what the CACAO schema validator cannot (it already checks property
  // types and header value lists): the request line and method, header
  // names, content_b64 encoding, content vs content_b64, and that the request
  // has somewhere to go -- an absolute URL in the command, or an http-api
  // target or agent with a usable address and authentication.
  void validate(const cacao::Command& cmd, const cacao::Playbook& playbook,
                const cacao::Step& step, const std::string& pointer,
                json::FieldErrors* errors) const override;

  // The command with the values of credential headers (Authorization,
  // Proxy-Authorization, Cookie, and names holding "token", "secret",
  // "password" or "api-key"/"apikey") replaced by "[redacted]".
  bj::object journal_view(const cacao::Command& cmd) const override;

  // Returns at once. `done` runs on the HttpClient's thread, or inline on the
  // calling thread when the command cannot be turned into a request.
  void start(Invocation invocation, Done done) override;

  // The Outcome for the response to `method url` (exposed for tests).
  static Outcome outcome_of(std::string_view method, std::string_view url,
                            HttpResponse response, const std::vector<std::string>& out_args);

 private:
  HttpClient& client_;
  HttpApiOptions options_;
};

}  // namespace atio::actions
