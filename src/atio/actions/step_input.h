// The variable a command type reads as its input (x-atio-convert,
// x-atio-enrich): named by the command's `input` property, else the step's
// first in_arg. One reading of that rule for validation and for runs.
#pragma once

#include <boost/json/object.hpp>

#include <string>
#include <string_view>

#include "atio/core/json.h"
#include "atio/core/status.h"
#include "atio/playbook/cacao/model.h"

namespace atio::actions {

// `named` when given, else the step's first in_arg ("" when neither).
std::string input_variable(const std::string& named, const cacao::Step* step);

// At validation: `named` (the command's `property`, e.g. "input" or "id")
// must be one of the step's in_args; with `required_input`, a command that
// names no input needs the step to have an in_arg. Errors go under `pointer`.
void check_step_variable(const std::string& named, std::string_view property,
                         const cacao::Step& step, const std::string& pointer,
                         std::string_view command_type, bool required_input,
                         json::FieldErrors* errors);

// The value of the input variable at run time; kInvalidArgument naming the
// variable when it has none (absent, null, or "").
Result<const boost::json::value*> input_value(const std::string& name,
                                              const boost::json::object& in_args,
                                              std::string_view command_type);

}  // namespace atio::actions
