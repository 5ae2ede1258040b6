// References to definitions and variables, and the MUSTs of the spec that
// the schema leaves out (variable names, timestamp order, timeout >= 0).
#include <string>

#include "atio/playbook/cacao/schema_checker.h"
#include "atio/playbook/cacao/semantic.h"

#include "atio/core/typed_value.h"

namespace atio::cacao::semantic {

namespace {

// Orders two timestamps that match the schema's pattern (fractions of any
// length): <0, 0, >0.
int compare_timestamps(std::string_view a, std::string_view b) {
  // yyyy-mm-ddThh:mm:ss is fixed width; then an optional ".digits", then Z.
  int c = a.substr(0, 19).compare(b.substr(0, 19));
  if (c != 0) return c;
  auto fraction = [](std::string_view t) {
    std::string_view rest = t.substr(19);
    return rest.size() > 1 && rest[0] == '.' ? rest.substr(1, rest.find('Z') - 1) : std::string_view();
  };
  std::string fa(fraction(a)), fb(fraction(b));
  std::size_t width = std::max(fa.size(), fb.size());
  fa.resize(width, '0'), fb.resize(width, '0');
  return fa.compare(fb);
}

bool is_timestamp(const std::string& s) {
  // The checks below need the plain form; a trailing newline (which the
  // schema's $ tolerates) is left to the schema verdict.
  return !s.empty() && s.back() == 'Z' && schema::timestamp_pattern().search(s);
}

// A variable's value must read as its declared type ("" means no value yet);
// the engine types values the same way (core/typed_value.h).
std::string value_type_problem(const Variable& var) {
  if (!var.value) return "";
  auto r = typed_json_value(var.type, *var.value);
  return r.is_ok() ? "" : r.status().message() + " for a variable of type " + var.type;
}

void check_variable_names(const Variables& vars, const std::string& ptr, json::FieldErrors* errors) {
  for (const auto& [name, var] : vars) {
    if (!schema::variable_name_pattern().search(name) || name.back() == '\n') {
      errors->push_back({json::pointer_join(ptr, name),
                         "is not a variable name: it must be __name__ with a letter or underscore "
                         "first and at most 250 characters"});
    }
    if (std::string problem = value_type_problem(var); !problem.empty()) {
      errors->push_back({json::pointer_join(ptr, name) + "/value", std::move(problem)});
    }
  }
}

void check_definition_keys(const bj::object& doc, std::string_view key, json::FieldErrors* errors) {
  const bj::object* defs = json::get_object(doc, key);
  if (defs == nullptr) return;
  const std::string ptr = json::pointer_join("", key);
  for (const auto& kv : *defs) {
    if (!schema::identifier_pattern().search(kv.key())) {
      errors->push_back({json::pointer_join(ptr, kv.key()),
                         "is not an identifier: the key must be <type>--<uuid>"});
    } else if (!kv.value().is_object()) {
      errors->push_back({json::pointer_join(ptr, kv.key()), "must be a JSON object"});
    }
  }
}

void check_auth_reference(const Playbook& pb, const AgentTarget& def, std::string_view dict,
                          json::FieldErrors* errors) {
  const bj::string* ref = json::get_string(def.raw, "authentication_info");
  if (ref == nullptr || pb.auth_infos.count(std::string(*ref)) != 0) return;
  errors->push_back({json::pointer_join(json::pointer_join(json::pointer_join("", dict), def.id),
                                        "authentication_info"),
                     "refers to authentication information '" + std::string(*ref) +
                         "', which is not in authentication_info_definitions"});
}

void check_args(const Playbook& pb, const Step& s, const std::vector<std::string>& args,
                std::string_view field, json::FieldErrors* errors) {
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& name = args[i];
    if (s.step_variables.count(name) || pb.playbook_variables.count(name)) continue;
    errors->push_back({json::pointer_join(json::pointer_join(step_pointer(s.id), field), i),
                       "names variable '" + name +
                           "', which is declared neither in step_variables nor in playbook_variables"});
  }
}

}  // namespace

void check_references(const Playbook& pb, json::FieldErrors* errors) {
  auto fail = [&](std::string pointer, std::string message) {
    errors->push_back(json::FieldError{std::move(pointer), std::move(message)});
  };

  check_variable_names(pb.playbook_variables, "/playbook_variables", errors);
  for (std::string_view dict : {"agent_definitions", "target_definitions", "authentication_info_definitions"}) {
    check_definition_keys(pb.doc, dict, errors);
  }
  for (const auto& [id, def] : pb.agents) check_auth_reference(pb, def, "agent_definitions", errors);
  for (const auto& [id, def] : pb.targets) check_auth_reference(pb, def, "target_definitions", errors);

  for (const Step& s : pb.steps) {
    const std::string p = step_pointer(s.id);
    check_variable_names(s.step_variables, p + "/step_variables", errors);
    if (s.timeout_ms && *s.timeout_ms < 0) fail(p + "/timeout", "must be at least 0 (milliseconds)");
    if (s.kind == StepKind::kAction) {
      if (!s.agent.empty() && pb.agents.count(s.agent) == 0) {
        fail(p + "/agent", "refers to agent '" + s.agent + "', which is not in agent_definitions");
      }
      for (std::size_t i = 0; i < s.targets.size(); ++i) {
        if (pb.targets.count(s.targets[i]) == 0) {
          fail(json::pointer_join(p + "/targets", i),
               "refers to target '" + s.targets[i] + "', which is not in target_definitions");
        }
      }
    }
    check_args(pb, s, s.in_args, "in_args", errors);
    check_args(pb, s, s.out_args, "out_args", errors);
  }

  if (is_timestamp(pb.created) && is_timestamp(pb.modified) &&
      compare_timestamps(pb.modified, pb.created) < 0) {
    fail("/modified", "must not be earlier than created");
  }
  const std::string from(json::get_string(pb.doc, "valid_from") ? *json::get_string(pb.doc, "valid_from") : "");
  const std::string until(json::get_string(pb.doc, "valid_until") ? *json::get_string(pb.doc, "valid_until") : "");
  if (is_timestamp(from) && is_timestamp(until) && compare_timestamps(until, from) <= 0) {
    fail("/valid_until", "must be later than valid_from");
  }
}

}  // namespace atio::cacao::semantic
