// /api/v1/schedules: interval and cron schedules that start a playbook.
#include "atio/core/ids.h"
#include "atio/server/api/common.h"
#include "atio/server/api/context.h"
#include "atio/server/audit_trail.h"
#include "atio/server/cron.h"
#include "atio/server/schedule_runner.h"

namespace atio::server {

namespace {

constexpr std::int64_t kMaxIntervalSeconds = 366LL * 24 * 3600;

bj::object schedule_json(const store::ScheduleRecord& s) {
  auto next = next_run_ms(s);
  return bj::object{
      {"id", s.id},
      {"playbook_id", s.playbook_id},
      {"name", s.name},
      {"interval_seconds", s.interval_seconds > 0 ? bj::value(s.interval_seconds) : bj::value(nullptr)},
      {"cron", s.interval_seconds > 0 ? bj::value(nullptr) : bj::value(s.cron)},
      {"variables", s.variables},
      {"created_at", timestamp_json(s.created_at_ms)},
      {"last_run_at", timestamp_json(s.last_run_at_ms)},
      {"next_run_at", next ? timestamp_json(*next) : bj::value(nullptr)}};
}

void create(ApiContext& ctx, Request& request, Respond respond) {
  bj::object body;
  Response error;
  if (!parse_object_body(request, ctx.limits, false, &body, &error)) return respond(std::move(error));
  FieldReader f(body);
  f.reject_unknown({"playbook_id", "name", "interval_seconds", "cron", "variables"});
  auto playbook_id = f.string("playbook_id", true);
  std::string name = f.string("name").value_or("");
  auto interval = f.integer("interval_seconds");
  auto cron = f.string("cron");
  const bj::object* vars = f.object("variables");
  if (interval && cron) {
    f.add("cron", "cannot be given together with interval_seconds (choose one)");
  } else if (!interval && !cron && f.errors().empty()) {
    f.add("interval_seconds", "is required unless cron is given");
  }
  if (interval && (*interval < 1 || *interval > kMaxIntervalSeconds)) {
    f.add("interval_seconds", "must be from 1 to " + std::to_string(kMaxIntervalSeconds));
  }
  if (cron && !interval) {
    auto parsed = CronSchedule::parse(*cron);
    if (!parsed.is_ok()) {
      f.add("cron", parsed.status().message());
    } else if (!parsed->next_after(now_ms())) {
      f.add("cron", "never matches a date (within five years)");
    }
  }
  bj::object variables;
  if (vars) variables = normalise_variables(*vars, "/variables", &f.errors());
  if (playbook_id) {
    auto pb = ctx.playbooks->get(*playbook_id);
    if (pb.is_ok()) {
      check_variables(**pb, variables, "/variables", &f.errors());
    } else if (pb.status().code() == Code::kNotFound) {
      f.add("playbook_id", "no playbook has this id");
    } else {
      return respond(error_response(pb.status()));
    }
  }
  if (!f.errors().empty()) {
    return respond(unprocessable("invalid_request", "the schedule is not valid", f.errors()));
  }
  store::ScheduleRecord s;
  s.id = uuid_v4();
  s.playbook_id = *playbook_id;
  s.name = name;
  s.interval_seconds = interval.value_or(0);
  if (!interval) s.cron = *cron;
  s.variables = std::move(variables);
  s.created_at_ms = now_ms();
  bj::object out = schedule_json(s);
  std::vector<store::WriteOp> ops{store::PutSchedule{s}};
  add_audit(request, ops, bj::object{{"schedule", out}}, s.id);
  ctx.store->submit(std::move(ops), [&ctx, out = std::move(out), id = s.id,
                                              respond = std::move(respond)](Status st) {
    if (!st.is_ok()) return respond(error_response(st));
    if (ctx.schedules_changed) ctx.schedules_changed();
    Response r = json_response(201, out);
    r.header("Location", "/api/v1/schedules/" + id);
    respond(std::move(r));
  });
}

Response list(ApiContext& ctx) {
  auto all = ctx.store->list_schedules();
  if (!all.is_ok()) return error_response(all.status());
  bj::array out;
  for (const auto& s : *all) out.push_back(schedule_json(s));
  return json_response(200, bj::object{{"schedules", std::move(out)}});
}

Response get(ApiContext& ctx, const std::string& id) {
  auto s = ctx.store->get_schedule(id);
  if (!s.is_ok()) return error_response(s.status());
  if (!*s) return error_response(404, "not_found", "schedule " + id + " not found");
  return json_response(200, schedule_json(**s));
}

void remove(ApiContext& ctx, Request& request, const std::string& id, Respond respond) {
  auto s = ctx.store->get_schedule(id);
  if (!s.is_ok()) return respond(error_response(s.status()));
  if (!*s) return respond(error_response(404, "not_found", "schedule " + id + " not found"));
  std::vector<store::WriteOp> ops{store::DeleteSchedule{id}};
  add_audit(request, ops, bj::object{{"playbook_id", (*s)->playbook_id}, {"name", (*s)->name}});
  ctx.store->submit(std::move(ops), [&ctx, respond = std::move(respond)](Status st) {
    if (!st.is_ok()) return respond(error_response(st));
    if (ctx.schedules_changed) ctx.schedules_changed();
    respond(empty_response(204));
  });
}

const std::vector<ParamDoc> kScheduleId = {{"id", "string", "The schedule id (uuid)"}};

}  // namespace

void add_schedule_routes(Router& router, ApiContext& ctx) {
  router.add({.method = "POST",
              .pattern = "/api/v1/schedules",
              .permission = Permission::kTriggerManage,
              .doc = {.operation_id = "createSchedule",
                      .summary = "Start a playbook every interval_seconds or on a 5-field cron "
                                 "expression (UTC); a run missed while atio was down happens "
                                 "once on start",
                      .tag = "schedules",
                      .request_schema = "ScheduleCreate",
                      .responses = {{201, "Created", "Schedule"},
                                    {422, "The schedule is not valid", "Error"}}},
              .handler = [&ctx](Request& r, Respond done) { create(ctx, r, std::move(done)); },
              .audit = {"schedule.create", "schedule", ""}});
  router.add({.method = "GET",
              .pattern = "/api/v1/schedules",
              .permission = Permission::kTriggerRead,
              .doc = {.operation_id = "listSchedules",
                      .summary = "List schedules with their last and next run",
                      .tag = "schedules",
                      .responses = {{200, "The schedules", "ScheduleList"}}},
              .handler = sync_handler([&ctx](Request&) { return list(ctx); })});
  router.add({.method = "GET",
              .pattern = "/api/v1/schedules/{id}",
              .permission = Permission::kTriggerRead,
              .doc = {.operation_id = "getSchedule",
                      .summary = "A schedule with its last and next run",
                      .tag = "schedules",
                      .path_params = kScheduleId,
                      .responses = {{200, "The schedule", "Schedule"},
                                    {404, "No such schedule", "Error"}}},
              .handler = sync_handler([&ctx](Request& r) { return get(ctx, r.param("id")); })});
  router.add({.method = "DELETE",
              .pattern = "/api/v1/schedules/{id}",
              .permission = Permission::kTriggerManage,
              .doc = {.operation_id = "deleteSchedule",
                      .summary = "Delete a schedule",
                      .tag = "schedules",
                      .path_params = kScheduleId,
                      .responses = {{204, "Deleted", ""}, {404, "No such schedule", "Error"}}},
              .handler = [&ctx](Request& r, Respond done) {
                remove(ctx, r, r.param("id"), std::move(done));
              },
              .audit = {"schedule.delete", "schedule", "id"}});
}

}  // namespace atio::server
