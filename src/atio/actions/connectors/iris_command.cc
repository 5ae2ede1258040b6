#include "atio/actions/connectors/iris_command.h"

#include <algorithm>

namespace atio::actions::connectors {

namespace {

using T = ParamType;

CommandSpec iris_spec() {
  CommandSpec s;
  s.type = "x-atio-iris";
  s.operations = {
      {"create_alert", {{"alert", T::kObject, true}}},
      {"update_alert", {{"alert_id", T::kId, true}, {"alert", T::kObject, true}}},
      {"add_ioc", {{"case_id", T::kId, true}, {"ioc", T::kObject, true}}},
      {"escalate_alert",
       {{"alert_id", T::kId, true},
        {"case_title", T::kString},
        {"note", T::kString},
        {"case_tags", T::kString},
        {"case_template_id", T::kId},
        {"import_as_event", T::kBoolean},
        {"iocs_import_list", T::kArray},
        {"assets_import_list", T::kArray}}},
  };
  return s;
}

bool digits(std::string_view id) {
  return !id.empty() && id.size() < 19 &&
         std::all_of(id.begin(), id.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// IRIS answers errors as {"message": "Data error", "data": {field: [msg]}}
// (v2) or {"status": "error", "message": ..., "data": ...} (legacy).
std::string iris_error(const bj::value& answer) { return common_error_detail(answer); }

// The object an IRIS answer carries: the bare object (v2), or `data` in the
// legacy {"status": "success", "data": ...} envelope.
const bj::object* iris_object(const bj::value& answer) {
  if (!answer.is_object()) return nullptr;
  const bj::object& o = answer.get_object();
  if (const bj::value* status = o.if_contains("status");
      status && status->is_string() && o.contains("data")) {
    const bj::value& data = o.at("data");
    return data.is_object() ? &data.get_object() : nullptr;
  }
  return &o;
}

void finish(const Call& call, Outcome o, std::string_view id_key, const Done& done) {
  if (!o.status.is_ok()) return done(std::move(o));
  const bj::object* object = iris_object(o.outputs["response"]);
  const bj::value* id = object ? object->if_contains(id_key) : nullptr;
  if (id == nullptr) {
    o.status =
        Status(Code::kFailed, "IRIS answered " + std::string(o.outputs["request"].as_string()) +
                                  " without " + std::string(id_key));
    return done(std::move(o));
  }
  o.outputs["id"] = *id;
  set_out_arg(o, call, 0, *id);
  set_out_arg(o, call, 1, *object);
  done(std::move(o));
}

}  // namespace

IrisCommand::IrisCommand(std::shared_ptr<RetrySender> sender, HttpApiOptions options)
    : ConnectorCommand(iris_spec(), std::move(sender), std::move(options)) {}

void IrisCommand::run(std::shared_ptr<Call> call, Done done) {
  const Params& p = call->params;
  const std::string& op = p.operation->name;
  std::string alert_id = p.id("alert_id");
  if (p.has("alert_id") && !digits(alert_id)) {
    Outcome o;
    o.status = Status(Code::kInvalidArgument,
                      "x-atio-iris " + op + ": alert_id must be an IRIS alert id (digits), got \"" +
                          alert_id + "\"");
    return done(std::move(o));
  }
  std::string case_id = p.id("case_id");
  if (p.has("case_id") && !digits(case_id)) {
    Outcome o;
    o.status = Status(
        Code::kInvalidArgument,
        "x-atio-iris add_ioc: case_id must be an IRIS case id (digits), got \"" + case_id + "\"");
    return done(std::move(o));
  }

  HttpRequest request;
  std::string id_key = "alert_id";
  if (op == "create_alert") {
    request = call->request("POST", "/api/v2/alerts", json::dump(*p.get("alert")));
  } else if (op == "update_alert") {
    request = call->request("PUT", "/api/v2/alerts/" + alert_id, json::dump(*p.get("alert")));
  } else if (op == "add_ioc") {
    request =
        call->request("POST", "/api/v2/cases/" + case_id + "/iocs", json::dump(*p.get("ioc")));
    id_key = "ioc_id";
  } else {  // escalate_alert
    bj::object body;
    for (const auto& param : p.operation->params) {
      if (param.name == "alert_id") continue;
      if (const bj::value* v = p.get(param.name)) body[param.name] = *v;
    }
    request = call->request("POST", "/alerts/escalate/" + alert_id, json::dump(body));
    id_key = "case_id";
  }
  HttpRequest shown = request;
  call->send(std::move(request),
             [call, shown = std::move(shown), id_key, done = std::move(done)](Exchange ex) {
               finish(*call, outcome_of(shown, ex, iris_error), id_key, done);
             });
}

}  // namespace atio::actions::connectors
