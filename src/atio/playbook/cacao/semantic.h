// Internal to atio_cacao: the rules load() applies beyond the OASIS schema
// (ValidateOptions::semantic). Each appends FieldErrors; none stops at the
// first problem. They read the typed model, which load() fills best-effort
// even from a document with schema errors, so every problem is reported at once.
#pragma once

#include <string>
#include <string_view>

#include "atio/core/json.h"
#include "atio/playbook/cacao/model.h"
#include "atio/playbook/cacao/parse.h"

namespace atio::cacao::semantic {

// "/workflow/<step id>" (escaped).
std::string step_pointer(std::string_view step_id);

// semantic_graph.cc: the step graph. workflow_start names a start step;
// every reference names a step; on_completion excludes on_success/on_failure;
// every step but an end names its next step; every step is reachable from
// workflow_start (or workflow_exception); an end step is reachable; a cycle
// must pass a while-condition step; every branch (parallel next_steps, if
// on_true/on_false, while on_true, switch cases) reaches an end step without
// passing through the step that opened it, except that a while body may
// instead link back to its while step; at least one action or
// playbook-action step.
void check_graph(const Playbook& playbook, json::FieldErrors* errors);

// semantic_refs.cc: agents, targets and authentication_info name definitions;
// in_args/out_args name declared variables; variable names have the
// __name__ form; definition keys are identifiers; timeout >= 0;
// created <= modified; valid_from < valid_until.
void check_references(const Playbook& playbook, json::FieldErrors* errors);

// semantic_commands.cc: the per-type command schemas (commands/<type>.json,
// which playbook.json does not reference), command types atio cannot run,
// and the catalog's own checks.
void check_commands(const Playbook& playbook, const CommandCatalog& catalog,
                    json::FieldErrors* errors);

}  // namespace atio::cacao::semantic
