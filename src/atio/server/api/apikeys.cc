// /api/v1/apikeys: create a key (its secret is in this answer only), list
// keys without secrets, revoke one. Everyone manages the keys they own; a
// holder of admin.users manages every key.
#include <chrono>

#include "atio/core/ids.h"
#include "atio/server/api/accounts_json.h"
#include "atio/server/api/common.h"
#include "atio/server/api/context.h"
#include "atio/server/audit_trail.h"
#include "atio/server/auth/api_keys.h"
#include "atio/server/auth/permissions.h"
#include "atio/server/auth/users.h"

namespace atio::server {

namespace {

bool manages_all(const Principal& p) { return auth::role_has(p.role, Permission::kAdminUsers); }

bool may_see(const Principal& p, const store::ApiKeyRecord& k) {
  return manages_all(p) || (!p.user_id.empty() && k.owner_user_id == p.user_id);
}

// The expiry the request asks for (0 = never), from expires_in ("30d") or
// expires_at (RFC 3339); errors go to `f`.
std::int64_t requested_expiry(FieldReader& f, std::int64_t now) {
  auto in = f.string("expires_in");
  auto at = f.string("expires_at");
  if (in && at) {
    f.add("expires_at", "give expires_in or expires_at, not both");
    return 0;
  }
  if (in) {
    auto d = auth::parse_duration_ms(*in);
    if (!d.is_ok()) f.add("expires_in", d.status().message());
    return d.is_ok() ? now + *d : 0;
  }
  if (at) {
    std::chrono::system_clock::time_point t;
    if (!parse_timestamp(*at, &t)) {
      f.add("expires_at", "an RFC 3339 timestamp, e.g. 2030-01-31T00:00:00Z");
      return 0;
    }
    const std::int64_t ms =
        std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
    if (ms <= now) f.add("expires_at", "is not in the future");
    return ms;
  }
  return 0;
}

void create(ApiContext& ctx, Request& request, Respond respond) {
  bj::object body;
  Response error;
  if (!parse_object_body(request, ctx.limits, false, &body, &error)) return respond(std::move(error));
  const Principal& caller = request.principal;
  const std::int64_t now = ctx.accounts.clock();
  FieldReader f(body);
  f.reject_unknown({"name", "role", "expires_in", "expires_at"});
  auto name = f.string("name", true);
  const std::string role = f.string("role").value_or(caller.role);
  std::int64_t expires = requested_expiry(f, now);
  if (name) {
    if (Status s = auth::check_key_name(*name); !s.is_ok()) f.add("name", s.message());
  }
  auto parsed_role = auth::parse_role(role);
  if (!parsed_role) f.add("role", auth::check_role(role).message());
  // A key made with an expiring key may not outlive it, or a stolen
  // short-lived key could be turned into a lasting one.
  if (caller.kind == "api-key" && caller.expires_at_ms != 0) {
    if (expires == 0) expires = caller.expires_at_ms;
    if (expires > caller.expires_at_ms) {
      f.add("expires_in", "may not end after the key that creates it (" +
                              format_timestamp(std::chrono::system_clock::time_point(
                                  std::chrono::milliseconds(caller.expires_at_ms))) + ")");
    }
  }
  if (!f.errors().empty()) {
    return respond(unprocessable("invalid_api_key", "the API key is not valid", f.errors()));
  }
  if (!auth::role_within(*parsed_role, caller.role)) {
    const std::string message = "a key's role may grant only what the caller's role \"" +
                                caller.role + "\" grants; \"" + role + "\" grants more";
    return respond(error_response(Status(Code::kPermissionDenied, message),
                                  {{"/role", "grants more than the caller's role"}}));
  }
  auth::IssuedApiKey issued =
      auth::issue_api_key({*name, role, expires, caller.user_id}, now);
  bj::object out = api_key_json(issued.record, now);
  out["key"] = issued.secret;
  std::vector<store::WriteOp> ops{store::PutApiKey{issued.record}};
  // The secret never goes into the record.
  bj::object detail{{"name", issued.record.name},
                    {"role", role},
                    {"expires_at", timestamp_json(expires)},
                    {"owner_user_id", caller.user_id}};
  add_audit(request, ops, detail, issued.record.id);
  ctx.store->submit(std::move(ops), [out = std::move(out), id = issued.record.id,
                                     respond = std::move(respond)](Status s) {
    if (!s.is_ok()) return respond(error_response(s));
    Response r = json_response(201, out);
    r.header("Location", "/api/v1/apikeys/" + id);
    respond(std::move(r));
  });
}

Response list(ApiContext& ctx, const Request& request) {
  auto keys = ctx.store->list_api_keys();
  if (!keys.is_ok()) return error_response(keys.status());
  const std::int64_t now = ctx.accounts.clock();
  bj::array out;
  for (const auto& k : *keys) {
    if (may_see(request.principal, k)) out.push_back(api_key_json(k, now));
  }
  return json_response(200, bj::object{{"api_keys", std::move(out)}});
}

void revoke(ApiContext& ctx, Request& request, Respond respond) {
  const std::string& id = request.param("id");
  auto k = ctx.store->get_api_key(id);
  if (!k.is_ok()) return respond(error_response(k.status()));
  // Another's key is as unknown as a key that does not exist.
  if (!*k || !may_see(request.principal, **k)) {
    return respond(error_response(404, "not_found", "API key " + id + " not found"));
  }
  std::vector<store::WriteOp> ops{store::RevokeApiKey{id, ctx.accounts.clock()}};
  add_audit(request, ops, bj::object{{"name", (*k)->name}, {"role", (*k)->role}});
  ctx.store->submit(std::move(ops), [respond = std::move(respond)](Status s) {
    respond(s.is_ok() ? empty_response(204) : error_response(s));
  });
}

}  // namespace

void add_api_key_routes(Router& router, ApiContext& ctx) {
  router.add({.method = "POST",
              .pattern = "/api/v1/apikeys",
              .permission = Permission::kAccountSelf,
              .doc = {.operation_id = "createApiKey",
                      .summary = "Create an API key with a role no greater than the caller's and "
                                 "an optional expiry; the key is in this answer only",
                      .tag = "apikeys",
                      .request_schema = "ApiKeyCreate",
                      .responses = {{201, "Created", "ApiKeyCreated"},
                                    {403, "The role grants more than the caller's", "Error"},
                                    {422, "The key is not valid", "Error"}}},
              .handler = [&ctx](Request& r, Respond done) { create(ctx, r, std::move(done)); },
              .audit = {"apikey.create", "apikey", ""}});
  router.add({.method = "GET",
              .pattern = "/api/v1/apikeys",
              .permission = Permission::kAccountSelf,
              .doc = {.operation_id = "listApiKeys",
                      .summary = "The caller's API keys (every key for admin.users), without "
                                 "their secrets",
                      .tag = "apikeys",
                      .responses = {{200, "The keys", "ApiKeyList"}}},
              .handler = sync_handler([&ctx](Request& r) { return list(ctx, r); })});
  router.add({.method = "DELETE",
              .pattern = "/api/v1/apikeys/{id}",
              .permission = Permission::kAccountSelf,
              .doc = {.operation_id = "revokeApiKey",
                      .summary = "Revoke an API key: it stops working at once (it stays listed "
                                 "as revoked)",
                      .tag = "apikeys",
                      .path_params = {{"id", "string", "The key's id"}},
                      .responses = {{204, "Revoked", ""}, {404, "No such key", "Error"}}},
              .handler = [&ctx](Request& r, Respond done) { revoke(ctx, r, std::move(done)); },
              .audit = {"apikey.revoke", "apikey", "id"}});
}

}  // namespace atio::server
