// /api/v1/hooks: create (the token or secret is shown once), list, get, delete.
#include "atio/core/ids.h"
#include "atio/server/api/common.h"
#include "atio/server/api/context.h"
#include "atio/server/audit_trail.h"
#include "atio/server/api/hooks_json.h"
#include "atio/server/auth/crypto.h"

namespace atio::server {

namespace {

void create(ApiContext& ctx, Request& request, Respond respond) {
  bj::object body;
  Response error;
  if (!parse_object_body(request, ctx.limits, false, &body, &error)) return respond(std::move(error));
  FieldReader f(body);
  f.reject_unknown({"playbook_id", "auth", "name"});
  auto playbook_id = f.string("playbook_id", true);
  std::string auth = f.string("auth").value_or("token");
  std::string name = f.string("name").value_or("");
  if (auth != "token" && auth != "hmac") f.add("auth", "must be \"token\" or \"hmac\"");
  if (playbook_id) {
    auto pb = ctx.store->get_playbook(*playbook_id);
    if (!pb.is_ok()) return respond(error_response(pb.status()));
    if (!*pb) f.add("playbook_id", "no playbook has this id");
  }
  if (!f.errors().empty()) {
    return respond(unprocessable("invalid_request", "the hook is not valid", f.errors()));
  }
  store::HookRecord h;
  h.id = uuid_v4();
  h.playbook_id = *playbook_id;
  h.name = name;
  h.auth = auth;
  h.created_at_ms = now_ms();
  bj::object out = hook_json(h, request);
  if (auth == "token") {
    std::string token = auth::new_secret("atiohook_");
    h.token_hash = auth::sha256_hex(token);
    out["token"] = token;
  } else {
    h.secret = auth::new_secret("");
    out["secret"] = h.secret;
  }
  std::vector<store::WriteOp> ops{store::PutHook{h}};
  // The token or secret never goes into the record.
  add_audit(request, ops, bj::object{{"playbook_id", h.playbook_id}, {"name", h.name}, {"auth", h.auth}},
            h.id);
  ctx.store->submit(std::move(ops), [out = std::move(out), id = h.id,
                                          respond = std::move(respond)](Status s) {
    if (!s.is_ok()) return respond(error_response(s));
    Response r = json_response(201, out);
    r.header("Location", "/api/v1/hooks/" + id);
    respond(std::move(r));
  });
}

Response list(ApiContext& ctx, const Request& request) {
  auto hooks = ctx.store->list_hooks();
  if (!hooks.is_ok()) return error_response(hooks.status());
  bj::array out;
  for (const auto& h : *hooks) out.push_back(hook_json(h, request));
  return json_response(200, bj::object{{"hooks", std::move(out)}});
}

Response get(ApiContext& ctx, const Request& request) {
  const std::string& id = request.param("id");
  auto h = ctx.store->get_hook(id);
  if (!h.is_ok()) return error_response(h.status());
  if (!*h) return error_response(404, "not_found", "hook " + id + " not found");
  return json_response(200, hook_json(**h, request));
}

void remove(ApiContext& ctx, Request& request, Respond respond) {
  const std::string& id = request.param("id");
  auto h = ctx.store->get_hook(id);
  if (!h.is_ok()) return respond(error_response(h.status()));
  if (!*h) return respond(error_response(404, "not_found", "hook " + id + " not found"));
  std::vector<store::WriteOp> ops{store::DeleteHook{id}};
  add_audit(request, ops, bj::object{{"playbook_id", (*h)->playbook_id}, {"name", (*h)->name}});
  ctx.store->submit(std::move(ops), [respond = std::move(respond)](Status s) {
    respond(s.is_ok() ? empty_response(204) : error_response(s));
  });
}

const std::vector<ParamDoc> kHookId = {{"id", "string", "The hook id (uuid)"}};

}  // namespace

bj::object hook_json(const store::HookRecord& h, const Request& request) {
  std::string path = "/api/v1/hooks/" + h.id;
  std::string host(request.header("host"));
  return bj::object{{"hook_id", h.id},
                    {"playbook_id", h.playbook_id},
                    {"name", h.name},
                    {"auth", h.auth},
                    {"path", path},
                    {"url", host.empty() ? path : "http://" + host + path},
                    {"created_at", timestamp_json(h.created_at_ms)}};
}

void add_hook_routes(Router& router, ApiContext& ctx) {
  router.add({.method = "POST",
              .pattern = "/api/v1/hooks",
              .permission = Permission::kTriggerManage,
              .doc = {.operation_id = "createHook",
                      .summary = "Create a webhook that starts a playbook; the token or secret "
                                 "is in this answer only",
                      .tag = "hooks",
                      .request_schema = "HookCreate",
                      .responses = {{201, "Created", "HookCreated"},
                                    {422, "The hook is not valid", "Error"}}},
              .handler = [&ctx](Request& r, Respond done) { create(ctx, r, std::move(done)); },
              .audit = {"hook.create", "hook", ""}});
  router.add({.method = "GET",
              .pattern = "/api/v1/hooks",
              .permission = Permission::kTriggerRead,
              .doc = {.operation_id = "listHooks",
                      .summary = "List webhooks (without their secrets)",
                      .tag = "hooks",
                      .responses = {{200, "The hooks", "HookList"}}},
              .handler = sync_handler([&ctx](Request& r) { return list(ctx, r); })});
  router.add({.method = "GET",
              .pattern = "/api/v1/hooks/{id}",
              .permission = Permission::kTriggerRead,
              .doc = {.operation_id = "getHook",
                      .summary = "A webhook (without its secret)",
                      .tag = "hooks",
                      .path_params = kHookId,
                      .responses = {{200, "The hook", "Hook"}, {404, "No such hook", "Error"}}},
              .handler = sync_handler([&ctx](Request& r) { return get(ctx, r); })});
  router.add({.method = "DELETE",
              .pattern = "/api/v1/hooks/{id}",
              .permission = Permission::kTriggerManage,
              .doc = {.operation_id = "deleteHook",
                      .summary = "Delete a webhook; its URL stops working",
                      .tag = "hooks",
                      .path_params = kHookId,
                      .responses = {{204, "Deleted", ""}, {404, "No such hook", "Error"}}},
              .handler = [&ctx](Request& r, Respond done) { remove(ctx, r, std::move(done)); },
              .audit = {"hook.delete", "hook", "id"}});
}

}  // namespace atio::server
