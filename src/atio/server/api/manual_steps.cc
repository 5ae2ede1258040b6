// Manual steps waiting for an analyst: list and answer.
#include <set>

#include "atio/server/api/common.h"
#include "atio/server/api/context.h"
#include "atio/server/audit_trail.h"
#include "atio/server/api/executions_json.h"
#include "atio/server/api/execution_detail.h"
#include "atio/server/signals.h"

namespace atio::server {

namespace {

Response list(ApiContext& ctx, const Request& request) {
  std::string execution_id = request.query_param("execution_id").value_or("");
  auto tasks = waiting_manual_steps(ctx, execution_id);
  if (!tasks.is_ok()) return error_response(tasks.status());
  bj::array out;
  for (const auto& t : *tasks) out.push_back(manual_task_json(t));
  return json_response(200, bj::object{{"manual_steps", std::move(out)}});
}

bj::object answered(const std::string& id, const std::string& step_key,
                    const actions::ManualAnswer& a) {
  return bj::object{{"execution_id", id},
                    {"step_key", step_key},
                    {"success", a.success},
                    {"answered_by", a.answered_by}};
}

Response not_waiting(const std::string& id, const std::string& step_key) {
  return error_response(404, "not_found",
                        "no manual step " + step_key + " is waiting in execution " + id);
}

Response answer(ApiContext& ctx, Request& request) {
  const std::string& id = request.param("id");
  const std::string& step_key = request.param("step_key");
  bj::object body;
  Response error;
  if (!parse_object_body(request, ctx.limits, true, &body, &error)) return error;
  FieldReader f(body);
  f.reject_unknown({"success", "response"});
  std::optional<bool> success = f.boolean("success");
  if (!f.errors().empty()) {
    return unprocessable("invalid_request", "the answer is not valid", f.errors());
  }
  actions::ManualAnswer a;
  a.success = success.value_or(true);
  if (auto it = body.find("response"); it != body.end()) a.response = it->value();
  a.answered_by = request.principal.who();
  // The step waits on this node's board, or on another node (the store).
  bool here = false;
  for (const auto& t : ctx.manual->list(id)) here = here || t.step_key == step_key;
  std::optional<std::string> node;
  if (!here) {
    auto waits = ctx.store->list_manual_waits(id);
    if (!waits.is_ok()) return error_response(waits.status());
    for (const auto& w : *waits) {
      if (w.step_key == step_key) node = w.owner;
    }
    if (!node) return not_waiting(id, step_key);
  }
  // The answer is not a store write of this request: its record is durable
  // before the answer is given.
  Status recorded = audit_before(request, *ctx.store, bj::object{{"step_key", step_key},
                                                                 {"success", a.success}});
  if (!recorded.is_ok()) return error_response(recorded);
  // Answering a manual step of an execution acknowledges the new cases
  // linked to it (docs/cases.md), each change with its own audit record
  // naming who answered. Before the answer, so a failure leaves the step
  // waiting to be answered again.
  if (ctx.cases != nullptr) {
    cases::Actor actor;
    if (request.audit) {
      actor.audit = request.audit->record;
    } else {
      set_actor(actor.audit, request.principal);
    }
    auto acked = ctx.cases->acknowledge_execution(
        id, actor, bj::object{{"via", "manual_step"}, {"execution_id", id},
                              {"step_key", step_key}});
    if (!acked.is_ok()) return error_response(acked.status());
  }
  if (here) {
    Status s = ctx.manual->answer(id, step_key, a);
    if (s.code() == Code::kNotFound) return not_waiting(id, step_key);
    if (!s.is_ok()) return error_response(s);
    return json_response(200, answered(id, step_key, a));
  }
  // The node that runs the execution applies the answer (server/signals.h).
  store::SignalRecord signal;
  signal.execution_id = id;
  signal.kind = "answer";
  signal.step_key = step_key;
  signal.body = bj::object{{"success", a.success}, {"response", a.response},
                           {"answered_by", a.answered_by}};
  auto sent = send_signal(*ctx.store, std::move(signal), kSignalWait);
  if (!sent.is_ok()) return error_response(sent.status());
  if (sent->state == "done") return json_response(200, answered(id, step_key, a));
  // The owner answers a step only while it waits: a failed answer found none.
  if (sent->state == "failed") return not_waiting(id, step_key);
  bj::object forwarded = answered(id, step_key, a);
  forwarded["status"] = "forwarded";
  forwarded["node"] = *node;
  return json_response(202, std::move(forwarded));
}

}  // namespace

Result<std::vector<actions::ManualTask>> waiting_manual_steps(ApiContext& ctx,
                                                              const std::string& execution_id,
                                                              const std::string& owner) {
  std::vector<actions::ManualTask> tasks = ctx.manual->list(execution_id);
  // No node id: no other node either. This node's own execution: its board
  // is the whole truth, and a live view need not read the store each time.
  if (ctx.node_id.empty() || (!owner.empty() && owner == ctx.node_id)) return tasks;
  auto waits = ctx.store->list_manual_waits(execution_id);
  if (!waits.is_ok()) return waits.status();
  // This node's board is the truth for its own executions; the store's copy
  // of them may lag a step behind.
  std::set<std::pair<std::string, std::string>> here;
  for (const auto& t : tasks) here.emplace(t.execution_id, t.step_key);
  bool added = false;
  for (auto& w : *waits) {
    if (w.owner == ctx.node_id || here.count({w.execution_id, w.step_key})) continue;
    tasks.push_back(actions::task_from_stored(std::move(w.execution_id), std::move(w.step_key),
                                              w.created_at_ms, w.task));
    added = true;
  }
  if (added) {
    std::stable_sort(tasks.begin(), tasks.end(), [](const auto& a, const auto& b) {
      return a.created_at_ms < b.created_at_ms;
    });
  }
  return tasks;
}

void add_manual_step_routes(Router& router, ApiContext& ctx) {
  router.add({.method = "GET",
              .pattern = "/api/v1/manual-steps",
              .permission = Permission::kExecutionRead,
              .doc = {.operation_id = "listManualSteps",
                      .summary = "Manual steps waiting for an answer, oldest first",
                      .tag = "manual-steps",
                      .query = {{"execution_id", "string", "Only the steps of this execution"}},
                      .responses = {{200, "The waiting steps", "ManualStepList"}}},
              .handler = sync_handler([&ctx](Request& r) { return list(ctx, r); })});
  router.add({.method = "POST",
              // A step key may contain '/' (parallel branches, loops,
              // sub-playbooks); clients percent-encode it as %2F.
              .pattern = "/api/v1/executions/{id}/steps/{step_key+}/answer",
              .permission = Permission::kManualAnswer,
              .doc = {.operation_id = "answerManualStep",
                      .summary = "Answer a waiting manual step; records which API key answered",
                      .tag = "manual-steps",
                      .path_params = {{"id", "string", "The execution id"},
                                      {"step_key", "string",
                                       "The step key from the list of manual steps "
                                       "(percent-encode '/' as %2F)"}},
                      .request_schema = "ManualAnswer",
                      .request_optional = true,
                      .responses = {{200, "Answered; the execution continues", "ManualAnswered"},
                                    {202, "Handed to the node that runs the execution, which "
                                          "applies it when it gets to it", "ManualAnswered"},
                                    {404, "No such step is waiting", "Error"},

                                    {422, "The answer is not valid", "Error"}}},
              .handler = sync_handler([&ctx](Request& r) { return answer(ctx, r); }),
              .audit = {"manual_step.answer", "execution", "id"}});
}

}  // namespace atio::server
