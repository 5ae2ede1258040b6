#include "atio/server/api/cases_json.h"

#include "atio/core/json.h"
#include "atio/server/api/common.h"

namespace atio::server {

namespace {

bj::value duration(const std::optional<std::int64_t>& ms) {
  return ms ? bj::value(*ms) : bj::value(nullptr);
}

void put_time(bj::object& o, const char* name, std::int64_t ms) {
  o[name] = timestamp_json(ms);
  o[std::string(name) + "_ms"] = ms ? bj::value(ms) : bj::value(nullptr);
}

}  // namespace

bj::object case_json(const store::CaseRecord& r, cases::MttrEnd mttr_end) {
  bj::object o{{"id", r.id},
               {"title", r.title},
               {"severity", r.severity},
               {"status", r.status},
               {"assignee", r.assignee.empty() ? bj::value(nullptr) : bj::value(r.assignee)},
               {"correlation_key", r.correlation_key},
               {"correlation_window_ms", r.correlation_window_ms},
               {"playbook_id", r.playbook_id},
               {"use_case", r.use_case},
               {"detection_count", r.detection_count}};
  put_time(o, "occurred_at", r.occurred_at_ms);
  put_time(o, "detected_at", r.detected_at_ms);
  put_time(o, "last_seen_at", r.last_seen_at_ms);
  put_time(o, "acknowledged_at", r.acknowledged_at_ms);
  o["acknowledged_by"] =
      r.acknowledged_by.empty() ? bj::value(nullptr) : bj::value(r.acknowledged_by);
  put_time(o, "responded_at", r.responded_at_ms);
  put_time(o, "resolved_at", r.resolved_at_ms);
  store::CaseTimes t;
  t.occurred_at_ms = r.occurred_at_ms;
  t.detected_at_ms = r.detected_at_ms;
  t.acknowledged_at_ms = r.acknowledged_at_ms;
  t.responded_at_ms = r.responded_at_ms;
  t.resolved_at_ms = r.resolved_at_ms;
  const cases::Durations d = cases::durations(t, mttr_end);
  o["mttd_ms"] = duration(d.mttd_ms);
  o["mtta_ms"] = duration(d.mtta_ms);
  o["mttr_ms"] = duration(d.mttr_ms);
  o["created_at"] = timestamp_json(r.created_at_ms);
  o["updated_at"] = timestamp_json(r.updated_at_ms);
  o["revision"] = r.revision;
  return o;
}

bj::object case_timeline_json(const store::CaseTimelineEntry& e) {
  bj::value detail = bj::object();
  if (auto parsed = json::parse(e.detail); parsed.is_ok()) detail = std::move(*parsed);
  return bj::object{{"seq", e.seq},
                    {"time", timestamp_json(e.time_ms)},
                    {"time_ms", e.time_ms},
                    {"kind", e.kind},
                    {"actor", e.actor},
                    {"actor_name", e.actor_name},
                    {"detail", std::move(detail)}};
}

bj::object case_link_json(const store::CaseLink& l) {
  bj::object o{{"kind", l.kind}, {"ref", l.ref}, {"added_at", timestamp_json(l.added_at_ms)}};
  if (!l.tool.empty()) o["tool"] = l.tool;
  return o;
}

}  // namespace atio::server
