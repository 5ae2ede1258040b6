// The `x-atio-convert` command type: converts a variable's value between
// formats with the converter registry of atio/cti/convert (the same
// converters as `atio convert`).
//
// Command object:
//   {"type": "x-atio-convert", "from": "suricata", "to": "stix",
//    "input": "__event__",        optional: the variable to convert
//                                 (default: the step's first in_arg)
//    "options": {...},            optional: converter options
//    "single": true,              optional: out_args get the one document
//                                 itself instead of an array (an error unless
//                                 exactly one document comes out)
//    "strict": true}              optional: any record that fails fails the step
//
// The input value: a string is taken as the text itself (GVM XML, NDJSON, a
// CSV export); an object or array is taken as JSON (a Suricata alert or an
// array of alerts, a MISP event, a STIX bundle).
//
// Outcome:
//   outputs   {"documents": [...], "report": {read, converted, skipped,
//             failed, problems...}}
//   out_args  the step's first out_arg gets the documents (or the single
//             document), its second, if any, the report.
//   status    OK when at least one record converted, or none failed; kFailed
//             naming the first problem when records failed and none
//             converted (or any failed with "strict"); kInvalidArgument for a
//             missing input variable.
//
// Threads: runs inline on the calling worker (CPU-bound, like x-atio-lua).
#pragma once

#include "atio/actions/action.h"
#include "atio/cti/convert/registry.h"

namespace atio::actions {

class ConvertCommand final : public CommandType {
 public:
  // REQUIRES: `registry` outlives the command type.
  explicit ConvertCommand(const convert::Registry& registry) : registry_(registry) {}

  std::string_view name() const override { return "x-atio-convert"; }
  bool substitutes_variables() const override { return false; }

  // from/to name a converter; options (an object) are accepted by it; input,
  // when given, is one of the step's in_args; single and strict are booleans.
  void validate(const cacao::Command& cmd, const cacao::Playbook& playbook,
                const cacao::Step& step, const std::string& pointer,
                json::FieldErrors* errors) const override;

  void start(Invocation invocation, Done done) override;

 private:
  const convert::Registry& registry_;
};

}  // namespace atio::actions
