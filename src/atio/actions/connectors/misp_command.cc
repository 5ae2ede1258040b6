#include "atio/actions/connectors/misp_command.h"

namespace atio::actions::connectors {

namespace {

using T = ParamType;

CommandSpec misp_spec() {
  CommandSpec s;
  s.type = "x-atio-misp";
  s.operations = {
      {"add_event", {{"event", T::kObject, true}}},
      {"edit_event", {{"event_id", T::kId, true}, {"event", T::kObject, true}}},
      {"add_attribute", {{"event_id", T::kId, true}, {"attribute", T::kObject, true}}},
      {"add_object",
       {{"event_id", T::kId, true}, {"object", T::kObject, true}, {"template_id", T::kId}}},
      {"add_sighting",
       {{"value", T::kString},
        {"values", T::kArray},
        {"id", T::kId},
        {"uuid", T::kString},
        {"type", T::kId},
        {"source", T::kString},
        {"timestamp", T::kInteger}}},
      {"search", {{"filters", T::kObject, true}}},
  };
  return s;
}

// `value` wrapped as {key: value} unless it already is.
bj::object wrapped(const bj::value& value, std::string_view key) {
  const bj::object& o = value.get_object();
  if (o.size() == 1 && o.contains(key)) return o;
  bj::object out;
  out[key] = o;
  return out;
}

// MISP ids go into paths: digits or a UUID only, so a variable cannot
// redirect the request elsewhere on the server.
bool path_id(std::string_view id) {
  if (id.empty() || id.size() > 64) return false;
  for (char c : id) {
    bool ok =
        (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F') || c == '-';
    if (!ok) return false;
  }
  return true;
}

// MISP's error answers: {"name", "message", "url", "errors"}.
std::string misp_error(const bj::value& answer) {
  if (answer.is_object()) {
    const bj::object& o = answer.get_object();
    std::string out;
    for (const char* key : {"name", "message", "errors"}) {
      const bj::value* v = o.if_contains(key);
      if (v == nullptr || v->is_null()) continue;
      std::string part = v->is_string() ? std::string(v->get_string()) : json::dump(*v);
      if (!out.empty() && out.find(part) != std::string::npos) continue;
      out += (out.empty() ? "" : "; ") + part;
    }
    if (out.size() > 300) out = out.substr(0, 297) + "...";
    if (!out.empty()) return out;
  }
  return common_error_detail(answer);
}

std::string text_of(const bj::value* v) {
  if (v == nullptr) return "";
  if (v->is_string()) return std::string(v->get_string());
  if (v->is_int64()) return std::to_string(v->get_int64());
  if (v->is_uint64()) return std::to_string(v->get_uint64());
  return "";
}

}  // namespace

MispCommand::MispCommand(std::shared_ptr<RetrySender> sender, HttpApiOptions options)
    : ConnectorCommand(misp_spec(), std::move(sender), std::move(options)) {}

void MispCommand::check_operation(const Operation& op, const bj::object& raw,
                                  const std::string& pointer, json::FieldErrors* errors) const {
  if (op.name == "add_sighting" && !raw.contains("value") && !raw.contains("values") &&
      !raw.contains("id") && !raw.contains("uuid")) {
    errors->push_back({pointer,
                       "add_sighting needs the attributes to sight: value, values, id "
                       "or uuid"});
  }
}

void MispCommand::run(std::shared_ptr<Call> call, Done done) {
  const Params& p = call->params;
  const std::string& op = p.operation->name;
  auto fail = [&](std::string message) {
    Outcome o;
    o.status = Status(Code::kInvalidArgument, "x-atio-misp " + op + ": " + message);
    done(std::move(o));
  };
  std::string event_id = p.id("event_id");
  if (p.has("event_id") && !path_id(event_id)) {
    return fail("event_id must be a MISP event id or uuid, got \"" + event_id + "\"");
  }
  std::string path;
  bj::value body;
  std::string answer_key;
  if (op == "add_event") {
    path = "/events/add";
    body = wrapped(*p.get("event"), "Event");
    answer_key = "Event";
  } else if (op == "edit_event") {
    path = "/events/edit/" + event_id;
    body = wrapped(*p.get("event"), "Event");
    answer_key = "Event";
  } else if (op == "add_attribute") {
    path = "/attributes/add/" + event_id;
    body = *p.get("attribute");
    answer_key = "Attribute";
  } else if (op == "add_object") {
    path = "/objects/add/" + event_id;
    if (p.has("template_id")) {
      std::string t = p.id("template_id");
      if (!path_id(t)) return fail("template_id must be an id or uuid, got \"" + t + "\"");
      path += "/" + t;
    }
    body = wrapped(*p.get("object"), "Object");
    answer_key = "Object";
  } else if (op == "add_sighting") {
    path = "/sightings/add";
    bj::object b;
    for (const char* key : {"value", "values", "id", "uuid", "type", "source", "timestamp"}) {
      if (const bj::value* v = p.get(key)) b[key] = *v;
    }
    if (b.empty()) return fail("needs value, values, id or uuid");
    body = std::move(b);
    answer_key = "Sighting";
  } else {  // search
    path = "/events/restSearch";
    bj::object b = p.get("filters")->get_object();
    b["returnFormat"] = "json";
    body = std::move(b);
  }
  HttpRequest request = call->request("POST", path, json::dump(body));
  HttpRequest shown = request;
  call->send(std::move(request), [call, shown = std::move(shown), answer_key, op,
                                  done = std::move(done)](Exchange ex) {
    Outcome o = outcome_of(shown, ex, misp_error);
    if (!o.status.is_ok()) return done(std::move(o));
    const bj::value& answer = o.outputs["response"];
    if (op == "search") {
      bj::array events;
      const bj::value* list =
          answer.is_object() ? answer.get_object().if_contains("response") : &answer;
      if (list != nullptr && list->is_array()) {
        for (const auto& e : list->get_array()) {
          const bj::value* ev = e.is_object() ? e.get_object().if_contains("Event") : nullptr;
          events.push_back(ev ? *ev : e);
        }
      }
      const auto count = static_cast<std::int64_t>(events.size());
      o.outputs["count"] = count;
      set_out_arg(o, *call, 1, count);
      set_out_arg(o, *call, 0, std::move(events));
      return done(std::move(o));
    }
    const bj::value* object = nullptr;
    if (answer.is_object()) {
      object = answer.get_object().if_contains(answer_key);
      if (const bj::value* errors = answer.get_object().if_contains("errors")) {
        o.outputs["dropped"] = *errors;
      }
    }
    if (object != nullptr && object->is_array() && !object->get_array().empty()) {
      object = &object->get_array()[0];  // a list of attributes: the first names the call
    }
    if ((object == nullptr || !object->is_object()) && op == "add_sighting") {
      set_out_arg(o, *call, 1, answer);  // MISP's {"saved": true, "message": ...} form
      return done(std::move(o));
    }
    if (object == nullptr || !object->is_object()) {
      o.status =
          Status(Code::kFailed, "MISP answered " + std::string(o.outputs["request"].as_string()) +
                                    " without an " + answer_key + " object");
      return done(std::move(o));
    }
    std::string id = text_of(object->get_object().if_contains("id"));
    o.outputs["id"] = id;
    if (const bj::value* uuid = object->get_object().if_contains("uuid")) o.outputs["uuid"] = *uuid;
    set_out_arg(o, *call, 0, bj::string(id));
    set_out_arg(o, *call, 1, *object);
    done(std::move(o));
  });
}

}  // namespace atio::actions::connectors
