// CACAO 2.0 documents in and out.
#pragma once

#include <boost/json/value.hpp>

#include <functional>
#include <string>
#include <string_view>

#include "atio/core/json.h"
#include "atio/core/status.h"
#include "atio/playbook/cacao/model.h"

namespace atio::cacao {

// What the validator needs to know about the command types this atio runs.
// Kept as callbacks so the playbook module does not depend on actions/.
struct CommandCatalog {
  // True when atio can run commands of `type`. When unset, every command type
  // the CACAO schema allows is accepted (pure structural validation).
  std::function<bool(std::string_view type)> supported;
  // Optional per-type check of one command object (e.g. x-atio-lua needs
  // `command` or `command_b64`); appends errors under `pointer`. Called after
  // the typed model is filled, only for supported types.
  std::function<void(const Command& cmd, const Playbook& playbook, const Step& step,
                     const std::string& pointer, json::FieldErrors* errors)>
      check;
};

struct ValidateOptions {
  CommandCatalog commands;
  // Run the rules beyond the OASIS schema: dangling references, reachability,
  // a path from start to an end, cycles only through while-condition, branch
  // ends, condition syntax, runnable command types. Also the spec's MUSTs the
  // draft-07 schema does not enforce: workflow_start names a start step,
  // on_completion excludes on_success/on_failure, every non-end step names a
  // next step, agents/targets/authentication_info/in_args/out_args name
  // definitions, variable names have the __name__ form, the per-type command
  // schemas (commands/http-api.json, ...), timeout >= 0, created <= modified.
  // See semantic.h for the full list.
  bool semantic = true;
};

// Errors of the document against the OASIS CACAO 2.0 JSON schema rules only
// (required properties, types, enumerations, identifier and timestamp formats,
// on_completion vs on_success/on_failure, ...). Empty means schema-valid. The
// verdict (empty or not) agrees with the official schema; tests check that on
// the corpus and on mutated copies.
json::FieldErrors check_schema(const bj::value& doc);

// Parses and validates a document: every error is reported at once (schema and
// semantic), each as a JSON pointer and a sentence, sorted by pointer. On
// success `errors` is empty and the returned playbook has typed views filled
// (steps in document order) and conditions parsed. On failure the Result holds
// kInvalidArgument and `errors` (replaced, not appended to) lists every problem.
// Even with semantic = false, a workflow key that is not <step type>--<uuid>
// is an error (the schema does not look at such keys; the model needs the
// kind); conditions are then parsed but a condition that does not parse is
// only left out of `conditions`, not reported. `errors` may be null.
Result<Playbook> load(const bj::value& doc, const ValidateOptions& options,
                      json::FieldErrors* errors);

// Convenience: parse text, then load(). JSON syntax errors become one FieldError
// with an empty pointer.
Result<Playbook> load_text(std::string_view text, const ValidateOptions& options,
                           json::FieldErrors* errors);

// The document for export: `doc` with the typed fields written over it.
// export_document(load(d)) is equivalent to d for every valid d.
bj::object export_document(const Playbook& playbook);

}  // namespace atio::cacao
