// The `x-atio-case` command type: opens, updates, acknowledges and marks
// responded the cases of detections from a playbook (docs/cases.md).
//
// Open (the default; "update" is the same): one case, or one per detection
//   {"type": "x-atio-case", "title": "...", "severity": "high",
//    "correlation_key": "...", "occurred_at": "__t__:value", ...}
//   {"type": "x-atio-case", "detections": "__detections__", "bundle": "__bundle__"}
//   A detection whose correlation key matches an open case (within the
//   window) updates that case instead of opening another.
//   detections: a variable (among in_args) holding x-atio-enrich's
//     detection summaries; each gives title, severity (from its 0..10
//     score), correlation key ("alert:<signature>|<target>" within the
//     window, "vulnerability:<signature>|<target>" while open; the target
//     is the matched asset's id, else the address), occurred_at (an alert:
//     its time; a vulnerability: its host's first_seen in `bundle`, when
//     the scanner reached the host, else its time), detected_at (a
//     vulnerability: its time, the report's; an alert: `detected_at`, else
//     when atio received the event), STIX refs and the misp/iris ids known.
//   title, severity, correlation_key, use_case, occurred_at, detected_at
//     (RFC 3339 or ms since the epoch), correlation_window_seconds,
//     stix_refs (strings), external_ids ({"misp": "...", ...}; empty ids
//     are skipped): given, they apply to every case of the step.
// Acknowledge / respond:
//   {"type": "x-atio-case", "action": "respond", "cases": "__case_ids__",
//    "external_ids": {"misp": "__misp_id__:value"}}
//   cases: a variable holding a case id or a list of them; without it, the
//   cases linked to this execution. respond records that the playbook's
//   response actions completed (now, or `at`).
// out_args: [0] <- the case id (one case opened without `detections`) or
// the list of ids; [1] <- whether it was new (or the list of booleans).
// outputs: {"cases": [{"case_id", "new", "detection_count", "status"}]}.
#pragma once

#include "atio/actions/action.h"
#include "atio/actions/case/case_desk.h"

namespace atio::actions {

class CaseCommand final : public CommandType {
 public:
  // REQUIRES: `desk` outlives the command type.
  explicit CaseCommand(CaseDesk& desk) : desk_(desk) {}

  std::string_view name() const override { return "x-atio-case"; }
  void validate(const cacao::Command& cmd, const cacao::Playbook& playbook,
                const cacao::Step& step, const std::string& pointer,
                json::FieldErrors* errors) const override;
  void start(Invocation invocation, Done done) override;

 private:
  CaseDesk& desk_;
};

}  // namespace atio::actions
