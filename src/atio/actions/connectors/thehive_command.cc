#include "atio/actions/connectors/thehive_command.h"

namespace atio::actions::connectors {

namespace {

CommandSpec thehive_spec() {
  CommandSpec s;
  s.type = "x-atio-thehive";
  s.operations = {
      {"create_alert",
       {{"alert", ParamType::kObject, true}, {"organisation", ParamType::kString}}},
  };
  s.default_operation = "create_alert";
  return s;
}

bool integer_in(const bj::value& v, std::int64_t lo, std::int64_t hi) {
  return v.is_int64() && v.get_int64() >= lo && v.get_int64() <= hi;
}

// TheHive errors: {"type": "BadRequest", "message": "..."}.
std::string thehive_error(const bj::value& answer) {
  if (answer.is_object()) {
    const bj::value* type = answer.get_object().if_contains("type");
    std::string detail = common_error_detail(answer);
    if (type && type->is_string()) return std::string(type->get_string()) + ": " + detail;
    return detail;
  }
  return common_error_detail(answer);
}

}  // namespace

std::vector<std::pair<std::string, std::string>> thehive_alert_errors(const bj::object& alert) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const char* key : {"type", "source", "sourceRef", "title", "description"}) {
    const bj::value* v = alert.if_contains(key);
    if (v == nullptr) {
      out.emplace_back(key, "is required by TheHive");
    } else if (!v->is_string() && !mentions_variable(json::dump(*v))) {
      out.emplace_back(key, "must be a string");
    }
  }
  auto check = [&](const char* key, auto ok, const char* rule) {
    const bj::value* v = alert.if_contains(key);
    if (v == nullptr || (v->is_string() && mentions_variable(v->get_string()))) return;
    if (!ok(*v)) out.emplace_back(key, rule);
  };
  check("severity", [](const bj::value& v) { return integer_in(v, 1, 4); },
        "must be an integer from 1 (low) to 4 (critical)");
  check("tlp", [](const bj::value& v) { return integer_in(v, 0, 4); },
        "must be an integer from 0 (clear) to 4 (red)");
  check("pap", [](const bj::value& v) { return integer_in(v, 0, 3); },
        "must be an integer from 0 (clear) to 3 (red)");
  check("date", [](const bj::value& v) { return v.is_int64() && v.get_int64() >= 0; },
        "must be milliseconds since the epoch (an integer)");
  check("tags", [](const bj::value& v) {
    if (!v.is_array()) return false;
    for (const auto& t : v.get_array()) if (!t.is_string()) return false;
    return true;
  }, "must be a list of strings");
  if (const bj::value* obs = alert.if_contains("observables"); obs && !obs->is_string()) {
    if (!obs->is_array()) {
      out.emplace_back("observables", "must be a list of observables");
    } else {
      for (std::size_t i = 0; i < obs->get_array().size(); ++i) {
        const bj::value& o = obs->get_array()[i];
        const bj::value* type = o.is_object() ? o.get_object().if_contains("dataType") : nullptr;
        if (type == nullptr || !type->is_string()) {
          out.emplace_back("observables/" + std::to_string(i), "needs a dataType (a string)");
        }
      }
    }
  }
  return out;
}

TheHiveCommand::TheHiveCommand(std::shared_ptr<RetrySender> sender, HttpApiOptions options)
    : ConnectorCommand(thehive_spec(), std::move(sender), std::move(options)) {}

void TheHiveCommand::check_operation(const Operation& op, const bj::object& raw,
                                     const std::string& pointer,
                                     json::FieldErrors* errors) const {
  const bj::value* alert = raw.if_contains("alert");
  if (alert == nullptr || !alert->is_object()) return;  // a variable, or a type error
  for (auto& [field, rule] : thehive_alert_errors(alert->get_object())) {
    errors->push_back({pointer + "/alert/" + field, rule});
  }
}

void TheHiveCommand::run(std::shared_ptr<Call> call, Done done) {
  bj::object alert = call->params.get("alert")->get_object();
  // A variable substituted into a numeric field arrives as its text ("3").
  for (const char* key : {"severity", "tlp", "pap", "date"}) {
    bj::value* v = alert.if_contains(key);
    if (v == nullptr || !v->is_string()) continue;
    auto parsed = json::parse(v->get_string());
    if (parsed.is_ok() && parsed->is_int64()) *v = parsed->get_int64();
  }
  if (auto broken = thehive_alert_errors(alert); !broken.empty()) {
    Outcome o;
    o.status = Status(Code::kInvalidArgument, "x-atio-thehive create_alert: alert " +
                                                  broken[0].first + " " + broken[0].second);
    return done(std::move(o));
  }
  HttpRequest request = call->request("POST", "/api/v1/alert", json::dump(alert));
  if (std::string org = call->params.string("organisation"); !org.empty()) {
    request.headers.emplace_back("X-Organisation", org);
  }
  HttpRequest shown = request;
  call->send(std::move(request), [call, shown = std::move(shown),
                                  done = std::move(done)](Exchange ex) {
    Outcome o = outcome_of(shown, ex, thehive_error);
    if (!o.status.is_ok()) return done(std::move(o));
    const bj::value& answer = o.outputs["response"];
    const bj::value* id = answer.is_object() ? answer.get_object().if_contains("_id") : nullptr;
    if (id == nullptr) {
      o.status = Status(Code::kFailed, "TheHive answered " +
                                           std::string(o.outputs["request"].as_string()) +
                                           " without the alert's _id");
      return done(std::move(o));
    }
    o.outputs["id"] = *id;
    set_out_arg(o, *call, 0, *id);
    set_out_arg(o, *call, 1, answer);
    done(std::move(o));
  });
}

}  // namespace atio::actions::connectors
