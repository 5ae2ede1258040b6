#include "atio/cases/service.h"

#include <algorithm>
#include <chrono>

#include "atio/core/ids.h"
#include "atio/core/json.h"

namespace atio::cases {

namespace {

// A change that lost the race to another is recomputed this many times.
constexpr int kAttempts = 8;

std::int64_t system_now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

Status field_error(const std::string& field, const std::string& rule) {
  return Status(Code::kInvalidArgument, field + ": " + rule);
}

// Links of a detection or a response: its execution, STIX objects and ids.
std::vector<store::CaseLink> links_of(const std::string& execution_id,
                                      const std::vector<std::string>& stix_refs,
                                      const std::map<std::string, std::string>& external_ids,
                                      std::int64_t now) {
  std::vector<store::CaseLink> out;
  if (!execution_id.empty()) out.push_back({"execution", "", execution_id, now});
  for (const auto& ref : stix_refs) out.push_back({"stix", "", ref, now});
  for (const auto& [tool, id] : external_ids) out.push_back({"external", tool, id, now});
  return out;
}

bj::object ids_json(const std::map<std::string, std::string>& ids) {
  bj::object o;
  for (const auto& [tool, id] : ids) o[tool] = id;
  return o;
}

}  // namespace

Actor system_actor(const std::string& name) {
  Actor a;
  a.audit = store::atio_audit_record(name, "", "", "", "{}");
  return a;
}

CaseService::CaseService(store::Store& store, CaseServiceOptions options)
    : store_(store), options_(std::move(options)) {
  if (!options_.now_ms) options_.now_ms = system_now_ms;
  if (!options_.new_id) options_.new_id = [] { return uuid_v4(); };
}

store::CaseTimelineEntry CaseService::entry(const Actor& actor, std::int64_t now, std::string kind,
                                            bj::object detail) const {
  store::CaseTimelineEntry e;
  e.time_ms = now;
  e.kind = std::move(kind);
  e.actor = actor.audit.actor;
  e.actor_name = actor.name();
  e.detail = json::dump(detail);
  return e;
}

store::WriteCase CaseService::write_op(const store::CaseRecord& r, std::int64_t expected_revision,
                                       const Actor& actor, Change c) const {
  store::WriteCase w;
  w.record = r;
  w.expected_revision = expected_revision;
  for (auto& e : c.timeline) e.case_id = r.id;
  w.timeline = std::move(c.timeline);
  w.links = std::move(c.links);
  w.audit = actor.audit;
  w.audit.action = c.action;
  w.audit.object_type = "case";
  w.audit.object_id = r.id;
  w.audit.outcome = "success";
  w.audit.detail = json::dump(c.detail);
  return w;
}

Result<Opened> CaseService::record_detection(const Detection& d, const Actor& actor) {
  std::string severity = d.severity;
  if (severity.empty()) {
    severity = to_string(severity_from_score(d.score));
  } else if (Severity s; !parse_severity(severity, &s)) {
    return field_error("severity", "one of info, low, medium, high, critical");
  }
  if (d.title.empty()) return field_error("title", "a case needs a title");
  if (d.occurred_at_ms < 0 || d.detected_at_ms < 0) {
    return field_error(d.occurred_at_ms < 0 ? "occurred_at" : "detected_at",
                       "a time after the Unix epoch");
  }
  const std::int64_t now = options_.now_ms();
  std::int64_t detected = d.detected_at_ms;
  if (detected == 0 && !d.execution_id.empty()) {
    // When atio received the event that started the execution.
    ATIO_ASSIGN_OR_RETURN(auto execution, store_.get_execution(d.execution_id));
    if (execution) detected = execution->created_at_ms;
  }
  if (detected == 0) detected = now;
  const std::int64_t occurred = d.occurred_at_ms ? d.occurred_at_ms : detected;
  const std::int64_t window = d.window_ms >= 0 ? d.window_ms : options_.correlation_window_ms;
  std::lock_guard<std::mutex> lk(mu_);
  for (int attempt = 0; attempt < kAttempts; ++attempt) {
    std::optional<store::CaseRecord> open;
    if (!d.correlation_key.empty()) {
      ATIO_ASSIGN_OR_RETURN(open, store_.correlated_case(d.correlation_key, occurred));
    }
    Change c;
    c.links = links_of(d.execution_id, d.stix_refs, d.external_ids, now);
    bj::object detail = d.detail;
    detail["occurred_at_ms"] = occurred;
    detail["detected_at_ms"] = detected;
    if (!d.execution_id.empty()) detail["execution_id"] = d.execution_id;
    store::CaseRecord r;
    std::int64_t expected = 0;
    if (open) {
      r = *open;
      expected = r.revision;
      r.detection_count += 1;
      r.occurred_at_ms = std::min(r.occurred_at_ms, occurred);
      r.last_seen_at_ms = std::max(r.last_seen_at_ms, occurred);
      detail["count"] = r.detection_count;
      c.action = "case.update";
      c.timeline.push_back(entry(actor, now, "detection", detail));
      const std::string higher = higher_severity(r.severity, severity);
      if (higher != r.severity) {
        c.timeline.push_back(
            entry(actor, now, "severity", bj::object{{"from", r.severity}, {"to", higher}}));
        r.severity = higher;
      }
    } else {
      r.id = options_.new_id();
      r.title = d.title;
      r.severity = severity;
      r.status = to_string(CaseStatus::kNew);
      r.correlation_key = d.correlation_key;
      r.correlation_window_ms = window;
      r.playbook_id = d.playbook_id;
      r.use_case = d.use_case;
      r.detection_count = 1;
      r.occurred_at_ms = r.last_seen_at_ms = occurred;
      r.detected_at_ms = detected;
      r.created_at_ms = now;
      detail["title"] = r.title;
      detail["severity"] = r.severity;
      if (!r.correlation_key.empty()) detail["correlation_key"] = r.correlation_key;
      c.action = "case.open";
      c.timeline.push_back(entry(actor, now, "opened", detail));
    }
    r.updated_at_ms = now;
    c.detail = detail;
    c.detail["external_ids"] = ids_json(d.external_ids);
    Status st = store_.write({write_op(r, expected, actor, std::move(c))});
    if (st.code() == Code::kAborted) continue;  // another change came first: again
    ATIO_RETURN_IF_ERROR(st);
    r.revision = expected + 1;
    return Opened{std::move(r), !open.has_value()};
  }
  return Status(Code::kConflict, "the case of " + d.correlation_key +
                                     " kept changing; the detection was not recorded");
}

Result<store::CaseRecord> CaseService::change(const std::string& id, const Actor& actor,
                                              Mutation mutate, bool* changed) {
  std::lock_guard<std::mutex> lk(mu_);
  for (int attempt = 0; attempt < kAttempts; ++attempt) {
    ATIO_ASSIGN_OR_RETURN(auto found, store_.get_case(id));
    if (!found) return Status(Code::kNotFound, "no case " + id);
    store::CaseRecord r = std::move(*found);
    const std::int64_t expected = r.revision;
    Change c;
    ATIO_RETURN_IF_ERROR(mutate(r, c));
    if (changed) *changed = c.changed;
    if (!c.changed) return r;
    r.updated_at_ms = options_.now_ms();
    Status st = store_.write({write_op(r, expected, actor, std::move(c))});
    if (st.code() == Code::kAborted) continue;
    ATIO_RETURN_IF_ERROR(st);
    r.revision = expected + 1;
    return r;
  }
  return Status(Code::kConflict, "case " + id + " kept changing; try again");
}

Result<store::CaseRecord> CaseService::acknowledge(const std::string& id, const Actor& actor,
                                                   bj::object detail) {
  return change(id, actor, [&](store::CaseRecord& r, Change& c) -> Status {
    CaseStatus from = CaseStatus::kNew;
    parse_status(r.status, &from);
    ATIO_RETURN_IF_ERROR(check_transition(from, CaseStatus::kAcknowledged));
    const std::int64_t now = options_.now_ms();
    r.status = to_string(CaseStatus::kAcknowledged);
    r.acknowledged_at_ms = now;
    r.acknowledged_by = actor.name();
    c.action = "case.acknowledge";
    c.detail = detail;
    c.timeline.push_back(entry(actor, now, "acknowledged", detail));
    return Status();
  });
}

Result<std::vector<std::string>> CaseService::acknowledge_execution(
    const std::string& execution_id, const Actor& actor, bj::object detail) {
  ATIO_ASSIGN_OR_RETURN(auto linked, store_.cases_linked_to("execution", execution_id));
  std::vector<std::string> done;
  for (const auto& found : linked) {
    bool changed = false;
    auto r = change(found.id, actor, [&](store::CaseRecord& r, Change& c) -> Status {
      if (r.status != to_string(CaseStatus::kNew)) {
        c.changed = false;  // acknowledged already, or past it
        return Status();
      }
      const std::int64_t now = options_.now_ms();
      r.status = to_string(CaseStatus::kAcknowledged);
      r.acknowledged_at_ms = now;
      r.acknowledged_by = actor.name();
      c.action = "case.acknowledge";
      c.detail = detail;
      c.timeline.push_back(entry(actor, now, "acknowledged", detail));
      return Status();
    }, &changed);
    if (!r.is_ok()) return r.status().with_context("case " + found.id);
    if (changed) done.push_back(found.id);
  }
  return done;
}

Result<store::CaseRecord> CaseService::assign(const std::string& id, const std::string& assignee,
                                              const Actor& actor) {
  return change(id, actor, [&](store::CaseRecord& r, Change& c) -> Status {
    if (r.assignee == assignee) {
      c.changed = false;
      return Status();
    }
    bj::object detail{{"from", r.assignee}, {"to", assignee}};
    r.assignee = assignee;
    c.action = "case.assign";
    c.detail = detail;
    c.timeline.push_back(entry(actor, options_.now_ms(), "assigned", std::move(detail)));
    return Status();
  });
}

Result<store::CaseRecord> CaseService::set_status(const std::string& id, CaseStatus to,
                                                  const Actor& actor, const std::string& note) {
  return change(id, actor, [&](store::CaseRecord& r, Change& c) -> Status {
    CaseStatus from = CaseStatus::kNew;
    parse_status(r.status, &from);
    ATIO_RETURN_IF_ERROR(check_transition(from, to));
    const std::int64_t now = options_.now_ms();
    r.status = to_string(to);
    if (to == CaseStatus::kAcknowledged && r.acknowledged_at_ms == 0) {
      r.acknowledged_at_ms = now;
      r.acknowledged_by = actor.name();
    }
    if (!is_open(to)) r.resolved_at_ms = now;
    bj::object detail{{"from", to_string(from)}, {"to", to_string(to)}};
    if (!note.empty()) detail["note"] = note;
    c.action = "case.status";
    c.detail = detail;
    c.timeline.push_back(entry(actor, now, "status", std::move(detail)));
    return Status();
  });
}

Result<store::CaseRecord> CaseService::comment(const std::string& id, const std::string& text,
                                               const Actor& actor) {
  if (text.empty()) return field_error("text", "a comment needs text");
  return change(id, actor, [&](store::CaseRecord&, Change& c) -> Status {
    c.action = "case.comment";
    c.detail = bj::object{{"length", text.size()}};
    c.timeline.push_back(entry(actor, options_.now_ms(), "comment", bj::object{{"text", text}}));
    return Status();
  });
}

Result<store::CaseRecord> CaseService::respond(
    const std::string& id, std::int64_t at_ms,
    const std::map<std::string, std::string>& external_ids, const std::string& execution_id,
    const Actor& actor) {
  return change(id, actor, [&](store::CaseRecord& r, Change& c) -> Status {
    const std::int64_t now = options_.now_ms();
    const std::int64_t at = at_ms ? at_ms : now;
    if (r.responded_at_ms == 0) r.responded_at_ms = at;
    bj::object detail{{"responded_at_ms", at}, {"external_ids", ids_json(external_ids)}};
    if (!execution_id.empty()) detail["execution_id"] = execution_id;
    c.action = "case.respond";
    c.detail = detail;
    c.links = links_of(execution_id, {}, external_ids, now);
    c.timeline.push_back(entry(actor, now, "responded", std::move(detail)));
    return Status();
  });
}

Result<store::CaseRecord> CaseService::link(const std::string& id,
                                            const std::map<std::string, std::string>& external_ids,
                                            const std::string& execution_id, const Actor& actor) {
  ATIO_ASSIGN_OR_RETURN(auto known, store_.case_links(id));
  std::map<std::string, std::string> fresh;
  for (const auto& [tool, ref] : external_ids) {
    const bool linked = std::any_of(known.begin(), known.end(), [&](const store::CaseLink& l) {
      return l.kind == "external" && l.tool == tool && l.ref == ref;
    });
    if (!linked) fresh[tool] = ref;
  }
  return change(id, actor, [&](store::CaseRecord&, Change& c) -> Status {
    if (fresh.empty()) {
      c.changed = false;
      return Status();
    }
    const std::int64_t now = options_.now_ms();
    bj::object detail{{"external_ids", ids_json(fresh)}};
    if (!execution_id.empty()) detail["execution_id"] = execution_id;
    c.action = "case.link";
    c.detail = detail;
    c.links = links_of(execution_id, {}, fresh, now);
    c.timeline.push_back(entry(actor, now, "linked", std::move(detail)));
    return Status();
  });
}

Result<std::vector<store::CaseRecord>> CaseService::cases_of_execution(
    const std::string& execution_id) {
  return store_.cases_linked_to("execution", execution_id);
}

}  // namespace atio::cases
