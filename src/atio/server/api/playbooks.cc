// /api/v1/playbooks: create, import (upsert), list, get, update, delete, export.
#include <set>

#include "atio/playbook/cacao/parse.h"
#include "atio/server/api/common.h"
#include "atio/server/api/context.h"
#include "atio/audit/json_diff.h"
#include "atio/cti/stix/jcs.h"
#include "atio/monitor/watcher.h"
#include "atio/server/api/playbook_writes.h"
#include "atio/server/audit_trail.h"

namespace atio::server {

namespace {

const char* kPlaybookPath = "/api/v1/playbooks/{id}";

bj::object summary(const store::PlaybookRecord& r, bool is_protected) {
  bj::object o{{"id", r.id},
               {"name", r.name},
               {"version", r.version},
               {"created_at", timestamp_json(r.created_at_ms)},
               {"updated_at", timestamp_json(r.updated_at_ms)}};
  if (const auto* d = json::get_string(r.document, "description")) o["description"] = *d;
  o["protected"] = is_protected;
  return o;
}

// Parses and validates the body as a CACAO playbook: every problem at once.
// On success fills `out` (timestamps now); on failure sets *error.
bool read_playbook(const Request& request, const ApiContext& ctx, store::PlaybookRecord* out,
                   Response* error) {
  if (request.body.size() > ctx.limits.max_playbook_bytes) {
    *error = error_response(413, "playbook_too_large",
                            "the playbook is " + std::to_string(request.body.size()) +
                                " bytes; the limit is " +
                                std::to_string(ctx.limits.max_playbook_bytes));
    return false;
  }
  bj::object doc;
  if (!parse_object_body(request, ctx.limits, false, &doc, error)) return false;
  cacao::ValidateOptions options;
  options.commands = ctx.registry->catalog();
  json::FieldErrors errors;
  auto pb = cacao::load(bj::value(doc), options, &errors);
  if (!pb.is_ok()) {
    if (errors.empty()) errors.push_back({"", pb.status().message()});
    *error = unprocessable("invalid_playbook",
                           "the playbook is not valid: " + std::to_string(errors.size()) +
                               (errors.size() == 1 ? " problem" : " problems"),
                           errors);
    return false;
  }
  out->id = pb->id;
  out->version = pb->modified;
  out->name = pb->name;
  out->document = std::move(doc);
  out->created_at_ms = out->updated_at_ms = now_ms();
  return true;
}

Response not_found(const std::string& id) {
  return error_response(404, "not_found", "playbook " + id + " not found");
}

// Writes `op` with the request's audit record and answers `status` with the
// playbook's id and version. `before` is the stored version it replaces.
void write_playbook(ApiContext& ctx, Request& request, store::WriteOp op,
                    const store::PlaybookRecord& r, const store::PlaybookRecord* before,
                    int status, Respond respond) {
  bj::object body{{"id", r.id}, {"version", r.version}, {"name", r.name}};
  std::string id = r.id;
  std::vector<store::WriteOp> ops{std::move(op)};
  ops.push_back(store::AppendPlaybookVersion{new_version(request, r, save_comment(request))});
  add_audit(request, ops, playbook_change(before, &r), r.id);
  ctx.store->submit(std::move(ops), [&ctx, id, status, body = std::move(body),
                                      respond = std::move(respond)](Status s) {
    if (!s.is_ok()) {
      respond(error_response(s));
      return;
    }
    playbook_written(ctx, id);
    Response r = json_response(status, body);
    r.header("Location", "/api/v1/playbooks/" + id);
    respond(std::move(r));
  });
}

void create(ApiContext& ctx, Request& request, Respond respond) {
  store::PlaybookRecord r;
  Response error;
  if (!read_playbook(request, ctx, &r, &error)) return respond(std::move(error));
  write_playbook(ctx, request, store::CreatePlaybook{r}, r, nullptr, 201, std::move(respond));
}

void import(ApiContext& ctx, Request& request, Respond respond) {
  store::PlaybookRecord r;
  Response error;
  if (!read_playbook(request, ctx, &r, &error)) return respond(std::move(error));
  auto existing = ctx.store->get_playbook(r.id);
  if (!existing.is_ok()) return respond(error_response(existing.status()));
  const store::PlaybookRecord* before = *existing ? &**existing : nullptr;
  write_playbook(ctx, request, store::PutPlaybook{r}, r, before, before ? 200 : 201,
                 std::move(respond));
}

void update(ApiContext& ctx, Request& request, Respond respond) {
  store::PlaybookRecord r;
  Response error;
  if (!read_playbook(request, ctx, &r, &error)) return respond(std::move(error));
  const std::string& id = request.param("id");
  if (r.id != id) {
    return respond(unprocessable("id_mismatch", "the playbook's id differs from the URL",
                                 {{"/id", "must be " + id + " (the id in the URL)"}}));
  }
  // Read for the record's "before"; the update itself still fails if the
  // playbook is gone by the time it is written.
  auto existing = ctx.store->get_playbook(id);
  if (!existing.is_ok()) return respond(error_response(existing.status()));
  const store::PlaybookRecord* before = *existing ? &**existing : nullptr;
  write_playbook(ctx, request, store::UpdatePlaybook{r}, r, before, 200, std::move(respond));
}

Response list(ApiContext& ctx) {
  auto all = ctx.store->list_playbooks();
  if (!all.is_ok()) return error_response(all.status());
  auto protection = ctx.store->list_protected_playbooks();
  if (!protection.is_ok()) return error_response(protection.status());
  std::set<std::string> protected_ids;
  for (const auto& p : *protection) protected_ids.insert(p.playbook_id);
  bj::array out;
  for (const auto& r : *all) out.push_back(summary(r, protected_ids.count(r.id) > 0));
  return json_response(200, bj::object{{"playbooks", std::move(out)}});
}

Response get(ApiContext& ctx, const std::string& id) {
  auto r = ctx.store->get_playbook(id);
  if (!r.is_ok()) return error_response(r.status());
  if (!*r) return not_found(id);
  return json_response(200, (*r)->document);
}

Response export_playbook(ApiContext& ctx, const std::string& id) {
  auto r = ctx.store->get_playbook(id);
  if (!r.is_ok()) return error_response(r.status());
  if (!*r) return not_found(id);
  cacao::ValidateOptions options;
  options.semantic = false;
  json::FieldErrors errors;
  auto pb = cacao::load(bj::value((*r)->document), options, &errors);
  // A stored document always validated once; if today's rules reject it,
  // export it as stored rather than not at all.
  Response res = json_response(200, pb.is_ok() ? cacao::export_document(*pb) : (*r)->document);
  res.header("Content-Disposition", "attachment; filename=\"" + id + ".json\"");
  return res;
}

void remove(ApiContext& ctx, Request& request, const std::string& id, Respond respond) {
  auto r = ctx.store->get_playbook(id);
  if (!r.is_ok()) return respond(error_response(r.status()));
  if (!*r) return respond(not_found(id));
  // Deleting a playbook that hooks or schedules still start would make them
  // fail at every call; the user removes them first.
  std::string users;
  auto hooks = ctx.store->list_hooks();
  if (!hooks.is_ok()) return respond(error_response(hooks.status()));
  for (const auto& h : *hooks) {
    if (h.playbook_id == id) users += (users.empty() ? "" : ", ") + ("hook " + h.id);
  }
  auto schedules = ctx.store->list_schedules();
  if (!schedules.is_ok()) return respond(error_response(schedules.status()));
  for (const auto& s : *schedules) {
    if (s.playbook_id == id) users += (users.empty() ? "" : ", ") + ("schedule " + s.id);
  }
  auto triggers = ctx.store->list_monitor_triggers();
  if (!triggers.is_ok()) return respond(error_response(triggers.status()));
  for (const auto& t : *triggers) {
    if (t.playbook_id == id) users += (users.empty() ? "" : ", ") + ("monitor trigger " + t.id);
  }
  if (!users.empty()) {
    return respond(error_response(409, "in_use", "playbook " + id + " is used by " + users +
                                                     "; delete them first"));
  }
  // Its protection goes with it; its versions stay. Whether this principal
  // may delete a protected playbook is the monitor's to judge
  // (monitor/protection.h): it restores the playbook when not.
  std::vector<store::WriteOp> ops{store::DeletePlaybook{id},
                                  store::SetPlaybookProtection{id, false, "", 0}};
  add_audit(request, ops, playbook_change(&**r, nullptr));
  ctx.store->submit(std::move(ops), [&ctx, id, respond = std::move(respond)](Status s) {
    if (!s.is_ok()) return respond(error_response(s));
    playbook_written(ctx, id);
    respond(empty_response(204));
  });
}

const std::vector<ParamDoc> kIdParam = {{"id", "string", "The CACAO playbook id (playbook--<uuid>)"}};

}  // namespace

bj::object playbook_change(const store::PlaybookRecord* before,
                           const store::PlaybookRecord* after) {
  const store::PlaybookRecord& r = after ? *after : *before;
  bj::object d{{"name", r.name}, {"version", r.version}};
  d["hash_before"] =
      before ? bj::value(store::playbook_content_hash(before->document)) : bj::value(nullptr);
  d["hash_after"] =
      after ? bj::value(store::playbook_content_hash(after->document)) : bj::value(nullptr);
  if (before && after) {
    d["diff"] = audit::json_diff(bj::value(before->document), bj::value(after->document));
  }
  return d;
}

std::string save_comment(const Request& request) {
  if (auto c = request.query_param("comment")) return *c;
  return std::string(request.header("x-atio-comment"));
}

store::PlaybookVersionRecord new_version(const Request& request, const store::PlaybookRecord& r,
                                         std::string comment) {
  store::AuditRecord who;
  set_actor(who, request.principal);
  store::PlaybookVersionRecord v;
  v.playbook_id = r.id;
  v.content_hash = store::playbook_content_hash(r.document);
  v.name = r.name;
  v.document = r.document;
  v.author = who.actor;
  v.author_kind = who.actor_kind;
  v.author_name = who.actor_name;
  v.time_ms = now_ms();
  v.comment = std::move(comment);
  return v;
}

void playbook_written(ApiContext& ctx, const std::string& id) {
  if (ctx.playbook_cache) ctx.playbook_cache->invalidate(id);
  if (ctx.monitor) ctx.monitor->signal();
}

void add_playbook_routes(Router& router, ApiContext& ctx) {
  router.add({.method = "GET",
              .pattern = "/api/v1/playbooks",
              .permission = Permission::kPlaybookRead,
              .doc = {.operation_id = "listPlaybooks",
                      .summary = "List the stored playbooks",
                      .tag = "playbooks",
                      .responses = {{200, "The playbooks", "PlaybookList"}}},
              .handler = sync_handler([&ctx](Request&) { return list(ctx); })});
  router.add({.method = "POST",
              .pattern = "/api/v1/playbooks",
              .permission = Permission::kPlaybookWrite,
              .doc = {.operation_id = "createPlaybook",
                      .summary = "Store a new CACAO 2.0 playbook after validating it",
                      .tag = "playbooks",
                      .request_schema = "CacaoPlaybook",
                      .responses = {{201, "Stored", "PlaybookRef"},
                                    {409, "A playbook with this id exists", "Error"},
                                    {413, "The playbook is larger than the limit", "Error"},
                                    {422, "The playbook is not valid (every problem listed)", "Error"}}},
              .handler = [&ctx](Request& r, Respond done) { create(ctx, r, std::move(done)); },
              .audit = {"playbook.create", "playbook", ""}});
  router.add({.method = "POST",
              .pattern = "/api/v1/playbooks/import",
              .permission = Permission::kPlaybookWrite,
              .doc = {.operation_id = "importPlaybook",
                      .summary = "Import a CACAO 2.0 playbook: create it, or replace the one with its id",
                      .tag = "playbooks",
                      .request_schema = "CacaoPlaybook",
                      .responses = {{200, "Replaced", "PlaybookRef"},
                                    {201, "Created", "PlaybookRef"},
                                    {413, "The playbook is larger than the limit", "Error"},
                                    {422, "The playbook is not valid (every problem listed)", "Error"}}},
              .handler = [&ctx](Request& r, Respond done) { import(ctx, r, std::move(done)); },
              .audit = {"playbook.import", "playbook", ""}});
  router.add({.method = "GET",
              .pattern = kPlaybookPath,
              .permission = Permission::kPlaybookRead,
              .doc = {.operation_id = "getPlaybook",
                      .summary = "The playbook's CACAO document",
                      .tag = "playbooks",
                      .path_params = kIdParam,
                      .responses = {{200, "The document", "CacaoPlaybook"},
                                    {404, "No such playbook", "Error"}}},
              .handler = sync_handler([&ctx](Request& r) { return get(ctx, r.param("id")); })});
  router.add({.method = "PUT",
              .pattern = kPlaybookPath,
              .permission = Permission::kPlaybookWrite,
              .doc = {.operation_id = "updatePlaybook",
                      .summary = "Replace an existing playbook (the body's id must be the URL's)",
                      .tag = "playbooks",
                      .path_params = kIdParam,
                      .request_schema = "CacaoPlaybook",
                      .responses = {{200, "Updated", "PlaybookRef"},
                                    {404, "No such playbook", "Error"},
                                    {413, "The playbook is larger than the limit", "Error"},
                                    {422, "The playbook is not valid, or its id differs from the URL", "Error"}}},
              .handler = [&ctx](Request& r, Respond done) { update(ctx, r, std::move(done)); },
              .audit = {"playbook.update", "playbook", "id"}});
  router.add({.method = "DELETE",
              .pattern = kPlaybookPath,
              .permission = Permission::kPlaybookWrite,
              .doc = {.operation_id = "deletePlaybook",
                      .summary = "Delete a playbook (its executions and versions stay)",
                      .tag = "playbooks",
                      .path_params = kIdParam,
                      .responses = {{204, "Deleted", ""},
                                    {404, "No such playbook", "Error"},
                                    {409, "Hooks, schedules or monitor triggers still start this playbook", "Error"}}},
              .handler = [&ctx](Request& r, Respond done) {
                remove(ctx, r, r.param("id"), std::move(done));
              },
              .audit = {"playbook.delete", "playbook", "id"}});
  router.add({.method = "GET",
              .pattern = "/api/v1/playbooks/{id}/export",
              .permission = Permission::kPlaybookRead,
              .doc = {.operation_id = "exportPlaybook",
                      .summary = "Download the playbook as a CACAO 2.0 JSON file",
                      .tag = "playbooks",
                      .path_params = kIdParam,
                      .responses = {{200, "The CACAO document (Content-Disposition: attachment)",
                                     "CacaoPlaybook"},
                                    {404, "No such playbook", "Error"}}},
              .handler = sync_handler(
                  [&ctx](Request& r) { return export_playbook(ctx, r.param("id")); })});
}

}  // namespace atio::server
