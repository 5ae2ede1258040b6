// Executions: start one (manual trigger), list with filters and paging, get
// with every step, abort.
#include "atio/server/api/common.h"
#include "atio/server/api/context.h"
#include "atio/server/audit_trail.h"
#include "atio/server/api/execution_detail.h"
#include "atio/server/api/executions_json.h"
#include "atio/server/signals.h"

namespace atio::server {

Result<std::optional<bj::object>> execution_detail(ApiContext& ctx, const std::string& id) {
  auto e = ctx.store->get_execution(id);
  if (!e.is_ok()) return e.status();
  if (!*e) return std::optional<bj::object>();
  auto steps = ctx.store->get_steps(id);
  if (!steps.is_ok()) return steps.status();
  std::vector<actions::ManualTask> waiting;
  if (!store::is_terminal((*e)->status)) {
    engine::merge_live_steps(*steps, ctx.engine->live_steps(id));
    auto w = waiting_manual_steps(ctx, id, (*e)->owner);
    if (!w.is_ok()) return w.status();
    waiting = std::move(*w);
  }
  bj::object o = execution_summary_json(**e);
  o["variables"] = (*e)->variables;
  bj::array s;
  for (const auto& st : *steps) {
    bj::object j = step_json(st);
    // A step in flight that asks a person is waiting for them, not running.
    if (st.status == store::StepStatus::kRunning) {
      for (const auto& t : waiting) {
        if (t.step_key == st.step_key) j["status"] = "waiting";
      }
    }
    s.push_back(std::move(j));
  }
  o["steps"] = std::move(s);
  bj::array manual;
  for (const auto& t : waiting) manual.push_back(manual_task_json(t));
  o["manual_steps"] = std::move(manual);
  return std::optional<bj::object>(std::move(o));
}

namespace {

constexpr std::int64_t kDefaultLimit = 50;
constexpr std::int64_t kMaxLimit = 500;

void start(ApiContext& ctx, Request& request, Respond respond) {
  const std::string& id = request.param("id");
  bj::object body;
  Response error;
  if (!parse_object_body(request, ctx.limits, true, &body, &error)) return respond(std::move(error));
  FieldReader f(body);
  f.reject_unknown({"variables"});
  const bj::object* vars = f.object("variables");
  bj::object variables;
  if (vars) variables = normalise_variables(*vars, "/variables", &f.errors());
  auto pb = ctx.playbooks->get(id);
  if (!pb.is_ok()) return respond(error_response(pb.status()));
  check_variables(**pb, variables, "/variables", &f.errors());
  if (!f.errors().empty()) {
    return respond(unprocessable("invalid_request", "the request is not valid", f.errors()));
  }
  bj::object trigger{{"kind", "api"}, {"by", request.principal.who()}};
  auto with = [&request](const std::vector<std::string>& ids) {
    std::vector<store::WriteOp> ops;
    bj::array a;
    for (const auto& i : ids) a.push_back(bj::value(i));
    add_audit(request, ops, bj::object{{"execution_ids", std::move(a)}});
    return ops;
  };
  ctx.engine->start(id, {std::move(variables)}, std::move(trigger),
                    [respond = std::move(respond)](Result<std::vector<std::string>> ids) {
                      if (!ids.is_ok()) return respond(error_response(ids.status()));
                      bj::array a;
                      for (const auto& i : *ids) a.push_back(bj::value(i));
                      respond(json_response(202, bj::object{{"execution_ids", std::move(a)}}));
                    },
                    with);
}

Response list(ApiContext& ctx, const Request& request) {
  store::ExecutionFilter filter;
  filter.limit = kDefaultLimit;
  if (auto p = request.query_param("playbook_id")) filter.playbook_id = *p;
  if (auto s = request.query_param("status"); s && !s->empty()) {
    store::ExecutionStatus st;
    if (!store::parse_execution_status(*s, &st)) {
      return query_error("status", "must be one of pending, running, succeeded, failed, aborted");
    }
    filter.status = st;
  }
  Response bad;
  if (!integer_query(request, "limit", 1, kMaxLimit, &filter.limit, &bad)) return bad;
  if (!time_query(request, "since", &filter.since_ms, &bad) ||
      !time_query(request, "until", &filter.until_ms, &bad)) {
    return bad;
  }
  if (auto a = request.query_param("after"); a && !a->empty()) {
    auto e = ctx.store->get_execution(*a);
    if (!e.is_ok()) return error_response(e.status());
    if (!*e) return query_error("after", "is not the id of an execution");
    filter.after_id = *a;
  }
  const std::int64_t limit = filter.limit;
  filter.limit = limit + 1;  // one more tells whether there is a next page
  auto rows = ctx.store->list_executions(filter);
  if (!rows.is_ok()) return error_response(rows.status());
  bj::value next = nullptr;
  if (static_cast<std::int64_t>(rows->size()) > limit) {
    rows->resize(static_cast<std::size_t>(limit));
    next = bj::value(rows->back().id);
  }
  bj::array out;
  for (const auto& r : *rows) out.push_back(execution_summary_json(r));
  return json_response(200, bj::object{{"executions", std::move(out)}, {"next", next}});
}

Response get(ApiContext& ctx, const std::string& id) {
  auto detail = execution_detail(ctx, id);
  if (!detail.is_ok()) return error_response(detail.status());
  if (!*detail) return error_response(404, "not_found", "execution " + id + " not found");
  return json_response(200, **detail);
}

Response abort(ApiContext& ctx, Request& request) {
  const std::string& id = request.param("id");
  auto e = ctx.store->get_execution(id);
  if (!e.is_ok()) return error_response(e.status());
  if (!*e) return error_response(404, "not_found", "execution " + id + " not found");
  if (store::is_terminal((*e)->status)) {
    return error_response(409, "conflict", std::string("execution ") + id + " has already ended (" +
                                               store::to_string((*e)->status) + ")");
  }
  // An abort is not a store write of this request: its record is durable
  // before the abort starts.
  Status recorded = audit_before(request, *ctx.store);
  if (!recorded.is_ok()) return error_response(recorded);
  Status s = ctx.engine->abort(id, request.principal.who());
  if (s.code() == Code::kNotFound) {
    // It runs on another node, or resumes on this one: its node applies the
    // abort (server/signals.h).
    store::SignalRecord signal;
    signal.execution_id = id;
    signal.kind = "abort";
    signal.body = bj::object{{"by", request.principal.who()}};
    auto sent = send_signal(*ctx.store, std::move(signal), kSignalWait);
    if (!sent.is_ok()) return error_response(sent.status());
    if (sent->state == "failed") {
      return error_response(409, "conflict", "execution " + id + ": " + sent->result);
    }
    return json_response(202, bj::object{{"id", id}, {"status", "aborting"},
                                         {"node", (*e)->owner}});
  }
  if (!s.is_ok()) return error_response(s);
  return json_response(202, bj::object{{"id", id}, {"status", "aborting"}});
}

const std::vector<ParamDoc> kExecutionId = {{"id", "string", "The execution id (uuid)"}};

}  // namespace

void add_execution_routes(Router& router, ApiContext& ctx) {
  router.add({.method = "POST",
              .pattern = "/api/v1/playbooks/{id}/executions",
              .permission = Permission::kExecutionRun,
              .doc = {.operation_id = "startExecution",
                      .summary = "Start an execution of the playbook with these variables",
                      .tag = "executions",
                      .path_params = {{"id", "string", "The CACAO playbook id"}},
                      .request_schema = "ExecutionStart",
                      .request_optional = true,
                      .responses = {{202, "Stored and started", "ExecutionIds"},
                                    {404, "No such playbook", "Error"},
                                    {422, "A variable is not valid", "Error"},
                                    {429, "Too many executions running; retry later", "Error"}}},
              .handler = [&ctx](Request& r, Respond done) { start(ctx, r, std::move(done)); },
              .audit = {"execution.start", "playbook", "id"}});
  router.add({.method = "GET",
              .pattern = "/api/v1/executions",
              .permission = Permission::kExecutionRead,
              .doc = {.operation_id = "listExecutions",
                      .summary = "List executions, newest first, with filters and paging",
                      .tag = "executions",
                      .query = {{"playbook_id", "string", "Only executions of this playbook"},
                                {"status", "string",
                                 "Only executions in this status: pending, running, succeeded, "
                                 "failed, aborted"},
                                {"since", "string",
                                 "Only executions created at or after this time (RFC 3339 or "
                                 "ms since the epoch)"},
                                {"until", "string", "Only executions created before this time"},
                                {"limit", "integer", "Page size, 1-500 (default 50)"},
                                {"after", "string",
                                 "Paging cursor: the `next` of the previous page"}},
                      .responses = {{200, "A page of executions", "ExecutionList"},
                                    {400, "A query parameter is not valid", "Error"}}},
              .handler = sync_handler([&ctx](Request& r) { return list(ctx, r); })});
  router.add({.method = "GET",
              .pattern = "/api/v1/executions/{id}",
              .permission = Permission::kExecutionRead,
              .doc = {.operation_id = "getExecution",
                      .summary = "An execution with every step's status, timing, inputs and outputs",
                      .tag = "executions",
                      .path_params = kExecutionId,
                      .responses = {{200, "The execution", "Execution"},
                                    {404, "No such execution", "Error"}}},
              .handler = sync_handler([&ctx](Request& r) { return get(ctx, r.param("id")); })});
  router.add({.method = "POST",
              .pattern = "/api/v1/executions/{id}/abort",
              .permission = Permission::kExecutionRun,
              .doc = {.operation_id = "abortExecution",
                      .summary = "Abort a running execution",
                      .tag = "executions",
                      .path_params = kExecutionId,
                      .responses = {{202, "Aborting", "AbortAccepted"},
                                    {404, "No such execution", "Error"},
                                    {409, "The execution has ended, or its node refused the abort", "Error"}}},
              .handler = sync_handler([&ctx](Request& r) { return abort(ctx, r); }),
              .audit = {"execution.abort", "execution", "id"}});
}

}  // namespace atio::server
