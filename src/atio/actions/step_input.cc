#include "atio/actions/step_input.h"

#include <algorithm>

namespace atio::actions {

std::string input_variable(const std::string& named, const cacao::Step* step) {
  if (!named.empty()) return named;
  if (step != nullptr && !step->in_args.empty()) return step->in_args.front();
  return "";
}

void check_step_variable(const std::string& named, std::string_view property,
                         const cacao::Step& step, const std::string& pointer,
                         std::string_view command_type, bool required_input,
                         json::FieldErrors* errors) {
  if (named.empty()) {
    if (required_input && step.in_args.empty()) {
      errors->push_back({pointer, std::string(command_type) +
                                      " needs its input: name it in input, or give the step an "
                                      "in_arg"});
    }
    return;
  }
  if (std::find(step.in_args.begin(), step.in_args.end(), named) == step.in_args.end()) {
    errors->push_back({pointer + "/" + std::string(property),
                       "'" + named + "' must be one of the step's in_args"});
  }
}

Result<const boost::json::value*> input_value(const std::string& name,
                                              const boost::json::object& in_args,
                                              std::string_view command_type) {
  const boost::json::value* v = in_args.if_contains(name);
  if (v == nullptr || v->is_null() || (v->is_string() && v->get_string().empty())) {
    return Status(Code::kInvalidArgument,
                  std::string(command_type) + ": the input variable " + name + " has no value");
  }
  return v;
}

}  // namespace atio::actions
