// Typed parameters of connector commands.
//
// A connector command is a CACAO command object whose properties are its
// parameters:
//   {"type": "x-atio-misp", "operation": "add_attribute",
//    "event_id": "__misp_id__:value", "attribute": {"type": "ip-dst", ...}}
// Each command type declares its operations and, per operation, the
// parameters it takes with their JSON types. At playbook validation every
// rule is checked and each error names the property and the rule:
//   /operation           unknown operation "add" (known: add_event, ...)
//   /event_id            is required for operation add_attribute
//   /attribute           must be a JSON object
//   /atribute            unknown parameter for operation add_attribute (known: ...)
// The CACAO command properties (type, description, version,
// playbook_activity, external_references) and `operation` are not
// parameters.
//
// Variables. The engine substitutes `__name__:value` in string properties
// before a command runs, and a non-string value arrives as its JSON text. So
// a string that mentions a variable is accepted at validation for any
// parameter type, and at run time a string given for a non-string parameter
// is read as JSON ("42" -> 42, "{\"a\":1}" -> {"a":1}) and must then have
// the declared type, or the step fails naming the parameter.
#pragma once

#include <boost/json/object.hpp>

#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "atio/core/json.h"
#include "atio/core/status.h"

namespace atio::actions::connectors {

namespace bj = boost::json;

enum class ParamType {
  kString,
  kInteger,
  kBoolean,
  kObject,
  kArray,
  kId,   // a string or an integer (product ids: "12", 12, a UUID)
  kAny,  // any JSON value
};

// "a string", "an integer", ... for messages and docs.
std::string_view type_phrase(ParamType type);

struct Param {
  Param(std::string n, ParamType t, bool req = false, std::vector<std::string> values = {})
      : name(std::move(n)), type(t), required(req), allowed(std::move(values)) {}

  std::string name;
  ParamType type = ParamType::kString;
  bool required = false;
  std::vector<std::string> allowed;  // for kString: the only values accepted (empty: any)
};

struct Operation {
  std::string name;
  std::vector<Param> params;
};

// What one command type accepts.
struct CommandSpec {
  std::string type;                  // "x-atio-misp"
  std::vector<Operation> operations;
  // The operation used when the command names none ("" : `operation` is
  // required). Types with one operation set it.
  std::string default_operation;

  const Operation* find(std::string_view name) const;
};

// True when `text` mentions a CACAO variable (`__name__:value`).
bool mentions_variable(std::string_view text);

// Appends every rule `raw` breaks under `pointer` (the command's JSON
// pointer). Returns the operation the command names (nullptr when unknown).
const Operation* check_params(const CommandSpec& spec, const bj::object& raw,
                              const std::string& pointer, json::FieldErrors* errors);

// A command's parameters as it runs (after substitution).
struct Params {
  const Operation* operation = nullptr;
  bj::object values;  // name -> value of the declared type; absent when not given

  bool has(std::string_view name) const { return values.contains(name); }
  const bj::value* get(std::string_view name) const { return values.if_contains(name); }
  // A string parameter, or "" when absent.
  std::string string(std::string_view name) const;
  // An id parameter as text: "12" for 12.
  std::string id(std::string_view name) const;
};

// The parameters of `raw` with their declared types. kInvalidArgument naming
// the first parameter that breaks a rule.
Result<Params> read_params(const CommandSpec& spec, const bj::object& raw);

}  // namespace atio::actions::connectors
