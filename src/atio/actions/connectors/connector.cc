#include "atio/actions/connectors/connector.h"

#include "atio/actions/http/http_api_request.h"
#include "atio/actions/http/utf8.h"
#include "atio/core/base64.h"
#include "atio/core/text.h"

namespace atio::actions::connectors {

HttpRequest Call::request(std::string method, const std::string& path,
                          std::optional<std::string> body, std::string content_type) const {
  HttpRequest r;
  r.method = std::move(method);
  r.url = base_url + (path.empty() || path.front() == '/' ? "" : "/") + path;
  if (!authorization.empty()) r.headers.emplace_back("Authorization", authorization);
  r.headers.emplace_back("Accept", "application/json");
  if (!inv.idempotency_key.empty()) r.headers.emplace_back("Idempotency-Key", inv.idempotency_key);
  if (body) {
    r.headers.emplace_back("Content-Type", std::move(content_type));
    r.body = std::move(*body);
  }
  r.cancel = inv.cancel;
  r.verify_tls = verify_tls;
  r.ca_file = ca_file;
  return r;
}

void Call::send(HttpRequest request, std::function<void(Exchange)> done) const {
  sender->send(std::move(request), deadline, std::move(done));
}

bj::value answer_value(const HttpResponse& response) {
  auto first = response.body.find_first_not_of(" \t\r\n");
  if (first != std::string::npos) {
    auto parsed = json::parse(response.body);
    if (parsed.is_ok()) return std::move(parsed).value();
  }
  if (valid_utf8(response.body)) return bj::string(response.body);
  return bj::string("base64:" + base64_encode(response.body));
}

std::string common_error_detail(const bj::value& answer) {
  std::string out;
  if (answer.is_string()) {
    out = std::string(answer.get_string());
  } else if (answer.is_object()) {
    const bj::object& o = answer.get_object();
    for (const char* key : {"message", "error", "reason", "errors", "data"}) {
      const bj::value* v = o.if_contains(key);
      if (v == nullptr || v->is_null()) continue;
      if (v->is_array() && v->get_array().empty()) continue;
      std::string part = v->is_string() ? std::string(v->get_string()) : json::dump(*v);
      out += (out.empty() ? "" : "; ") + part;
    }
  }
  if (out.size() > 300) out = out.substr(0, 297) + "...";
  return out;
}

std::string retries_note(const Exchange& ex) {
  if (ex.attempts <= 1 && ex.gave_up.empty()) return "";
  return " (after " + std::to_string(ex.attempts) + " attempt" + (ex.attempts == 1 ? "" : "s") +
         (ex.gave_up.empty() ? "" : ": gave up, " + ex.gave_up) + ")";
}

Outcome outcome_of(const HttpRequest& request, const Exchange& ex,
                   const std::function<std::string(const bj::value&)>& error_detail) {
  Outcome o;
  const std::string what = request.method + " " + http_api::redact_url(request.url);
  const HttpResponse& r = ex.response;
  o.outputs["request"] = what;
  o.outputs["status_code"] = r.http_status;
  o.outputs["attempts"] = ex.attempts;
  const std::string retries = retries_note(ex);
  if (!ex.gave_up.empty()) o.outputs["gave_up"] = ex.gave_up;
  if (!r.status.is_ok()) {
    o.status = Status(r.status.code(), what + ": " + r.status.message() + retries);
    return o;
  }
  bj::value answer = answer_value(r);
  o.outputs["response"] = answer;
  if (r.http_status < 200 || r.http_status > 299) {
    std::string detail = error_detail ? error_detail(answer) : "";
    o.status = Status(Code::kFailed, "HTTP " + std::to_string(r.http_status) + " from " + what +
                                         (detail.empty() ? "" : ": " + detail) + retries);
  }
  return o;
}

void replace_headers(HttpRequest& request, const bj::object& headers) {
  for (const auto& kv : headers) {
    std::string name(kv.key());
    std::erase_if(request.headers, [&](const auto& h) { return iequals(h.first, name); });
    if (kv.value().is_string()) {
      request.headers.emplace_back(name, std::string(kv.value().get_string()));
    } else if (kv.value().is_array()) {
      for (const auto& v : kv.value().get_array()) {
        if (v.is_string()) request.headers.emplace_back(name, std::string(v.get_string()));
      }
    }
  }
}

void set_out_arg(Outcome& outcome, const Call& call, std::size_t index, bj::value value) {
  if (index < call.out_args.size()) outcome.out_args[call.out_args[index]] = std::move(value);
}

ConnectorCommand::ConnectorCommand(CommandSpec spec, std::shared_ptr<RetrySender> sender,
                                   HttpApiOptions options)
    : spec_(std::move(spec)), sender_(std::move(sender)), options_(std::move(options)) {}

void ConnectorCommand::validate(const cacao::Command& cmd, const cacao::Playbook& playbook,
                                const cacao::Step& step, const std::string& pointer,
                                json::FieldErrors* errors) const {
  const Operation* op = check_params(spec_, cmd.raw, pointer, errors);
  const cacao::AgentTarget* endpoint = http_api::find_endpoint(playbook, step);
  if (endpoint == nullptr) {
    errors->push_back({pointer, "the step has no http-api target or agent naming where " +
                                    spec_.type + " sends its requests"});
  } else {
    std::string text = json::dump(endpoint->raw);
    if (!mentions_variable(text)) {
      auto base = http_api::base_url(*endpoint);
      if (!base) errors->push_back({pointer, base.status().message()});
    }
    auto auth = http_api::resolve_auth_info(playbook, *endpoint);
    if (!auth) errors->push_back({pointer, auth.status().message()});
  }
  if (op != nullptr) check_operation(*op, cmd.raw, pointer, errors);
}

bj::object ConnectorCommand::journal_view(const cacao::Command& cmd) const {
  return http_api::redact_credential_headers(cmd.raw);
}

Status ConnectorCommand::resolve_endpoint(const cacao::Playbook& playbook,
                                          const cacao::AgentTarget& endpoint,
                                          const std::string& purpose, Call* call) const {
  ATIO_ASSIGN_OR_RETURN(call->base_url, http_api::base_url(endpoint));
  ATIO_ASSIGN_OR_RETURN(call->authorization,
                        http_api::authorization(playbook, endpoint, options_.secrets,
                                                http_api::SecretUse::kReveal, purpose));
  return Status::ok();
}

void ConnectorCommand::start(Invocation inv, Done done) {
  auto fail = [&](Status s) {
    Outcome o;
    o.status = std::move(s);
    done(std::move(o));
  };
  auto params = read_params(spec_, inv.command.raw);
  if (!params) return fail(params.status());
  if (inv.playbook == nullptr || inv.step == nullptr) {
    return fail(Status(Code::kInvalidArgument, spec_.type + " needs its step and playbook"));
  }
  const cacao::AgentTarget* endpoint = http_api::find_endpoint(*inv.playbook, *inv.step);
  if (endpoint == nullptr) {
    return fail(
        Status(Code::kInvalidArgument, "step has no http-api target or agent for " + spec_.type));
  }
  auto call = std::make_shared<Call>();
  Status resolved =
      resolve_endpoint(*inv.playbook, *endpoint,
                       "execution " + inv.execution_id + " step " + inv.step_id, call.get());
  if (!resolved.is_ok()) return fail(std::move(resolved).with_context(spec_.type));
  call->params = std::move(params).value();
  call->out_args = inv.step->out_args;
  auto timeout = inv.timeout.count() > 0 ? inv.timeout : options_.default_timeout;
  call->deadline = std::chrono::steady_clock::now() + timeout;
  call->sender = sender_;
  call->verify_tls = options_.verify_tls;
  call->ca_file = options_.ca_file;
  call->inv = std::move(inv);
  run(std::move(call), std::move(done));
}

}  // namespace atio::actions::connectors
