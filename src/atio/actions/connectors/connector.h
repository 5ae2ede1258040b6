// The base of every connector command type (x-atio-misp, x-atio-iris, ...):
// typed parameters (params.h), where requests go and with which credentials,
// retries (retry_sender.h), and the common shape of an outcome.
//
// Where requests go: the step's http-api target, else its http-api agent,
// exactly as for http-api commands (http/http_api_request.h): the address
// gives the base URL, and the definition's authentication_info -- usually
// `kms: true` naming a secret in atio's secret store -- gives the
// Authorization header. Credentials never come from the command itself, so
// a playbook and its execution journal hold none.
//
// Every request carries "Idempotency-Key: <execution>:<step>" (the same on
// every attempt and after a resume) and "Accept: application/json".
//
// Outcome (every connector):
//   status   OK when the product accepted the request (2xx, and whatever
//            the connector adds, e.g. every _bulk item indexed).
//            kFailed "HTTP <code> from <METHOD> <url>: <the product's error
//            message>" for another answer; kTimeout / kUnavailable /
//            kAborted when no answer came; "(after N attempts: <why no
//            more>)" is appended when retries were made.
//   outputs  "request":     "<METHOD> <url>" of the last request,
//            "status_code": the product's HTTP status (0: no answer),
//            "attempts":    number of attempts of that request,
//            "response":    the answer's JSON, or its text when not JSON,
//            plus what each connector documents.
//   out_args by position in the step's out_args, as each connector
//            documents (only on success).
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "atio/actions/action.h"
#include "atio/actions/connectors/params.h"
#include "atio/actions/connectors/retry_sender.h"
#include "atio/actions/http/http_api_command.h"

namespace atio::actions::connectors {

// One run of a connector command: what it sends with and where.
struct Call {
  Invocation inv;
  Params params;
  std::string base_url;       // of the target, without a trailing slash
  std::string authorization;  // "" when the endpoint has none
  // A path that is itself a credential (a chat webhook's), sent after
  // base_url but never shown: outputs and messages say "[webhook path]".
  std::string secret_path;
  std::chrono::steady_clock::time_point deadline;
  std::vector<std::string> out_args;
  std::shared_ptr<RetrySender> sender;
  bool verify_tls = true;
  std::optional<std::string> ca_file;

  // A request to base_url + path with the common headers (Authorization,
  // Idempotency-Key, Accept) and, when `body` is given, its Content-Type.
  HttpRequest request(std::string method, const std::string& path,
                      std::optional<std::string> body = std::nullopt,
                      std::string content_type = "application/json") const;
  void send(HttpRequest request, std::function<void(Exchange)> done) const;
};

// The answer's body as JSON when it parses, else as a string.
bj::value answer_value(const HttpResponse& response);

// " (after N attempts: gave up, <why>)" for an exchange that was retried or
// gave up early, "" otherwise: appended to a failed step's message.
std::string retries_note(const Exchange& exchange);

// The common outcome of an exchange (see the header). `error_detail` pulls
// the product's error message out of a non-2xx answer ("" when none).
Outcome outcome_of(const HttpRequest& request, const Exchange& exchange,
                   const std::function<std::string(const bj::value&)>& error_detail);

// A product's error message under the usual keys ("message", "error",
// "reason", "errors"), compact and cut to 300 characters.
std::string common_error_detail(const bj::value& answer);

// Adds a command's `headers` (name -> a string or a list of strings) to
// `request`, each replacing the request's headers of the same name.
void replace_headers(HttpRequest& request, const bj::object& headers);

// Sets out_args[index] to `value` when the step has that many out_args.
void set_out_arg(Outcome& outcome, const Call& call, std::size_t index, bj::value value);

class ConnectorCommand : public CommandType {
 public:
  // `options` gives the default timeout, TLS settings and the secret store.
  // REQUIRES: the sender's HttpClient outlives every started invocation.
  ConnectorCommand(CommandSpec spec, std::shared_ptr<RetrySender> sender,
                   HttpApiOptions options);

  std::string_view name() const override { return spec_.type; }
  const CommandSpec& spec() const { return spec_; }

  // Parameters (params.h), then the step's http-api target or agent and its
  // authentication_info, then check_operation().
  void validate(const cacao::Command& cmd, const cacao::Playbook& playbook,
                const cacao::Step& step, const std::string& pointer,
                json::FieldErrors* errors) const override;
  // The command with credential headers redacted (for commands that take
  // extra headers); connectors take no credentials otherwise.
  bj::object journal_view(const cacao::Command& cmd) const override;
  // Reads the parameters and the endpoint, then run(); a command that
  // cannot run fails inline with kInvalidArgument (or the secret store's
  // error) naming the parameter or the definition.
  void start(Invocation invocation, Done done) override;

 protected:
  // Further checks of one operation's parameters at validation.
  virtual void check_operation(const Operation& op, const bj::object& raw,
                               const std::string& pointer, json::FieldErrors* errors) const {}
  // Sends the operation's requests and calls done exactly once.
  virtual void run(std::shared_ptr<Call> call, Done done) = 0;
  // The base URL and Authorization value for a run; connectors whose
  // credential is not a header (chat webhooks) override it.
  virtual Status resolve_endpoint(const cacao::Playbook& playbook,
                                  const cacao::AgentTarget& endpoint, const std::string& purpose,
                                  Call* call) const;

  const HttpApiOptions& options() const { return options_; }

 private:
  CommandSpec spec_;
  std::shared_ptr<RetrySender> sender_;
  HttpApiOptions options_;
};

}  // namespace atio::actions::connectors
