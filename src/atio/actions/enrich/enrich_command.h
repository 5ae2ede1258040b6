// The `x-atio-enrich` command type: enrichment of STIX detections with what
// the organisation knows (atio/cti/enrich), and remembering the ids that
// receiving tools give them.
//
// Enrich (the default):
//   {"type": "x-atio-enrich", "input": "__bundle__"}
//   input (optional; default the step's first in_arg): a STIX bundle, an
//   array of bundles, or either as JSON text. Every detection in them is
//   matched to its asset, scored, checked against the policies and counted
//   as a sighting (see enricher.h for what is written on the bundle).
//   out_args: the first gets the enriched bundle(s), in the input's shape;
//   the second, if any, the detection summaries (an array, across bundles).
// Link:
//   {"type": "x-atio-enrich", "link": "misp", "input": "__detections__",
//    "id": "__misp_id__"}
//   Remembers that the tool named by `link` ([a-z][a-z0-9_]*) knows the
//   detections of `input` (detection summaries as enrich returns them, one
//   summary, or a detection id) under the id held by the variable `id` (a
//   string or a number), so that later enrichments of the same detections
//   carry x_atio_<tool>_id and playbooks update instead of creating.
// Both variables must be among the step's in_args.
//
// Status: kInvalidArgument when the input is missing or not STIX; store
// errors as they come. Runs inline on the calling worker (a durable write per
// detection; no outside call).
#pragma once

#include "atio/actions/action.h"
#include "atio/cti/enrich/knowledge.h"

namespace atio::actions {

class EnrichCommand final : public CommandType {
 public:
  // REQUIRES: `knowledge` outlives the command type.
  explicit EnrichCommand(enrich::KnowledgeSource& knowledge) : knowledge_(knowledge) {}

  std::string_view name() const override { return "x-atio-enrich"; }
  bool substitutes_variables() const override { return false; }

  void validate(const cacao::Command& cmd, const cacao::Playbook& playbook,
                const cacao::Step& step, const std::string& pointer,
                json::FieldErrors* errors) const override;

  void start(Invocation invocation, Done done) override;

 private:
  enrich::KnowledgeSource& knowledge_;
};

}  // namespace atio::actions
