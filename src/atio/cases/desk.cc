#include "atio/cases/desk.h"

namespace atio::cases {

namespace {

actions::CaseAnswer answer(const store::CaseRecord& r, bool is_new) {
  return actions::CaseAnswer{r.id, is_new, r.detection_count, r.status};
}

// The first "use-case-..." label of a playbook document.
std::string use_case_label(const boost::json::object& playbook) {
  const boost::json::value* labels = playbook.if_contains("labels");
  if (labels == nullptr || !labels->is_array()) return "";
  for (const auto& l : labels->get_array()) {
    if (l.is_string() && l.get_string().starts_with("use-case-")) {
      return std::string(l.get_string());
    }
  }
  return "";
}

}  // namespace

std::string ServiceDesk::use_case_of(const actions::CaseRequest& request) {
  if (!request.use_case.empty() || request.playbook_id.empty()) return request.use_case;
  auto playbook = store_.get_playbook(request.playbook_id);
  if (!playbook.is_ok() || !*playbook) return "";
  return use_case_label((*playbook)->document);
}

Result<std::vector<actions::CaseAnswer>> ServiceDesk::apply(const actions::CaseRequest& q) {
  Actor actor = system_actor("x-atio-case");
  std::vector<actions::CaseAnswer> out;
  using Kind = actions::CaseRequest::Kind;
  if (q.kind == Kind::kOpen) {
    Detection d;
    d.title = q.title;
    d.severity = q.severity;
    d.score = q.score < 0 ? 0 : q.score;
    d.correlation_key = q.correlation_key;
    d.window_ms = q.window_ms;
    d.occurred_at_ms = q.occurred_at_ms;
    d.detected_at_ms = q.detected_at_ms;
    d.execution_id = q.execution_id;
    d.playbook_id = q.playbook_id;
    d.use_case = use_case_of(q);
    d.stix_refs = q.stix_refs;
    d.external_ids = q.external_ids;
    d.detail = q.detail;
    d.detail["step_id"] = q.step_id;
    ATIO_ASSIGN_OR_RETURN(Opened o, service_.record_detection(d, actor));
    out.push_back(answer(o.record, o.is_new));
    return out;
  }
  std::vector<std::string> ids = q.case_ids;
  if (ids.empty()) {
    ATIO_ASSIGN_OR_RETURN(auto linked, service_.cases_of_execution(q.execution_id));
    for (const auto& r : linked) ids.push_back(r.id);
  }
  for (const auto& id : ids) {
    if (q.kind == Kind::kRespond) {
      ATIO_ASSIGN_OR_RETURN(auto r, service_.respond(id, q.at_ms, q.external_ids, q.execution_id,
                                                     actor));
      out.push_back(answer(r, false));
    } else if (q.kind == Kind::kLink) {
      ATIO_ASSIGN_OR_RETURN(auto r, service_.link(id, q.external_ids, q.execution_id, actor));
      out.push_back(answer(r, false));
    } else {
      boost::json::object detail{{"execution_id", q.execution_id}, {"step_id", q.step_id}};
      auto r = service_.acknowledge(id, actor, detail);
      // A case acknowledged already stays as it is: a playbook may pass by twice.
      if (r.status().code() == Code::kConflict) {
        ATIO_ASSIGN_OR_RETURN(auto now, store_.get_case(id));
        if (now) out.push_back(answer(*now, false));
        continue;
      }
      if (!r.is_ok()) return r.status().with_context("case " + id);
      out.push_back(answer(*r, false));
    }
  }
  return out;
}

}  // namespace atio::cases
