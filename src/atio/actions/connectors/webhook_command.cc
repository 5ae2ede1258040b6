#include "atio/actions/connectors/webhook_command.h"

#include "atio/actions/http/http_api_request.h"
#include "atio/core/text.h"

namespace atio::actions::connectors {

namespace {

using T = ParamType;

CommandSpec webhook_spec() {
  CommandSpec s;
  s.type = "x-atio-webhook";
  Param method{"method", T::kString};
  method.allowed = {"POST", "PUT", "PATCH"};
  s.operations = {
      {"send",
       {{"payload", T::kAny, true},
        method,
        {"path", T::kString},
        {"content_type", T::kString},
        {"headers", T::kObject}}},
  };
  s.default_operation = "send";
  return s;
}

CommandSpec chat_spec() {
  CommandSpec s;
  s.type = "x-atio-chat";
  s.operations = {
      {"post",
       {{"text", T::kString, true},
        {"channel", T::kString},
        {"username", T::kString},
        {"icon_emoji", T::kString},
        {"icon_url", T::kString},
        {"blocks", T::kArray},
        {"attachments", T::kArray},
        {"props", T::kObject}}},
  };
  s.default_operation = "post";
  return s;
}

// A path below the target's URL: "/..." with no scheme, no "..", no
// fragment, no white space.
std::string path_rule(std::string_view path) {
  if (path.empty() || path.front() != '/') return "must start with /";
  if (path.find("..") != std::string_view::npos || path.find("//") != std::string_view::npos ||
      path.find_first_of(" \t\r\n#") != std::string_view::npos) {
    return "must be a plain path (no .., //, #, white space)";
  }
  return "";
}

bool json_type(std::string_view content_type) { return icontains(content_type, "json"); }

void plain_outcome(const Call& call, Outcome& o) {
  if (!o.status.is_ok()) return;
  set_out_arg(o, call, 0, o.outputs["response"]);
  set_out_arg(o, call, 1, o.outputs["status_code"]);
}

}  // namespace

WebhookCommand::WebhookCommand(std::shared_ptr<RetrySender> sender, HttpApiOptions options)
    : ConnectorCommand(webhook_spec(), std::move(sender), std::move(options)) {}

void WebhookCommand::check_operation(const Operation& op, const bj::object& raw,
                                     const std::string& pointer,
                                     json::FieldErrors* errors) const {
  if (const bj::value* path = raw.if_contains("path");
      path && path->is_string() && !mentions_variable(path->get_string())) {
    if (std::string rule = path_rule(path->get_string()); !rule.empty()) {
      errors->push_back({pointer + "/path", rule});
    }
  }
  if (const bj::object* headers = json::get_object(raw, "headers")) {
    bj::object as_command;
    as_command["headers"] = *headers;
    http_api::check_command_fields(as_command, pointer, errors);
    for (const auto& kv : *headers) {
      const bj::value& v = kv.value();
      bool ok = v.is_string();
      if (v.is_array()) {
        ok = true;
        for (const auto& x : v.get_array()) ok = ok && x.is_string();
      }
      if (!ok) {
        errors->push_back({json::pointer_join(pointer + "/headers", kv.key()),
                           "must be a list of strings"});
      }
    }
  }
}

void WebhookCommand::run(std::shared_ptr<Call> call, Done done) {
  const Params& p = call->params;
  std::string path = p.string("path");
  if (!path.empty()) {
    if (std::string rule = path_rule(path); !rule.empty()) {
      Outcome o;
      o.status = Status(Code::kInvalidArgument, "x-atio-webhook: path " + rule + ", got \"" +
                                                    path + "\"");
      return done(std::move(o));
    }
  }
  std::string content_type = p.has("content_type") ? p.string("content_type") : "application/json";
  const bj::value& payload = *p.get("payload");
  std::string body = payload.is_string() && !json_type(content_type)
                         ? std::string(payload.get_string())
                         : json::dump(payload);
  std::string method = p.has("method") ? p.string("method") : "POST";
  HttpRequest request = call->request(method, path, std::move(body), content_type);
  // The command's headers replace the defaults of the same name.
  if (const bj::value* headers = p.get("headers")) replace_headers(request, headers->get_object());
  HttpRequest shown = request;
  call->send(std::move(request), [call, shown = std::move(shown),
                                  done = std::move(done)](Exchange ex) {
    Outcome o = outcome_of(shown, ex, common_error_detail);
    plain_outcome(*call, o);
    done(std::move(o));
  });
}

ChatCommand::ChatCommand(std::shared_ptr<RetrySender> sender, HttpApiOptions options)
    : ConnectorCommand(chat_spec(), std::move(sender), std::move(options)) {}

Status ChatCommand::resolve_endpoint(const cacao::Playbook& playbook,
                                     const cacao::AgentTarget& endpoint,
                                     const std::string& purpose, Call* call) const {
  ATIO_ASSIGN_OR_RETURN(call->base_url, http_api::base_url(endpoint));
  ATIO_ASSIGN_OR_RETURN(std::optional<cacao::AuthInfo> auth,
                        http_api::resolve_auth_info(playbook, endpoint, options().secrets,
                                                    http_api::SecretUse::kReveal, purpose));
  if (!auth) return Status::ok();
  const bj::string* path = json::get_string(auth->raw, "webhook_path");
  if (path == nullptr) {
    return Status(Code::kInvalidArgument,
                  "authentication_info " + auth->id +
                      " must give webhook_path (a secret {\"webhook_path\": \"/services/...\"}): "
                      "the incoming webhook's path, its credential");
  }
  if (std::string rule = path_rule(*path); !rule.empty()) {
    return Status(Code::kInvalidArgument, "webhook_path of authentication_info " + auth->id +
                                              " " + rule);
  }
  call->secret_path = std::string(*path);
  return Status::ok();
}

void ChatCommand::run(std::shared_ptr<Call> call, Done done) {
  bj::object message;
  for (const auto& param : call->params.operation->params) {
    if (const bj::value* v = call->params.get(param.name)) message[param.name] = *v;
  }
  HttpRequest request = call->request("POST", call->secret_path, json::dump(message));
  HttpRequest shown = request;
  if (!call->secret_path.empty()) shown.url = call->base_url + "/[webhook path]";
  call->send(std::move(request), [call, shown = std::move(shown),
                                  done = std::move(done)](Exchange ex) {
    Outcome o = outcome_of(shown, ex, common_error_detail);
    plain_outcome(*call, o);
    done(std::move(o));
  });
}

}  // namespace atio::actions::connectors
