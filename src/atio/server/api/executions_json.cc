#include "atio/server/api/executions_json.h"

#include "atio/server/api/common.h"

namespace atio::server {

namespace {

bj::value duration(std::int64_t start, std::int64_t end) {
  if (start == 0 || end == 0) return nullptr;
  return bj::value(end - start);
}

}  // namespace

bj::object execution_summary_json(const store::ExecutionRecord& e) {
  return bj::object{{"id", e.id},
                    {"playbook_id", e.playbook_id},
                    {"playbook_version", e.playbook_version},
                    {"status", store::to_string(e.status)},
                    {"trigger", e.trigger},
                    {"error", e.error},
                    {"created_at", timestamp_json(e.created_at_ms)},
                    {"finished_at", timestamp_json(e.finished_at_ms)},
                    {"duration_ms", duration(e.created_at_ms, e.finished_at_ms)},
                    {"node", e.owner}};
}

bj::object step_json(const store::StepRecord& s) {
  return bj::object{{"step_key", s.step_key},
                    {"step_id", s.step_id},
                    {"type", s.step_type},
                    {"status", store::to_string(s.status)},
                    {"started_at", timestamp_json(s.started_at_ms)},
                    {"finished_at", timestamp_json(s.finished_at_ms)},
                    {"duration_ms", duration(s.started_at_ms, s.finished_at_ms)},
                    {"inputs", s.inputs},
                    {"outputs", s.outputs},
                    {"variables", s.variables},
                    {"branch", s.branch},
                    {"error", s.error}};
}

bj::object manual_task_json(const actions::ManualTask& t) {
  return bj::object{{"execution_id", t.execution_id},
                    {"step_key", t.step_key},
                    {"step_id", t.step_id},
                    {"step_name", t.step_name},
                    {"playbook_id", t.playbook_id},
                    {"command", t.command},
                    {"description", t.description},
                    {"in_args", t.in_args},
                    {"created_at", timestamp_json(t.created_at_ms)}};
}

}  // namespace atio::server
