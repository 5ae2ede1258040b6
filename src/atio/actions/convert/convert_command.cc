#include "atio/actions/convert/convert_command.h"

#include <algorithm>

#include "atio/actions/step_input.h"
#include "atio/cti/convert/checked_output.h"
#include "atio/cti/convert/writer.h"

namespace atio::actions {

namespace {

struct Spec {
  std::string from, to, input;
  bj::object options;
  bool single = false;
  bool strict = false;
};

// Reads the command object; errors name the property (`field`).
Result<Spec> read_spec(const bj::object& raw, std::string* field) {
  Spec spec;
  for (const char* key : {"from", "to"}) {
    *field = key;
    const bj::value* v = raw.if_contains(key);
    if (v == nullptr || !v->is_string() || v->get_string().empty()) {
      return Status(Code::kInvalidArgument, std::string(key) + " is required: a format name");
    }
    (std::string_view(key) == "from" ? spec.from : spec.to) = std::string(v->get_string());
  }
  if (const bj::value* v = raw.if_contains("input")) {
    *field = "input";
    if (!v->is_string() || v->get_string().empty()) {
      return Status(Code::kInvalidArgument, "input must be a variable name");
    }
    spec.input = std::string(v->get_string());
  }
  if (const bj::value* v = raw.if_contains("options")) {
    *field = "options";
    if (!v->is_object()) return Status(Code::kInvalidArgument, "options must be an object");
    spec.options = v->get_object();
  }
  for (const char* key : {"single", "strict"}) {
    if (const bj::value* v = raw.if_contains(key)) {
      *field = key;
      if (!v->is_bool()) return Status(Code::kInvalidArgument, std::string(key) + " must be a boolean");
      (std::string_view(key) == "single" ? spec.single : spec.strict) = v->get_bool();
    }
  }
  field->clear();
  return spec;
}

}  // namespace

void ConvertCommand::validate(const cacao::Command& cmd, const cacao::Playbook& playbook,
                              const cacao::Step& step, const std::string& pointer,
                              json::FieldErrors* errors) const {
  std::string field;
  auto spec = read_spec(cmd.raw, &field);
  if (!spec.is_ok()) {
    errors->push_back({field.empty() ? pointer : pointer + "/" + field, spec.status().message()});
    return;
  }
  auto converter = registry_.create(spec->from, spec->to, spec->options);
  if (!converter.is_ok()) {
    const bool options_fault = converter.status().code() == Code::kInvalidArgument;
    errors->push_back({pointer + (options_fault ? "/options" : "/from"),
                       converter.status().message()});
  }
  check_step_variable(spec->input, "input", step, pointer, name(), true, errors);
}

void ConvertCommand::start(Invocation invocation, Done done) {
  Outcome outcome;
  std::string field;
  auto spec = read_spec(invocation.command.raw, &field);
  if (!spec.is_ok()) {
    outcome.status = spec.status().with_context(field);
    done(std::move(outcome));
    return;
  }
  const std::string input_name = input_variable(spec->input, invocation.step);
  auto found = input_value(input_name, invocation.in_args, name());
  if (!found.is_ok()) {
    outcome.status = found.status();
    done(std::move(outcome));
    return;
  }
  const bj::value* input = *found;
  auto converter = registry_.create(spec->from, spec->to, spec->options);
  if (!converter.is_ok()) {
    outcome.status = converter.status();
    done(std::move(outcome));
    return;
  }
  std::string text =
      input->is_string() ? std::string(input->get_string()) : json::dump(*input);
  auto in = convert::string_input(input_name, std::move(text));
  convert::CollectingOutput out;
  convert::Report report;
  // STIX is validated before a step hands it on.
  convert::StixCheckedOutput checked(out, report);
  checked.set_input(input_name);
  Status status = (*converter)->convert(
      *in, spec->to == "stix" ? static_cast<convert::Output&>(checked) : out, report);
  if (status.is_ok() && report.failed() > 0 && (spec->strict || report.converted() == 0)) {
    // The first failure (the problems also list skipped records).
    const auto& problems = report.problems();
    const auto it = std::find_if(problems.begin(), problems.end(),
                                 [](const auto& p) { return p.failed; });
    const auto& first = it == problems.end() ? problems.front() : *it;
    status = Status(Code::kFailed, std::to_string(report.failed()) + " of " +
                                       std::to_string(report.read()) +
                                       " records could not be converted; first: " + first.where +
                                       ": " + first.reason);
  }
  if (status.is_ok() && spec->single && out.documents.size() != 1) {
    status = Status(Code::kFailed, "single: expected one document, the conversion made " +
                                       std::to_string(out.documents.size()));
  }
  bj::value result = spec->single && out.documents.size() == 1 ? bj::value(out.documents[0])
                                                                  : bj::value(out.documents);
  bj::object report_json = report.to_json();
  if (status.is_ok() && invocation.step) {
    const auto& names = invocation.step->out_args;
    if (!names.empty()) outcome.out_args[names[0]] = result;
    if (names.size() > 1) outcome.out_args[names[1]] = report_json;
  }
  outcome.outputs["documents"] = std::move(result);
  outcome.outputs["report"] = std::move(report_json);
  outcome.status = std::move(status);
  done(std::move(outcome));
}

}  // namespace atio::actions
