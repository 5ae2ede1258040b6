#include "atio/actions/enrich/enrich_command.h"

#include <algorithm>
#include <chrono>

#include "atio/actions/step_input.h"
#include "atio/cti/stix/time.h"

namespace atio::actions {

namespace {

struct Spec {
  std::string input;  // variable name ("" = first in_arg)
  std::string link;   // tool name in link mode
  std::string id;     // variable with the tool's id (link mode)
};

bool is_tool_name(std::string_view s) {
  if (s.empty() || s.size() > 32 || s[0] < 'a' || s[0] > 'z') return false;
  return std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
  });
}

Result<Spec> read_spec(const bj::object& raw, std::string* field) {
  Spec spec;
  for (const auto& kv : raw) {
    const std::string_view k = kv.key();
    if (k == "type" || k == "description" || k == "command" || k == "version") continue;
    *field = std::string(k);
    if (k != "input" && k != "link" && k != "id") {
      return Status(Code::kInvalidArgument, "unknown property (known: input, link, id)");
    }
    if (!kv.value().is_string() || kv.value().get_string().empty()) {
      return Status(Code::kInvalidArgument, std::string(k) + " must be a non-empty string");
    }
    const std::string v(kv.value().get_string());
    if (k == "input") spec.input = v;
    if (k == "link") spec.link = v;
    if (k == "id") spec.id = v;
  }
  if (!spec.link.empty() && !is_tool_name(spec.link)) {
    *field = "link";
    return Status(Code::kInvalidArgument,
                  "link names a tool: lower-case letters, digits and '_', e.g. misp or iris");
  }
  if (!spec.link.empty() && spec.id.empty()) {
    *field = "id";
    return Status(Code::kInvalidArgument, "link needs id: the variable holding the tool's id");
  }
  if (spec.link.empty() && !spec.id.empty()) {
    *field = "id";
    return Status(Code::kInvalidArgument, "id is used with link only");
  }
  field->clear();
  return spec;
}

// A value as JSON: text is parsed (variables may hold JSON as a string).
Result<bj::value> as_json(const bj::value& v, const std::string& name) {
  if (!v.is_string()) return v;
  auto parsed = json::parse(v.get_string());
  if (!parsed.is_ok()) {
    return Status(Code::kInvalidArgument, name + " is text that is not JSON: " +
                                              parsed.status().message());
  }
  return std::move(*parsed);
}

std::string now_text() { return stix::format_time(std::chrono::system_clock::now()); }

}  // namespace

void EnrichCommand::validate(const cacao::Command& cmd, const cacao::Playbook& playbook,
                             const cacao::Step& step, const std::string& pointer,
                             json::FieldErrors* errors) const {
  std::string field;
  auto spec = read_spec(cmd.raw, &field);
  if (!spec.is_ok()) {
    errors->push_back({field.empty() ? pointer : pointer + "/" + field, spec.status().message()});
    return;
  }
  check_step_variable(spec->input, "input", step, pointer, name(), true, errors);
  check_step_variable(spec->id, "id", step, pointer, name(), false, errors);
}

void EnrichCommand::start(Invocation invocation, Done done) {
  Outcome outcome;
  auto finish = [&](Status st) {
    outcome.status = std::move(st);
    done(std::move(outcome));
  };
  std::string field;
  auto spec = read_spec(invocation.command.raw, &field);
  if (!spec.is_ok()) return finish(spec.status().with_context(field));
  const std::string input_name = input_variable(spec->input, invocation.step);
  auto raw = input_value(input_name, invocation.in_args, name());
  if (!raw.is_ok()) return finish(raw.status());
  auto input = as_json(**raw, input_name);
  if (!input.is_ok()) return finish(input.status());

  if (!spec->link.empty()) {
    const bj::value* id = invocation.in_args.if_contains(spec->id);
    std::string tool_id;
    if (id != nullptr && id->is_string()) tool_id = std::string(id->get_string());
    if (id != nullptr && (id->is_int64() || id->is_uint64())) tool_id = json::dump(*id);
    if (tool_id.empty()) {
      return finish(Status(Code::kInvalidArgument,
                           "x-atio-enrich: " + spec->id + " holds no id of " + spec->link));
    }
    std::vector<std::string> detections;
    auto collect = [&](const bj::value& v) {
      if (v.is_string()) detections.emplace_back(v.get_string());
      if (v.is_object()) {
        if (const bj::value* d = v.get_object().if_contains("detection_id"); d && d->is_string()) {
          detections.emplace_back(d->get_string());
        }
      }
    };
    if (input->is_array()) {
      for (const auto& v : input->get_array()) collect(v);
    } else {
      collect(*input);
    }
    if (detections.empty()) {
      return finish(Status(Code::kInvalidArgument,
                           "x-atio-enrich: " + input_name + " names no detection"));
    }
    for (const auto& d : detections) {
      Status st = knowledge_.sightings().set_external_id(d, spec->link, tool_id);
      if (!st.is_ok()) return finish(std::move(st).with_context("detection " + d));
    }
    outcome.outputs["linked"] = detections.size();
    outcome.outputs["tool"] = spec->link;
    outcome.outputs["id"] = tool_id;
    return finish(Status::ok());
  }

  std::shared_ptr<const enrich::KnowledgeSnapshot> hold;
  const enrich::Knowledge k = knowledge_.knowledge(&hold);
  const std::string now = now_text();
  bj::array detections;
  auto enrich_one = [&](bj::value& v, const std::string& where) -> Status {
    if (!v.is_object()) return Status(Code::kInvalidArgument, where + ": not a STIX bundle");
    auto summaries = enrich::enrich_bundle(&v.get_object(), k, now);
    if (!summaries.is_ok()) return summaries.status().with_context(where);
    for (auto& s : *summaries) detections.push_back(std::move(s));
    return Status::ok();
  };
  bj::value result = std::move(*input);
  if (result.is_array()) {
    for (std::size_t i = 0; i < result.get_array().size(); ++i) {
      Status st = enrich_one(result.get_array()[i], input_name + "[" + std::to_string(i) + "]");
      if (!st.is_ok()) return finish(std::move(st));
    }
  } else {
    Status st = enrich_one(result, input_name);
    if (!st.is_ok()) return finish(std::move(st));
  }
  if (invocation.step) {
    const auto& names = invocation.step->out_args;
    if (!names.empty()) outcome.out_args[names[0]] = result;
    if (names.size() > 1) outcome.out_args[names[1]] = detections;
  }
  outcome.outputs["detections"] = std::move(detections);
  return finish(Status::ok());
}

}  // namespace atio::actions
