#include "atio/actions/http/http_api_command.h"

#include <cctype>

#include "atio/core/base64.h"
#include "atio/actions/http/utf8.h"
#include "atio/core/json.h"
#include "atio/core/text.h"

namespace atio::actions {

namespace {

// The parsed body when the response is JSON (see the header), else nullopt.
std::optional<bj::value> json_body(const bj::object& headers, const std::string& body) {
  const bj::value* type = headers.if_contains("content-type");
  bool declared = type && type->is_string() &&
                  ascii_lower(type->get_string()).find("json") != std::string::npos;
  if (!declared) {
    if (type) return std::nullopt;
    auto first = body.find_first_not_of(" \t\r\n");
    if (first == std::string::npos || (body[first] != '{' && body[first] != '[')) {
      return std::nullopt;
    }
  }
  json::ParseLimits limits;
  limits.max_bytes = body.size();
  auto parsed = json::parse(body, limits);
  if (!parsed) return std::nullopt;
  return std::move(parsed).value();
}

// A CACAO variable reference ("__name__:value") that the engine fills in at
// run time, so its final form cannot be checked at validation.
bool mentions_variable(const bj::object& o) {
  std::string text = json::dump(o);
  return text.find("__") != std::string::npos && text.find(":value") != std::string::npos;
}

}  // namespace

HttpApiCommand::HttpApiCommand(HttpClient& client, HttpApiOptions options)
    : client_(client), options_(std::move(options)) {}

void HttpApiCommand::validate(const cacao::Command& cmd, const cacao::Playbook& playbook,
                              const cacao::Step& step, const std::string& pointer,
                              json::FieldErrors* errors) const {
  http_api::check_command_fields(cmd.raw, pointer, errors);
  // A missing or non-string command is a schema error, reported elsewhere.
  if (!json::get_string(cmd.raw, "command") && cmd.command.empty()) return;
  auto line = http_api::parse_request_line(cmd.command);
  if (!line) errors->push_back({pointer + "/command", line.status().message()});
  if (!line || http_api::is_absolute_url(line->target)) return;
  // A target that starts with a variable (__misp_url__:value/events/add) is
  // known at run time only; it must then be an absolute URL, or the step
  // fails saying so.
  if (line->target.starts_with("__") && line->target.find("__:value") != std::string::npos) return;

  const cacao::AgentTarget* endpoint = http_api::find_endpoint(playbook, step);
  if (!endpoint) {
    errors->push_back({pointer,
                       "the step has no http-api target or agent to send the request to "
                       "(or give an absolute URL in the command)"});
    return;
  }
  if (!mentions_variable(endpoint->raw)) {
    auto base = http_api::base_url(*endpoint);
    if (!base) errors->push_back({pointer, base.status().message()});
  }
  auto auth = http_api::authorization(playbook, *endpoint);
  if (!auth) errors->push_back({pointer, auth.status().message()});
}

void HttpApiCommand::start(Invocation invocation, Done done) {
  http_api::BuildOptions build;
  build.default_timeout = options_.default_timeout;
  build.verify_tls = options_.verify_tls;
  build.ca_file = options_.ca_file;
  build.secrets = options_.secrets;
  auto request = http_api::build_request(invocation, build);
  if (!request) {
    Outcome outcome;
    outcome.status = request.status();
    done(std::move(outcome));
    return;
  }
  std::string method = request->method;
  std::string url = http_api::redact_url(request->url);
  client_.send(std::move(request).value(),
               [method = std::move(method), url = std::move(url),
                out_args = invocation.step ? invocation.step->out_args
                                           : std::vector<std::string>{},
                done = std::move(done)](HttpResponse response) {
                 done(outcome_of(method, url, std::move(response), out_args));
               });
}

Outcome HttpApiCommand::outcome_of(std::string_view method, std::string_view url,
                                   HttpResponse response,
                                   const std::vector<std::string>& out_args) {
  Outcome outcome;
  if (!response.status.is_ok()) {
    outcome.status = response.status.with_context(std::string(method) + " " + std::string(url));
    return outcome;
  }

  bj::object headers;
  for (const auto& [name, value] : response.headers) {
    std::string key = ascii_lower(name);
    if (bj::value* seen = headers.if_contains(key)) {
      std::string joined = std::string(seen->get_string()) + ", " + value;
      *seen = joined;
    } else {
      headers[key] = value;
    }
  }
  std::optional<bj::value> parsed = json_body(headers, response.body);
  bj::value body_value;
  outcome.outputs["status_code"] = response.http_status;
  outcome.outputs["headers"] = std::move(headers);
  if (valid_utf8(response.body)) {
    body_value = bj::string(response.body);
    outcome.outputs["body"] = body_value;
  } else {
    body_value = bj::string(base64_encode(response.body));
    outcome.outputs["body_b64"] = body_value;
  }
  if (parsed) outcome.outputs["json"] = *parsed;

  if (response.http_status < 200 || response.http_status > 299) {
    outcome.status = Status(Code::kFailed, "HTTP " + std::to_string(response.http_status) +
                                               " from " + std::string(url));
    return outcome;
  }
  if (!out_args.empty()) {
    outcome.out_args[out_args[0]] = parsed ? std::move(*parsed) : std::move(body_value);
  }
  if (out_args.size() > 1) outcome.out_args[out_args[1]] = response.http_status;
  return outcome;
}

bj::object HttpApiCommand::journal_view(const cacao::Command& cmd) const {
  return http_api::redact_credential_headers(cmd.raw);
}

}  // namespace atio::actions
