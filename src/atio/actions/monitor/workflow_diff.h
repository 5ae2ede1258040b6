// The comparison behind x-atio-monitor: two listings of a workflow API
// (Shuffle's GET /api/v1/workflows, or atio's answer to it) turned into
// creation, modification and deletion events.
//
// A workflow's content hash is the SHA-256 of the RFC 8785 canonical JSON of
// what a user edits: name, description, actions, branches, triggers (less
// each trigger's `status`), workflow_variables and configuration. Fields
// that change without a user edit -- `edited` (Shuffle bumps it on every
// internal save: a webhook started, authentication assigned), trigger
// `status`, `is_valid`, `errors`, `previously_saved`, `updated_by` -- are
// left out, so such saves are not modifications.
#pragma once

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include <cstdint>
#include <string>

namespace atio::actions {

namespace bj = boost::json;

// The part of a workflow the hash covers.
bj::object workflow_content(const bj::object& workflow);
std::string workflow_hash(const bj::object& workflow);

struct WorkflowComparison {
  bj::array created, modified, deleted;  // events (docs/monitor.md, x-atio-monitor)
  bj::array state;  // what to keep for the next run: per workflow id, name, hash, edited, updated_by, content
  bj::array workflow_data;  // the notification's: the state without the content
  std::size_t total() const { return created.size() + modified.size() + deleted.size(); }
};

// Compares `workflows` (the API's answer) with `previous` (the state of the
// last run; null on the first run, which is the baseline and reports
// nothing). Modifications are attributed to `updated_by` when the
// workflow gives one, else "unknown"; `now_ms` stamps detection.
WorkflowComparison compare_workflows(const bj::array* previous, const bj::array& workflows,
                                     std::int64_t now_ms);

// {"notification": {"CreationEvents": ..., "ModificationEvents": ...,
// "DeletionEvents": ...}, "workflow_data": ...}
bj::object workflow_notification(const WorkflowComparison& c);

}  // namespace atio::actions
