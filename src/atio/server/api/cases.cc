// Cases: list with filters and paging, get with timeline and links,
// acknowledge, assign, change status, comment, and the MTTD/MTTA/MTTR
// aggregates over a window (docs/cases.md).
#include "atio/server/api/cases_json.h"
#include "atio/server/api/common.h"
#include "atio/server/api/context.h"
#include "atio/server/audit_trail.h"

namespace atio::server {

namespace {

constexpr std::int64_t kDefaultLimit = 50;
constexpr std::int64_t kMaxLimit = 500;

Response unavailable() {
  return error_response(503, "unavailable", "this atio keeps no cases");
}

// The service's errors as the API answers them: a refused status change is
// 409 naming /status; a bad field 422 naming it ("field: rule").
Response case_error(const Status& s) {
  if (s.code() == Code::kNotFound) return error_response(404, "not_found", s.message());
  if (s.code() == Code::kConflict && s.message().rfind("status: ", 0) == 0) {
    return error_response(409, "conflict", s.message(), {{"/status", s.message()}});
  }
  if (s.code() == Code::kInvalidArgument) {
    const auto colon = s.message().find(": ");
    const std::string field = colon == std::string::npos ? "" : "/" + s.message().substr(0, colon);
    return unprocessable("invalid_request", s.message(), {{field, s.message()}});
  }
  return error_response(s);
}

// Who acts: the request's audit record, which the service writes with the
// change (so the router does not write a second one).
cases::Actor actor_of(Request& request) {
  cases::Actor a;
  if (request.audit) {
    a.audit = request.audit->record;
    request.audit->written = true;
  } else {
    set_actor(a.audit, request.principal);
  }
  return a;
}

Response list(ApiContext& ctx, const Request& request) {
  store::CaseFilter f;
  f.limit = kDefaultLimit;
  if (auto s = request.query_param("status"); s && !s->empty()) {
    cases::CaseStatus st;
    if (!cases::parse_status(*s, &st)) {
      return query_error("status",
                         "must be one of new, acknowledged, responding, resolved, false_positive");
    }
    f.status = *s;
  }
  if (auto s = request.query_param("severity"); s && !s->empty()) {
    cases::Severity sv;
    if (!cases::parse_severity(*s, &sv)) {
      return query_error("severity", "must be one of info, low, medium, high, critical");
    }
    f.severity = *s;
  }
  if (auto p = request.query_param("playbook_id")) f.playbook_id = *p;
  if (auto a = request.query_param("assignee")) f.assignee = *a;
  Response bad;
  if (!time_query(request, "since", &f.since_ms, &bad) ||
      !time_query(request, "until", &f.until_ms, &bad) ||
      !integer_query(request, "limit", 1, kMaxLimit, &f.limit, &bad)) {
    return bad;
  }
  if (auto a = request.query_param("after"); a && !a->empty()) {
    auto c = ctx.store->get_case(*a);
    if (!c.is_ok()) return error_response(c.status());
    if (!*c) return query_error("after", "is not the id of a case");
    f.after_id = *a;
  }
  const std::int64_t limit = f.limit;
  f.limit = limit + 1;  // one more tells whether there is a next page
  auto rows = ctx.store->list_cases(f);
  if (!rows.is_ok()) return error_response(rows.status());
  bj::value next = nullptr;
  if (static_cast<std::int64_t>(rows->size()) > limit) {
    rows->resize(static_cast<std::size_t>(limit));
    next = bj::value(rows->back().id);
  }
  bj::array out;
  for (const auto& r : *rows) out.push_back(case_json(r, ctx.mttr_end));
  return json_response(200, bj::object{{"cases", std::move(out)}, {"next", next}});
}

Response get(ApiContext& ctx, const std::string& id) {
  auto c = ctx.store->get_case(id);
  if (!c.is_ok()) return error_response(c.status());
  if (!*c) return error_response(404, "not_found", "case " + id + " not found");
  auto timeline = ctx.store->case_timeline(id);
  if (!timeline.is_ok()) return error_response(timeline.status());
  auto links = ctx.store->case_links(id);
  if (!links.is_ok()) return error_response(links.status());
  bj::object o = case_json(**c, ctx.mttr_end);
  bj::array t, l;
  for (const auto& e : *timeline) t.push_back(case_timeline_json(e));
  for (const auto& k : *links) l.push_back(case_link_json(k));
  o["timeline"] = std::move(t);
  o["links"] = std::move(l);
  return json_response(200, o);
}

Response metrics(ApiContext& ctx, const Request& request) {
  store::CaseTimesFilter f;
  Response bad;
  if (!time_query(request, "since", &f.since_ms, &bad) ||
      !time_query(request, "until", &f.until_ms, &bad)) {
    return bad;
  }
  cases::GroupBy by = cases::GroupBy::kNone;
  auto g = request.query_param("group_by");
  if (g && !g->empty() && !cases::parse_group_by(*g, &by)) {
    return query_error("group_by", "must be one of none, playbook, use_case, severity");
  }
  cases::MttrEnd end = ctx.mttr_end;
  auto e = request.query_param("mttr_end");
  if (e && !e->empty() && !cases::parse_mttr_end(*e, &end)) {
    return query_error("mttr_end", "must be responded or resolved");
  }
  auto times = ctx.store->case_times(f);
  if (!times.is_ok()) return error_response(times.status());
  auto overall = cases::aggregate(*times, cases::GroupBy::kNone, end);
  bj::array groups;
  for (const auto& g : cases::aggregate(*times, by, end)) groups.push_back(cases::to_json(g));
  return json_response(
      200, bj::object{{"since", f.since_ms ? timestamp_json(f.since_ms) : bj::value(nullptr)},
                      {"until", f.until_ms ? timestamp_json(f.until_ms) : bj::value(nullptr)},
                      {"group_by", cases::to_string(by)},
                      {"mttr_end", cases::to_string(end)},
                      {"overall", overall.empty() ? cases::to_json(cases::GroupMetrics{})
                                                  : cases::to_json(overall[0])},
                      {"groups", std::move(groups)}});
}

using CaseResult = Result<store::CaseRecord>;
// Reads the body's fields with `f` (recording what is wrong) and makes the
// change as `actor`.
using Apply = std::function<CaseResult(FieldReader& f, const cases::Actor& actor)>;

// What an Apply returns when the body's fields are wrong (f holds why).
CaseResult invalid_body() { return Status(Code::kInvalidArgument, "the request is not valid"); }

Response change(ApiContext& ctx, Request& request, std::initializer_list<std::string_view> known,
                const Apply& apply) {
  bj::object body;
  Response error;
  if (!parse_object_body(request, ctx.limits, true, &body, &error)) return error;
  FieldReader f(body);
  f.reject_unknown(known);
  if (!f.errors().empty()) {
    return unprocessable("invalid_request", "the request is not valid", f.errors());
  }
  auto r = apply(f, actor_of(request));
  if (!f.errors().empty()) {
    // Nothing was written: the router records the failure.
    if (request.audit) request.audit->written = false;
    return unprocessable("invalid_request", "the request is not valid", f.errors());
  }
  if (!r.is_ok()) return case_error(r.status());
  return json_response(200, case_json(*r, ctx.mttr_end));
}

Response acknowledge(ApiContext& ctx, Request& request) {
  return change(ctx, request, {"note"}, [&](FieldReader& f, const cases::Actor& actor) {
    bj::object detail;
    if (auto note = f.string("note")) detail["note"] = *note;
    if (!f.errors().empty()) return invalid_body();
    return ctx.cases->acknowledge(request.param("id"), actor, detail);
  });
}

Response assign(ApiContext& ctx, Request& request) {
  return change(ctx, request, {"assignee"}, [&](FieldReader& f, const cases::Actor& actor) {
    auto who = f.string("assignee", true);
    if (!who) return invalid_body();
    return ctx.cases->assign(request.param("id"), *who, actor);
  });
}

Response set_status(ApiContext& ctx, Request& request) {
  return change(ctx, request, {"status", "note"}, [&](FieldReader& f, const cases::Actor& actor) {
    auto status = f.string("status", true);
    auto note = f.string("note");
    cases::CaseStatus to = cases::CaseStatus::kNew;
    if (status && !cases::parse_status(*status, &to)) {
      f.add("status", "must be one of acknowledged, responding, resolved, false_positive");
    }
    if (!f.errors().empty()) return invalid_body();
    return ctx.cases->set_status(request.param("id"), to, actor, note.value_or(""));
  });
}

Response comment(ApiContext& ctx, Request& request) {
  return change(ctx, request, {"text"}, [&](FieldReader& f, const cases::Actor& actor) {
    auto text = f.string("text", true);
    if (text && text->empty()) f.add("text", "a comment needs text");
    if (!f.errors().empty()) return invalid_body();
    return ctx.cases->comment(request.param("id"), *text, actor);
  });
}

void add(Router& router, ApiContext& ctx, const char* method, const char* pattern,
         Permission permission, RouteDoc doc, std::function<Response(Request&)> fn,
         AuditSpec audit = {}) {
  router.add({.method = method,
              .pattern = pattern,
              .permission = permission,
              .doc = std::move(doc),
              .handler = sync_handler([&ctx, fn = std::move(fn)](Request& r) {
                if (ctx.cases == nullptr) return unavailable();
                return fn(r);
              }),
              .audit = std::move(audit)});
}

}  // namespace

void add_case_routes(Router& router, ApiContext& ctx) {
  const std::vector<ParamDoc> id_param = {{"id", "string", "The case id"}};
  const std::vector<ResponseDoc> change_responses = {
      {200, "The case after the change", "Case"},
      {404, "No such case", "Error"},
      {409, "The status machine does not allow it (names /status and the rule)", "Error"},
      {422, "The request is not valid", "Error"}};
  add(router, ctx, "GET", "/api/v1/cases", Permission::kCaseRead,
      {.operation_id = "listCases",
       .summary = "Cases, newest first, with filters and paging",
       .tag = "cases",
       .query = {{"status", "string", "new, acknowledged, responding, resolved, false_positive"},
                 {"severity", "string", "info, low, medium, high, critical"},
                 {"playbook_id", "string", "Cases opened by this playbook"},
                 {"assignee", "string", "Cases assigned to this person"},
                 {"since", "string", "Detected at or after (RFC 3339, or ms since the epoch)"},
                 {"until", "string", "Detected before (RFC 3339, or ms since the epoch)"},
                 {"limit", "integer", "At most this many (1-500, default 50)"},
                 {"after", "string", "The `next` of the previous page"}},
       .responses = {{200, "A page of cases", "CaseList"},
                     {400, "A bad query parameter", "Error"}}},
      [&ctx](Request& r) { return list(ctx, r); });
  add(router, ctx, "GET", "/api/v1/cases/metrics", Permission::kCaseRead,
      {.operation_id = "getCaseMetrics",
       .summary = "MTTD, MTTA and MTTR (count, mean, median, p90) of the cases detected in a "
                  "window",
       .tag = "cases",
       .query = {{"since", "string", "Cases detected at or after (RFC 3339, or ms)"},
                 {"until", "string", "Cases detected before (RFC 3339, or ms)"},
                 {"group_by", "string", "none (default), playbook, use_case, severity"},
                 {"mttr_end", "string", "responded or resolved (default: atio serve --mttr-end)"}},
       .responses = {{200, "The aggregates", "CaseMetrics"},
                     {400, "A bad query parameter", "Error"}}},
      [&ctx](Request& r) { return metrics(ctx, r); });
  add(router, ctx, "GET", "/api/v1/cases/{id}", Permission::kCaseRead,
      {.operation_id = "getCase",
       .summary = "A case with its timeline and links",
       .tag = "cases",
       .path_params = id_param,
       .responses = {{200, "The case", "CaseDetail"}, {404, "No such case", "Error"}}},
      [&ctx](Request& r) { return get(ctx, r.param("id")); });
  add(router, ctx, "POST", "/api/v1/cases/{id}/acknowledge", Permission::kCaseWrite,
      {.operation_id = "acknowledgeCase",
       .summary = "Acknowledge a new case (records who and when: MTTA)",
       .tag = "cases",
       .path_params = id_param,
       .request_schema = "CaseAcknowledge",
       .request_optional = true,
       .responses = change_responses},
      [&ctx](Request& r) { return acknowledge(ctx, r); }, {"case.acknowledge", "case", "id"});
  add(router, ctx, "POST", "/api/v1/cases/{id}/assign", Permission::kCaseWrite,
      {.operation_id = "assignCase",
       .summary = "Assign a case to someone (\"\" for nobody)",
       .tag = "cases",
       .path_params = id_param,
       .request_schema = "CaseAssign",
       .responses = change_responses},
      [&ctx](Request& r) { return assign(ctx, r); }, {"case.assign", "case", "id"});
  add(router, ctx, "POST", "/api/v1/cases/{id}/status", Permission::kCaseWrite,
      {.operation_id = "setCaseStatus",
       .summary = "Move a case new -> acknowledged -> responding -> resolved, or to "
                  "false_positive",
       .tag = "cases",
       .path_params = id_param,
       .request_schema = "CaseStatusChange",
       .responses = change_responses},
      [&ctx](Request& r) { return set_status(ctx, r); }, {"case.status", "case", "id"});
  add(router, ctx, "POST", "/api/v1/cases/{id}/comments", Permission::kCaseWrite,
      {.operation_id = "commentCase",
       .summary = "Add a comment to a case's timeline",
       .tag = "cases",
       .path_params = id_param,
       .request_schema = "CaseComment",
       .responses = change_responses},
      [&ctx](Request& r) { return comment(ctx, r); }, {"case.comment", "case", "id"});
}

}  // namespace atio::server
