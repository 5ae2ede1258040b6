// /api/v1/secrets: integration credentials (secrets/secret_store.h). Values go
// in and never come out: the routes list names, descriptions and times only.
#include "atio/secrets/secret_store.h"
#include "atio/server/api/common.h"
#include "atio/server/api/context.h"
#include "atio/server/audit_trail.h"

#include <string.h>

namespace atio::server {

namespace {

const std::vector<ParamDoc> kSecretName = {{"name", "string", "The secret's name"}};

Response not_configured() {
  return error_response(503, "unavailable", "this server has no secret store");
}

bj::object info(const store::SecretRecord& r) {
  return bj::object{{"name", r.name},
                    {"description", r.description},
                    {"created_at", timestamp_json(r.created_at_ms)},
                    {"updated_at", timestamp_json(r.updated_at_ms)},
                    {"updated_by", r.updated_by}};
}

Response list_secrets(ApiContext& ctx) {
  if (ctx.secrets == nullptr) return not_configured();
  auto list = ctx.secrets->list();
  if (!list.is_ok()) return error_response(list.status());
  bj::array out;
  for (const auto& r : *list) out.push_back(info(r));
  return json_response(200, bj::object{{"secrets", std::move(out)}});
}

Response put_secret(ApiContext& ctx, Request& request, const std::string& name) {
  if (ctx.secrets == nullptr) return not_configured();
  if (Status s = secrets::check_name(name); !s.is_ok()) {
    return unprocessable("invalid_secret", "the secret is not valid", {{"/name", s.message()}});
  }
  auto body = parse_json(request.body, ctx.limits);
  // The body holds the credential: wipe the request's copy once parsed.
  ::explicit_bzero(request.body.data(), request.body.size());
  if (!body.is_ok()) return json_error_response(body.status());
  const bj::object* o = body->if_object();
  const bj::value* value = o ? o->if_contains("value") : nullptr;
  if (value == nullptr) {
    return unprocessable("invalid_secret", "the secret is not valid",
                         {{"/value", "required: a string, or an object of strings"}});
  }
  std::string description;
  if (const bj::value* d = o->if_contains("description")) {
    if (!d->is_string()) {
      return unprocessable("invalid_secret", "the secret is not valid",
                           {{"/description", "must be a string"}});
    }
    description = std::string(d->get_string());
  }
  if (Status s = secrets::check_value(*value); !s.is_ok()) {
    return unprocessable("invalid_secret", "the secret is not valid", {{"/value", s.message()}});
  }
  const std::string actor = request.principal.who();
  auto op = ctx.secrets->put_op(name, *value, description, actor, now_ms());
  if (!op.is_ok()) return error_response(op.status());
  std::vector<store::WriteOp> ops{std::move(*op)};
  add_audit(request, ops, bj::object{{"description", description}}, name);
  if (Status st = ctx.store->write(std::move(ops)); !st.is_ok()) return error_response(st);
  auto stored = ctx.store->get_secret(name);
  if (!stored.is_ok() || !*stored) return error_response(Status(Code::kInternal, "secret lost"));
  return json_response(200, info(**stored));
}

Response delete_secret(ApiContext& ctx, Request& request, const std::string& name) {
  if (ctx.secrets == nullptr) return not_configured();
  std::vector<store::WriteOp> ops{store::DeleteSecret{name}};
  add_audit(request, ops, {}, name);
  if (Status st = ctx.store->write(std::move(ops)); !st.is_ok()) return error_response(st);
  return Response{204};
}

}  // namespace

void add_secret_routes(Router& router, ApiContext& ctx) {
  router.add({.method = "GET",
              .pattern = "/api/v1/secrets",
              .permission = Permission::kSecretManage,
              .doc = {.operation_id = "listSecrets",
                      .summary = "Integration credentials: names, descriptions and times, never "
                                 "values",
                      .tag = "secrets",
                      .responses = {{200, "The secrets", "SecretList"}}},
              .handler = sync_handler([&ctx](Request&) { return list_secrets(ctx); })});
  router.add({.method = "PUT",
              .pattern = "/api/v1/secrets/{name}",
              .permission = Permission::kSecretManage,
              .doc = {.operation_id = "putSecret",
                      .summary = "Set a credential (sealed with the master key; a playbook's "
                                 "authentication_info names it with kms: true and "
                                 "kms_key_identifier)",
                      .tag = "secrets",
                      .path_params = kSecretName,
                      .request_schema = "SecretInput",
                      .responses = {{200, "Stored (without its value)", "SecretInfo"},
                                    {422, "The secret is not valid", "Error"}}},
              .handler = sync_handler(
                  [&ctx](Request& r) { return put_secret(ctx, r, r.param("name")); }),
              .audit = {"secret.put", "secret", "name"}});
  router.add({.method = "DELETE",
              .pattern = "/api/v1/secrets/{name}",
              .permission = Permission::kSecretManage,
              .doc = {.operation_id = "deleteSecret",
                      .summary = "Delete a credential",
                      .tag = "secrets",
                      .path_params = kSecretName,
                      .responses = {{204, "Deleted", ""}, {404, "No such secret", "Error"}}},
              .handler = sync_handler(
                  [&ctx](Request& r) { return delete_secret(ctx, r, r.param("name")); }),
              .audit = {"secret.delete", "secret", "name"}});
}

}  // namespace atio::server
