#include "atio/actions/connectors/params.h"

#include <algorithm>

namespace atio::actions::connectors {

namespace {

bool cacao_property(std::string_view key) {
  return key == "type" || key == "description" || key == "version" ||
         key == "playbook_activity" || key == "external_references" || key == "operation";
}

bool has_type(const bj::value& v, ParamType type) {
  switch (type) {
    case ParamType::kString: return v.is_string();
    case ParamType::kInteger: return v.is_int64() || v.is_uint64();
    case ParamType::kBoolean: return v.is_bool();
    case ParamType::kObject: return v.is_object();
    case ParamType::kArray: return v.is_array();
    case ParamType::kId: return v.is_string() || v.is_int64() || v.is_uint64();
    case ParamType::kAny: return true;
  }
  return false;
}

std::string join_names(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& n : names) out += (out.empty() ? "" : ", ") + n;
  return out;
}

std::string operation_names(const CommandSpec& spec) {
  std::vector<std::string> names;
  for (const auto& op : spec.operations) names.push_back(op.name);
  return join_names(names);
}

std::string param_names(const Operation& op) {
  std::vector<std::string> names;
  for (const auto& p : op.params) names.push_back(p.name);
  return names.empty() ? "none" : join_names(names);
}

// The operation `raw` names; the error is (property, message) when none.
const Operation* operation_of(const CommandSpec& spec, const bj::object& raw,
                              std::string* message) {
  const bj::value* v = raw.if_contains("operation");
  if (v == nullptr) {
    if (!spec.default_operation.empty()) return spec.find(spec.default_operation);
    *message = "is required (one of " + operation_names(spec) + ")";
    return nullptr;
  }
  if (!v->is_string()) {
    *message = "must be a string (one of " + operation_names(spec) + ")";
    return nullptr;
  }
  const Operation* op = spec.find(v->get_string());
  if (op == nullptr) {
    *message = "unknown operation \"" + std::string(v->get_string()) + "\" (known: " +
               operation_names(spec) + ")";
  }
  return op;
}

// The rule `value` breaks as parameter `p` ("" when none). `run_time`: the
// value is final (variables substituted).
std::string broken_rule(const Param& p, const bj::value& value, bool run_time) {
  if (!run_time && value.is_string() && p.type != ParamType::kString &&
      mentions_variable(value.get_string())) {
    return "";  // known when the step runs
  }
  if (!has_type(value, p.type)) return "must be " + std::string(type_phrase(p.type));
  if (!p.allowed.empty() && value.is_string()) {
    bool variable = !run_time && mentions_variable(value.get_string());
    if (!variable && std::find(p.allowed.begin(), p.allowed.end(),
                               std::string_view(value.get_string())) == p.allowed.end()) {
      return "must be one of " + join_names(p.allowed);
    }
  }
  return "";
}

}  // namespace

std::string_view type_phrase(ParamType type) {
  switch (type) {
    case ParamType::kString: return "a string";
    case ParamType::kInteger: return "an integer";
    case ParamType::kBoolean: return "a boolean";
    case ParamType::kObject: return "a JSON object";
    case ParamType::kArray: return "a JSON array";
    case ParamType::kId: return "an id (a string or an integer)";
    case ParamType::kAny: return "a JSON value";
  }
  return "";
}

const Operation* CommandSpec::find(std::string_view name) const {
  for (const auto& op : operations) {
    if (op.name == name) return &op;
  }
  return nullptr;
}

bool mentions_variable(std::string_view text) {
  auto end = text.find("__:value");
  return end != std::string_view::npos && text.substr(0, end).find("__") != std::string_view::npos;
}

const Operation* check_params(const CommandSpec& spec, const bj::object& raw,
                              const std::string& pointer, json::FieldErrors* errors) {
  std::string message;
  const Operation* op = operation_of(spec, raw, &message);
  if (op == nullptr) {
    errors->push_back({pointer + "/operation", message});
    return nullptr;
  }
  for (const auto& kv : raw) {
    if (cacao_property(kv.key())) continue;
    const std::string at = json::pointer_join(pointer, kv.key());
    auto it = std::find_if(op->params.begin(), op->params.end(),
                           [&](const Param& p) { return p.name == kv.key(); });
    if (it == op->params.end()) {
      errors->push_back({at, "unknown parameter for operation " + op->name + " (known: " +
                                 param_names(*op) + ")"});
      continue;
    }
    if (std::string rule = broken_rule(*it, kv.value(), false); !rule.empty()) {
      errors->push_back({at, rule});
    }
  }
  for (const auto& p : op->params) {
    if (p.required && !raw.contains(p.name)) {
      errors->push_back({json::pointer_join(pointer, p.name),
                         "is required for operation " + op->name});
    }
  }
  return op;
}

std::string Params::string(std::string_view name) const {
  const bj::value* v = get(name);
  return v && v->is_string() ? std::string(v->get_string()) : std::string();
}

std::string Params::id(std::string_view name) const {
  const bj::value* v = get(name);
  if (v == nullptr) return "";
  if (v->is_string()) return std::string(v->get_string());
  if (v->is_int64()) return std::to_string(v->get_int64());
  if (v->is_uint64()) return std::to_string(v->get_uint64());
  return "";
}

Result<Params> read_params(const CommandSpec& spec, const bj::object& raw) {
  std::string message;
  Params out;
  out.operation = operation_of(spec, raw, &message);
  if (out.operation == nullptr) {
    return Status(Code::kInvalidArgument, spec.type + ": operation " + message);
  }
  const Operation& op = *out.operation;
  for (const Param& p : op.params) {
    const bj::value* given = raw.if_contains(p.name);
    if (given == nullptr) {
      if (p.required) {
        return Status(Code::kInvalidArgument, spec.type + " " + op.name + ": parameter " +
                                                  p.name + " is required");
      }
      continue;
    }
    bj::value value = *given;
    if (value.is_string() && p.type != ParamType::kString && p.type != ParamType::kId &&
        p.type != ParamType::kAny) {
      // A variable's value arrives as its JSON text (see the header).
      json::ParseLimits limits;
      auto parsed = json::parse(value.get_string(), limits);
      if (parsed.is_ok()) value = std::move(parsed).value();
    }
    if (std::string rule = broken_rule(p, value, true); !rule.empty()) {
      std::string shown = given->is_string() ? std::string(given->get_string())
                                             : json::dump(*given);
      if (shown.size() > 80) shown = shown.substr(0, 77) + "...";
      return Status(Code::kInvalidArgument, spec.type + " " + op.name + ": parameter " + p.name +
                                                " " + rule + ", got " + shown);
    }
    out.values[p.name] = std::move(value);
  }
  return out;
}

}  // namespace atio::actions::connectors
