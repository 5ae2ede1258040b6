// Helpers for the expr tests: variables written as JSON.
#pragma once

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>

#include <string_view>

#include "atio/playbook/cacao/model.h"
#include "atio/playbook/expr/condition.h"

namespace atio::expr::testing {

// {"__n__": {"type": "integer", "value": "10"}, "__s__": ["string", "x"], "__e__": ["string"]}
// An object gives type and optional value; an array is [type] or [type, value].
// Returns false (and leaves `out` partial) when the JSON has another shape.
inline bool make_variables(std::string_view json, cacao::Variables* out) {
  boost::json::error_code ec;
  boost::json::value v = boost::json::parse(json, ec);
  if (ec || !v.is_object()) return false;
  for (const auto& [name, spec] : v.get_object()) {
    cacao::Variable var;
    if (spec.is_object()) {
      const auto& o = spec.get_object();
      if (!o.contains("type") || !o.at("type").is_string()) return false;
      var.type = o.at("type").get_string();
      if (o.contains("value")) var.value = o.at("value");
    } else if (spec.is_array() && !spec.get_array().empty() && spec.get_array()[0].is_string() &&
               spec.get_array().size() <= 2) {
      var.type = spec.get_array()[0].get_string();
      if (spec.get_array().size() == 2) var.value = spec.get_array()[1];
    } else {
      return false;
    }
    (*out)[std::string(name)] = std::move(var);
  }
  return true;
}

inline VariableLookup lookup_in(const cacao::Variables& vars) {
  return [&vars](std::string_view name) -> const cacao::Variable* {
    auto it = vars.find(std::string(name));
    return it == vars.end() ? nullptr : &it->second;
  };
}

}  // namespace atio::expr::testing
