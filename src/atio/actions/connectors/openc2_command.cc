#include "atio/actions/connectors/openc2_command.h"

#include <algorithm>
#include <array>

#include "atio/actions/http/http_api_request.h"
#include "atio/core/base64.h"

namespace atio::actions::connectors {

namespace {

using T = ParamType;

// The command alone (HTTPS transfer specification v1.0) ...
constexpr std::string_view kCommandType = "application/openc2-cmd+json;version=1.0";
constexpr std::string_view kResponseType = "application/openc2-rsp+json;version=1.0";
// ... or in a message, {"headers": {...}, "body": {"openc2": {"request": ...}}}
// (v1.1, as SOARCA's playbooks write it).
constexpr std::string_view kMessageType = "application/openc2+json;version=1.0";
constexpr std::string_view kMessagePath = "/body/openc2/request";

// OpenC2 Language Specification v1.0, section 3.3.1.1 (Action vocabulary).
constexpr std::array<std::string_view, 19> kActions = {
    "scan",    "locate", "query",  "deny",   "contain",  "allow",    "start",
    "stop",    "restart", "cancel", "set",    "update",   "create",   "delete",
    "detonate", "restore", "copy",  "investigate", "remediate"};

CommandSpec openc2_spec() {
  CommandSpec s;
  s.type = "openc2-http";
  s.operations = {
      {"send", {{"command", T::kString, true}, {"content_b64", T::kString, true},
                {"headers", T::kObject}}},
  };
  s.default_operation = "send";
  return s;
}

std::string action_list() {
  std::string out;
  for (auto a : kActions) out += (out.empty() ? "" : ", ") + std::string(a);
  return out;
}

// A choice (target, actuator): an object with exactly one property.
void check_choice(const bj::object& command, std::string_view name, bool required,
                  std::vector<std::pair<std::string, std::string>>* errors) {
  const std::string p = "/" + std::string(name);
  const bj::value* v = command.if_contains(name);
  if (v == nullptr) {
    if (required) errors->push_back({p, "is required"});
    return;
  }
  if (!v->is_object() || v->get_object().size() != 1) {
    errors->push_back({p, "must be an object with exactly one property (e.g. {\"ipv4_net\": "
                          "\"10.0.0.5\"})"});
  }
}

// The OpenC2 command `content_b64` holds, or the rule it breaks.
Result<bj::value> decode_command(std::string_view content_b64) {
  auto text = base64_decode(content_b64);
  if (!text) return Status(Code::kInvalidArgument, "is not base64 (RFC 4648)");
  auto parsed = json::parse(*text);
  if (!parsed.is_ok()) {
    return Status(Code::kInvalidArgument,
                  "must hold an OpenC2 command as JSON: " + parsed.status().message());
  }
  return std::move(parsed).value();
}

// Where the command is in `doc`: inside the message when `doc` is one (it
// has a "body"), else `doc` itself; nullptr when a message holds none.
const bj::value* command_in(const bj::value& doc, bool* message) {
  *message = doc.is_object() && doc.get_object().contains("body");
  if (!*message) return &doc;
  const bj::value* v = &doc;
  for (const char* key : {"body", "openc2", "request"}) {
    v = v->is_object() ? v->get_object().if_contains(key) : nullptr;
    if (v == nullptr) return nullptr;
  }
  return v;
}

// The rules `raw`'s start line and command break, as (pointer, rule) under
// `pointer` ("" for run time messages).
json::FieldErrors command_errors(const bj::object& raw, const std::string& pointer) {
  json::FieldErrors errors;
  if (const bj::string* line = json::get_string(raw, "command");
      line != nullptr && !mentions_variable(*line)) {
    auto parsed = http_api::parse_request_line(*line);
    if (!parsed) {
      errors.push_back({pointer + "/command", parsed.status().message()});
    } else if (parsed->method != "POST") {
      errors.push_back({pointer + "/command", "the method must be POST (OpenC2 over HTTPS), got " +
                                                  parsed->method});
    } else if (http_api::is_absolute_url(parsed->target) || parsed->target.front() != '/') {
      errors.push_back({pointer + "/command",
                        "the request target must be a path below the step's http-api target "
                        "(e.g. /.well-known/openc2), got " + parsed->target});
    }
  }
  if (const bj::string* b64 = json::get_string(raw, "content_b64");
      b64 != nullptr && !mentions_variable(*b64)) {
    auto command = decode_command(*b64);
    if (!command) {
      errors.push_back({pointer + "/content_b64", command.status().message()});
    } else {
      for (auto& [where, rule] : openc2_command_errors(*command)) {
        const bool in_message = where.starts_with("/body") || where.starts_with("/headers");
        errors.push_back({pointer + "/content_b64",
                          std::string(in_message ? "the OpenC2 message's " : "the OpenC2 command's ") +
                              (where.empty() ? "document" : where) + " " + rule});
      }
    }
  }
  return errors;
}

// The OpenC2 response's status_text (or the answer's usual error message).
std::string openc2_detail(const bj::value& answer) {
  if (answer.is_object()) {
    if (const bj::string* text = json::get_string(answer.get_object(), "status_text")) {
      return std::string(*text);
    }
  }
  return common_error_detail(answer);
}

}  // namespace

std::vector<std::pair<std::string, std::string>> openc2_command_errors(const bj::value& doc) {
  std::vector<std::pair<std::string, std::string>> errors;
  if (!doc.is_object()) {
    errors.push_back({"", "must be a JSON object"});
    return errors;
  }
  bool message = false;
  const bj::value* command = command_in(doc, &message);
  const std::string at = message ? std::string(kMessagePath) : "";
  if (message) {
    const bj::value* headers = doc.get_object().if_contains("headers");
    if (headers != nullptr && !headers->is_object()) {
      errors.push_back({"/headers", "must be an object"});
    }
    if (command == nullptr || !command->is_object()) {
      errors.push_back({at, "must hold the OpenC2 command (a message's body.openc2.request)"});
      return errors;
    }
  }
  const std::size_t first = errors.size();
  const bj::object& o = command->get_object();
  const bj::value* action = o.if_contains("action");
  if (action == nullptr) {
    errors.push_back({"/action", "is required (one of " + action_list() + ")"});
  } else if (!action->is_string() ||
             std::find(kActions.begin(), kActions.end(), std::string_view(action->get_string())) ==
                 kActions.end()) {
    errors.push_back({"/action", "must be an OpenC2 v1.0 action (" + action_list() + "), got " +
                                     json::dump(*action)});
  }
  check_choice(o, "target", /*required=*/true, &errors);
  check_choice(o, "actuator", /*required=*/false, &errors);
  if (const bj::value* args = o.if_contains("args"); args != nullptr && !args->is_object()) {
    errors.push_back({"/args", "must be an object"});
  }
  if (const bj::value* id = o.if_contains("command_id"); id != nullptr && !id->is_string()) {
    errors.push_back({"/command_id", "must be a string"});
  }
  for (std::size_t i = first; i < errors.size(); ++i) errors[i].first = at + errors[i].first;
  return errors;
}

OpenC2Command::OpenC2Command(std::shared_ptr<RetrySender> sender, HttpApiOptions options)
    : ConnectorCommand(openc2_spec(), std::move(sender), std::move(options)) {}

void OpenC2Command::check_operation(const Operation&, const bj::object& raw,
                                    const std::string& pointer, json::FieldErrors* errors) const {
  http_api::check_command_fields(raw, pointer, errors);
  for (auto& e : command_errors(raw, pointer)) errors->push_back(std::move(e));
}

void OpenC2Command::run(std::shared_ptr<Call> call, Done done) {
  const Params& p = call->params;
  json::FieldErrors broken = command_errors(call->inv.command.raw, "");
  if (!broken.empty()) {
    Outcome o;
    o.status = Status(Code::kInvalidArgument,
                      "openc2-http: " + broken[0].pointer.substr(1) + " " + broken[0].message);
    return done(std::move(o));
  }
  auto line = http_api::parse_request_line(p.string("command"));
  bj::value command = decode_command(p.string("content_b64")).value();
  bool message = false;
  command_in(command, &message);
  HttpRequest request = call->request("POST", line->target, json::dump(command),
                                      std::string(message ? kMessageType : kCommandType));
  std::erase_if(request.headers, [](const auto& h) { return h.first == "Accept"; });
  request.headers.emplace_back("Accept", std::string(message ? kMessageType : kResponseType));
  if (!call->inv.idempotency_key.empty()) {
    request.headers.emplace_back("X-Request-ID", call->inv.idempotency_key);
  }
  if (const bj::value* headers = p.get("headers")) replace_headers(request, headers->get_object());
  HttpRequest shown = request;
  call->send(std::move(request), [call, shown = std::move(shown),
                                  done = std::move(done)](Exchange ex) {
    Outcome o = outcome_of(shown, ex, openc2_detail);
    if (!o.status.is_ok()) return done(std::move(o));
    // The response alone, or in a message (body.openc2.response).
    const bj::value* answer = &o.outputs["response"];
    if (answer->is_object() && answer->get_object().contains("body")) {
      const bj::value* v = answer;
      for (const char* key : {"body", "openc2", "response"}) {
        v = v && v->is_object() ? v->get_object().if_contains(key) : nullptr;
      }
      if (v != nullptr) answer = v;
    }
    const bj::object* response = answer->if_object();
    const bj::value* status = response ? response->if_contains("status") : nullptr;
    if (status == nullptr || !(status->is_int64() || status->is_uint64())) {
      o.status = Status(Code::kFailed, "answer to " + shown.method + " " +
                                           http_api::redact_url(shown.url) +
                                           " is not an OpenC2 response (no integer status)");
      return done(std::move(o));
    }
    const std::int64_t code = status->to_number<std::int64_t>();
    o.outputs["openc2_status"] = code;
    std::string text = openc2_detail(*answer);
    o.outputs["status_text"] = text;
    if (const bj::value* results = response->if_contains("results")) o.outputs["results"] = *results;
    if (code != 200 && code != 102) {
      o.status = Status(Code::kFailed, "OpenC2 status " + std::to_string(code) + " from " +
                                           shown.method + " " + http_api::redact_url(shown.url) +
                                           (text.empty() ? "" : ": " + text));
      return done(std::move(o));
    }
    const bj::value* results = response->if_contains("results");
    set_out_arg(o, *call, 0, results ? *results : *answer);
    set_out_arg(o, *call, 1, code);
    done(std::move(o));
  });
}

}  // namespace atio::actions::connectors
