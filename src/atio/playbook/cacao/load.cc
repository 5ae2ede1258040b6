// load(): schema check, typed model, semantic rules, all errors at once.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <string>

#include "atio/playbook/cacao/parse.h"
#include "atio/playbook/cacao/schema_checker.h"
#include "atio/playbook/cacao/semantic.h"
#include "atio/playbook/expr/condition.h"

namespace atio::cacao {

namespace {

std::string str(const bj::object& o, std::string_view key) {
  const bj::string* s = json::get_string(o, key);
  return s ? std::string(*s) : std::string();
}

bool boolean(const bj::object& o, std::string_view key) {
  const bj::value* v = o.if_contains(key);
  return v != nullptr && v->is_bool() && v->get_bool();
}

std::vector<std::string> strings(const bj::object& o, std::string_view key) {
  std::vector<std::string> out;
  if (const bj::array* a = json::get_array(o, key)) {
    for (const bj::value& v : *a) {
      if (v.is_string()) out.emplace_back(v.get_string());
    }
  }
  return out;
}

std::optional<std::int64_t> whole_number(const bj::object& o, std::string_view key) {
  const bj::value* v = o.if_contains(key);
  if (v == nullptr) return std::nullopt;
  if (v->is_int64()) return v->get_int64();
  if (v->is_uint64() && v->get_uint64() <= static_cast<std::uint64_t>(INT64_MAX)) {
    return static_cast<std::int64_t>(v->get_uint64());
  }
  if (v->is_double()) {
    double d = v->get_double();
    // 2^63 is exactly representable; anything at or past it does not fit.
    if (std::isfinite(d) && d == std::floor(d) && d >= -9223372036854775808.0 &&
        d < 9223372036854775808.0) {
      return static_cast<std::int64_t>(d);
    }
  }
  return std::nullopt;
}

Variables fill_variables(const bj::object* o) {
  Variables out;
  if (o == nullptr) return out;
  for (const auto& kv : *o) {
    const bj::object* v = kv.value().if_object();
    if (v == nullptr) continue;
    Variable var;
    var.type = str(*v, "type");
    if (const bj::value* value = v->if_contains("value")) var.value = *value;
    var.description = str(*v, "description");
    var.constant = boolean(*v, "constant");
    var.external = boolean(*v, "external");
    out.emplace(std::string(kv.key()), std::move(var));
  }
  return out;
}

// The step kind a workflow key names ("if-condition--<uuid>"), if any.
bool kind_of_key(std::string_view key, StepKind* kind) {
  std::size_t sep = key.find("--");
  if (sep == std::string_view::npos) return false;
  return step_kind_from_name(key.substr(0, sep), kind) &&
         schema::is_keyed_id(key.substr(0, sep), key);
}

void fill_step(const bj::object& o, Step* s) {
  s->name = str(o, "name");
  s->description = str(o, "description");
  s->delay_ms = whole_number(o, "delay");
  s->timeout_ms = whole_number(o, "timeout");
  s->step_variables = fill_variables(json::get_object(o, "step_variables"));
  s->owner = str(o, "owner");
  s->on_completion = str(o, "on_completion");
  s->on_success = str(o, "on_success");
  s->on_failure = str(o, "on_failure");
  switch (s->kind) {
    case StepKind::kStart:
    case StepKind::kEnd:
      break;
    case StepKind::kAction:
      if (const bj::array* cmds = json::get_array(o, "commands")) {
        for (const bj::value& c : *cmds) {
          const bj::object* co = c.if_object();
          if (co == nullptr) continue;
          s->commands.push_back(Command{str(*co, "type"), str(*co, "command"), *co});
        }
      }
      s->agent = str(o, "agent");
      s->targets = strings(o, "targets");
      s->in_args = strings(o, "in_args");
      s->out_args = strings(o, "out_args");
      break;
    case StepKind::kPlaybookAction:
      s->playbook_id = str(o, "playbook_id");
      s->playbook_version = str(o, "playbook_version");
      s->in_args = strings(o, "in_args");
      s->out_args = strings(o, "out_args");
      break;
    case StepKind::kParallel:
      s->next_steps = strings(o, "next_steps");
      break;
    case StepKind::kIfCondition:
      s->condition = str(o, "condition");
      s->on_true = str(o, "on_true");
      s->on_false = str(o, "on_false");
      break;
    case StepKind::kWhileCondition:
      s->condition = str(o, "condition");
      s->on_true = str(o, "on_true");
      break;
    case StepKind::kSwitchCondition:
      s->switch_on = str(o, "switch");
      if (const bj::object* cases = json::get_object(o, "cases")) {
        for (const auto& kv : *cases) {
          if (kv.value().is_string()) s->cases.emplace_back(kv.key(), kv.value().get_string());
        }
      }
      break;
  }
}

void fill_steps(const bj::object& doc, Playbook* pb, json::FieldErrors* errors) {
  const bj::object* workflow = json::get_object(doc, "workflow");
  if (workflow == nullptr) return;
  for (const auto& kv : *workflow) {
    const std::string ptr = semantic::step_pointer(kv.key());
    StepKind key_kind;
    const bool keyed = kind_of_key(kv.key(), &key_kind);
    if (!keyed) {
      // The schema does not look at such entries (patternProperties), but a
      // step's id must name its type: the model and the executor rely on it.
      errors->push_back({ptr, "is not a workflow step id: the key must be <step type>--<uuid>"});
    }
    const bj::object* o = kv.value().if_object();
    if (o == nullptr) continue;  // reported by the schema or above
    Step step;
    const bj::string* type = json::get_string(*o, "type");
    if (type == nullptr || !step_kind_from_name(*type, &step.kind)) {
      if (!keyed) continue;
      step.kind = key_kind;  // the schema reported the type
    }
    step.id = std::string(kv.key());
    fill_step(*o, &step);
    pb->step_index.emplace(step.id, pb->steps.size());
    pb->steps.push_back(std::move(step));
  }
}

template <typename T>
void fill_definitions(const bj::object& doc, std::string_view key, std::map<std::string, T>* out) {
  const bj::object* defs = json::get_object(doc, key);
  if (defs == nullptr) return;
  for (const auto& kv : *defs) {
    const bj::object* o = kv.value().if_object();
    if (o == nullptr) continue;
    T def;
    def.id = std::string(kv.key());
    def.type = str(*o, "type");
    if constexpr (std::is_same_v<T, AgentTarget>) def.name = str(*o, "name");
    def.raw = *o;
    out->emplace(def.id, std::move(def));
  }
}

void fill_conditions(Playbook* pb, bool report, json::FieldErrors* errors) {
  for (const Step& s : pb->steps) {
    if (s.kind != StepKind::kIfCondition && s.kind != StepKind::kWhileCondition) continue;
    const bj::object* workflow = json::get_object(pb->doc, "workflow");
    const bj::value* v = workflow != nullptr ? workflow->if_contains(s.id) : nullptr;
    const bj::object* o = v != nullptr ? v->if_object() : nullptr;
    if (o == nullptr || json::get_string(*o, "condition") == nullptr) continue;  // schema error
    auto parsed = expr::Condition::parse(s.condition);
    if (parsed.is_ok()) {
      pb->conditions.emplace(s.id, std::move(parsed).value());
    } else if (report) {
      errors->push_back({json::pointer_join(semantic::step_pointer(s.id), "condition"),
                         "is not a valid condition: " + parsed.status().to_string()});
    }
  }
}

void fill(const bj::object& doc, Playbook* pb, json::FieldErrors* errors) {
  pb->id = str(doc, "id");
  pb->name = str(doc, "name");
  pb->description = str(doc, "description");
  pb->spec_version = str(doc, "spec_version");
  pb->created_by = str(doc, "created_by");
  pb->created = str(doc, "created");
  pb->modified = str(doc, "modified");
  pb->playbook_types = strings(doc, "playbook_types");
  pb->playbook_variables = fill_variables(json::get_object(doc, "playbook_variables"));
  pb->workflow_start = str(doc, "workflow_start");
  pb->workflow_exception = str(doc, "workflow_exception");
  fill_steps(doc, pb, errors);
  fill_definitions(doc, "agent_definitions", &pb->agents);
  fill_definitions(doc, "target_definitions", &pb->targets);
  fill_definitions(doc, "authentication_info_definitions", &pb->auth_infos);
}

}  // namespace

namespace semantic {
std::string step_pointer(std::string_view step_id) { return json::pointer_join("/workflow", step_id); }
}  // namespace semantic

Result<Playbook> load(const bj::value& doc, const ValidateOptions& options,
                      json::FieldErrors* errors) {
  json::FieldErrors local;
  json::FieldErrors& out = errors != nullptr ? *errors : local;
  out = check_schema(doc);

  Playbook pb;
  if (const bj::object* o = doc.if_object()) {
    pb.doc = *o;
    fill(*o, &pb, &out);
    fill_conditions(&pb, options.semantic, &out);
  }
  if (options.semantic) {
    semantic::check_graph(pb, &out);
    semantic::check_references(pb, &out);
    semantic::check_commands(pb, options.commands, &out);
  }

  std::stable_sort(out.begin(), out.end(), [](const json::FieldError& a, const json::FieldError& b) {
    return a.pointer < b.pointer;
  });
  out.erase(std::unique(out.begin(), out.end(),
                        [](const json::FieldError& a, const json::FieldError& b) {
                          return a.pointer == b.pointer && a.message == b.message;
                        }),
            out.end());
  if (!out.empty()) {
    const json::FieldError& first = out.front();
    return Status(Code::kInvalidArgument,
                  "invalid CACAO playbook: " + std::to_string(out.size()) +
                      (out.size() == 1 ? " error" : " errors") + ", first " +
                      (first.pointer.empty() ? std::string("(document)") : first.pointer) + ": " +
                      first.message);
  }
  return pb;
}

Result<Playbook> load_text(std::string_view text, const ValidateOptions& options,
                           json::FieldErrors* errors) {
  json::FieldErrors local;
  json::FieldErrors& out = errors != nullptr ? *errors : local;
  auto parsed = json::parse(text);
  if (!parsed.is_ok()) {
    out.assign(1, json::FieldError{"", parsed.status().message()});
    return Status(parsed.status().code(), "invalid CACAO playbook: " + parsed.status().message());
  }
  return load(parsed.value(), options, &out);
}

}  // namespace atio::cacao
