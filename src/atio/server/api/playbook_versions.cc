// /api/v1/playbooks/{id}/versions, /diff, /versions/{n}/restore and
// /protection: the immutable history of every save, and the protected flag
// that makes the monitor restore a playbook changed without the right to.
#include "atio/audit/json_diff.h"
#include "atio/monitor/events.h"
#include "atio/monitor/protection.h"
#include "atio/server/api/common.h"
#include "atio/server/api/context.h"
#include "atio/server/api/playbook_writes.h"
#include "atio/server/audit_trail.h"

namespace atio::server {

namespace {

bj::object version_json(const store::PlaybookVersionRecord& v) {
  return bj::object{{"playbook_id", v.playbook_id},
                    {"version", v.version},
                    {"hash", v.content_hash},
                    {"name", v.name},
                    {"author", bj::object{{"id", v.author},
                                          {"kind", v.author_kind},
                                          {"name", v.author_name}}},
                    {"time", timestamp_json(v.time_ms)},
                    {"comment", v.comment}};
}

Response list_versions(ApiContext& ctx, const std::string& id) {
  auto all = ctx.store->list_playbook_versions(id, false);
  if (!all.is_ok()) return error_response(all.status());
  if (all->empty()) return error_response(404, "not_found", "playbook " + id + " has no versions");
  bj::array out;
  for (const auto& v : *all) out.push_back(version_json(v));
  return json_response(200, bj::object{{"playbook_id", id}, {"versions", std::move(out)}});
}

// The version named by the path or query `name` ("" or absent = newest).
Result<store::PlaybookVersionRecord> find_version(ApiContext& ctx, const std::string& id,
                                                  std::int64_t number) {
  auto v = ctx.store->get_playbook_version(id, number);
  if (!v.is_ok()) return v.status();
  if (!*v) {
    return Status(Code::kNotFound, number == 0 ? "playbook " + id + " has no versions"
                                               : "playbook " + id + " has no version " +
                                                     std::to_string(number));
  }
  return std::move(**v);
}

bool version_param(const Request& r, std::int64_t* out, Response* error) {
  const std::string& text = r.param("version");
  std::int64_t n = 0;
  bool ok = !text.empty() && text.size() < 18 &&
            text.find_first_not_of("0123456789") == std::string::npos;
  if (ok) n = std::stoll(text);
  if (!ok || n < 1) {
    *error = error_response(400, "invalid_parameter", "the version is a number from 1",
                            {{"/path/version", "must be an integer >= 1"}});
    return false;
  }
  *out = n;
  return true;
}

Response get_version(ApiContext& ctx, const Request& r) {
  std::int64_t n = 0;
  Response error;
  if (!version_param(r, &n, &error)) return error;
  auto v = find_version(ctx, r.param("id"), n);
  if (!v.is_ok()) return error_response(v.status());
  bj::object o = version_json(*v);
  o["document"] = v->document;
  return json_response(200, o);
}

Response diff_versions(ApiContext& ctx, const Request& r) {
  const std::string& id = r.param("id");
  std::int64_t to = 0, from = 0;
  Response error;
  if (!integer_query(r, "to", 1, INT64_MAX, &to, &error)) return error;
  if (!integer_query(r, "from", 1, INT64_MAX, &from, &error)) return error;
  auto newer = find_version(ctx, id, to);
  if (!newer.is_ok()) return error_response(newer.status());
  if (from == 0) from = newer->version > 1 ? newer->version - 1 : 1;
  auto older = find_version(ctx, id, from);
  if (!older.is_ok()) return error_response(older.status());
  bj::array diff = audit::json_diff(bj::value(older->document), bj::value(newer->document),
                                    audit::DiffLimits{100000, 1 << 20});
  return json_response(200, bj::object{{"playbook_id", id},
                                        {"from", version_json(*older)},
                                        {"to", version_json(*newer)},
                                        {"diff", std::move(diff)}});
}

std::string string_member(const bj::object& o, const char* key) {
  const bj::value* v = o.if_contains(key);
  return v && v->is_string() ? std::string(v->get_string()) : std::string();
}

void restore(ApiContext& ctx, Request& request, Respond respond) {
  const std::string id = request.param("id");
  std::int64_t n = 0;
  Response error;
  if (!version_param(request, &n, &error)) return respond(std::move(error));
  auto v = find_version(ctx, id, n);
  if (!v.is_ok()) return respond(error_response(v.status()));
  auto existing = ctx.store->get_playbook(id);
  if (!existing.is_ok()) return respond(error_response(existing.status()));
  const store::PlaybookRecord* before = *existing ? &**existing : nullptr;

  store::PlaybookRecord r;
  r.id = id;
  r.name = string_member(v->document, "name");
  r.version = string_member(v->document, "modified");
  r.document = v->document;
  r.created_at_ms = r.updated_at_ms = now_ms();
  std::string comment = "restored from version " + std::to_string(n);
  if (const std::string c = save_comment(request); !c.empty()) comment += ": " + c;
  bj::object detail = playbook_change(before, &r);
  detail["restored_from"] = n;
  std::vector<store::WriteOp> ops{store::PutPlaybook{r},
                                  store::AppendPlaybookVersion{new_version(request, r, comment)}};
  add_audit(request, ops, detail, id);
  ctx.store->submit(std::move(ops), [&ctx, id, n, respond = std::move(respond)](Status s) {
    if (!s.is_ok()) return respond(error_response(s));
    playbook_written(ctx, id);
    auto latest = ctx.store->get_playbook_version(id, 0);
    bj::object body{{"id", id}, {"restored_from", n}};
    if (latest.is_ok() && *latest) body["version"] = version_json(**latest);
    respond(json_response(200, body));
  });
}

// The actor of the request, as the protection policy sees it.
monitor::Actor request_actor(const Request& request) {
  store::AuditRecord who;
  set_actor(who, request.principal);
  monitor::Actor a;
  a.id = who.actor;
  a.kind = who.actor_kind;
  a.name = who.actor_name;
  a.role = who.role;
  a.audit_seq = 1;  // the request is audited
  return a;
}

void set_protection(ApiContext& ctx, Request& request, bool on, Respond respond) {
  const std::string id = request.param("id");
  auto existing = ctx.store->get_playbook(id);
  if (!existing.is_ok()) return respond(error_response(existing.status()));
  if (!*existing) return respond(error_response(404, "not_found", "playbook " + id + " not found"));
  if (!on && !monitor::may_change_protected(request_actor(request),
                                            monitor::ChangeKind::kModification)) {
    return respond(error_response(403, "forbidden",
                                  "your role may not remove the protection of a playbook"));
  }
  store::AuditRecord who;
  set_actor(who, request.principal);
  std::vector<store::WriteOp> ops{store::SetPlaybookProtection{id, on, who.actor, now_ms()}};
  add_audit(request, ops,
            bj::object{{"name", (*existing)->name},
                       {"protected", on},
                       {"hash", store::playbook_content_hash((*existing)->document)}},
            id);
  ctx.store->submit(std::move(ops), [&ctx, id, on, respond = std::move(respond)](Status s) {
    if (!s.is_ok()) return respond(error_response(s));
    playbook_written(ctx, id);
    respond(json_response(200, bj::object{{"id", id}, {"protected", on}}));
  });
}

const std::vector<ParamDoc> kIdParam = {{"id", "string", "The CACAO playbook id (playbook--<uuid>)"}};
const std::vector<ParamDoc> kVersionParams = {
    {"id", "string", "The CACAO playbook id (playbook--<uuid>)"},
    {"version", "integer", "The version number (1, 2, ...)"}};

}  // namespace

void add_playbook_version_routes(Router& router, ApiContext& ctx) {
  router.add({.method = "GET",
              .pattern = "/api/v1/playbooks/{id}/versions",
              .permission = Permission::kPlaybookRead,
              .doc = {.operation_id = "listPlaybookVersions",
                      .summary = "Every saved version of a playbook, newest first (kept after it is deleted)",
                      .tag = "playbooks",
                      .path_params = kIdParam,
                      .responses = {{200, "The versions", "PlaybookVersionList"},
                                    {404, "The playbook never had a version", "Error"}}},
              .handler = sync_handler([&ctx](Request& r) { return list_versions(ctx, r.param("id")); })});
  router.add({.method = "GET",
              .pattern = "/api/v1/playbooks/{id}/versions/{version}",
              .permission = Permission::kPlaybookRead,
              .doc = {.operation_id = "getPlaybookVersion",
                      .summary = "One version of a playbook with its document",
                      .tag = "playbooks",
                      .path_params = kVersionParams,
                      .responses = {{200, "The version", "PlaybookVersion"},
                                    {404, "No such version", "Error"}}},
              .handler = sync_handler([&ctx](Request& r) { return get_version(ctx, r); })});
  router.add({.method = "GET",
              .pattern = "/api/v1/playbooks/{id}/diff",
              .permission = Permission::kPlaybookRead,
              .doc = {.operation_id = "diffPlaybookVersions",
                      .summary = "What changed between two versions (RFC 6902 operations)",
                      .tag = "playbooks",
                      .path_params = kIdParam,
                      .query = {{"from", "integer", "The older version (default: the one before `to`)"},
                                {"to", "integer", "The newer version (default: the newest)"}},
                      .responses = {{200, "The diff", "PlaybookDiff"},
                                    {404, "No such version", "Error"}}},
              .handler = sync_handler([&ctx](Request& r) { return diff_versions(ctx, r); })});
  router.add({.method = "POST",
              .pattern = "/api/v1/playbooks/{id}/versions/{version}/restore",
              .permission = Permission::kPlaybookWrite,
              .doc = {.operation_id = "restorePlaybookVersion",
                      .summary = "Make a version current again (a new version; recreates a deleted playbook)",
                      .tag = "playbooks",
                      .path_params = kVersionParams,
                      .query = {{"comment", "string", "Why (kept with the new version)"}},
                      .request_optional = true,
                      .responses = {{200, "Restored", "PlaybookRestored"},
                                    {404, "No such version", "Error"}}},
              .handler = [&ctx](Request& r, Respond done) { restore(ctx, r, std::move(done)); },
              .audit = {"playbook.restore", "playbook", "id"}});
  router.add({.method = "PUT",
              .pattern = "/api/v1/playbooks/{id}/protection",
              .permission = Permission::kPlaybookProtect,
              .doc = {.operation_id = "protectPlaybook",
                      .summary = "Protect a playbook: the monitor restores it after a change without the right to",
                      .tag = "playbooks",
                      .path_params = kIdParam,
                      .request_optional = true,
                      .responses = {{200, "Protected", "PlaybookProtection"},
                                    {404, "No such playbook", "Error"}}},
              .handler = [&ctx](Request& r, Respond done) {
                set_protection(ctx, r, true, std::move(done));
              },
              .audit = {"playbook.protect", "playbook", "id"}});
  router.add({.method = "DELETE",
              .pattern = "/api/v1/playbooks/{id}/protection",
              .permission = Permission::kPlaybookProtect,
              .doc = {.operation_id = "unprotectPlaybook",
                      .summary = "Remove a playbook's protection",
                      .tag = "playbooks",
                      .path_params = kIdParam,
                      .responses = {{200, "Not protected any more", "PlaybookProtection"},
                                    {403, "The caller's role may not remove protection", "Error"},
                                    {404, "No such playbook", "Error"}}},
              .handler = [&ctx](Request& r, Respond done) {
                set_protection(ctx, r, false, std::move(done));
              },
              .audit = {"playbook.unprotect", "playbook", "id"}});
}

}  // namespace atio::server
