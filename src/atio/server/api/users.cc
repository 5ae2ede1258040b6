// /api/v1/users (admin): list, create, get, change role or disable, reset a
// password; /api/v1/me: who the caller is and what it may do.
#include "atio/server/api/accounts_json.h"
#include "atio/server/api/common.h"
#include "atio/server/api/context.h"
#include "atio/server/audit_trail.h"
#include "atio/server/auth/sessions.h"
#include "atio/server/auth/users.h"

namespace atio::server {

namespace {

// The user named by the path: its id, or else its name.
Result<std::optional<store::UserRecord>> path_user(ApiContext& ctx, const std::string& key) {
  ATIO_ASSIGN_OR_RETURN(auto by_id, ctx.store->get_user(key));
  if (by_id) return by_id;
  return ctx.store->find_user(key);
}

Response no_user(const std::string& key) {
  return error_response(404, "not_found", "no user has the id or name " + key);
}

Response list(ApiContext& ctx) {
  auto users = ctx.store->list_users();
  if (!users.is_ok()) return error_response(users.status());
  bj::array out;
  for (const auto& u : *users) out.push_back(user_json(u));
  return json_response(200, bj::object{{"users", std::move(out)}});
}

Response get(ApiContext& ctx, const Request& request) {
  auto u = path_user(ctx, request.param("id"));
  if (!u.is_ok()) return error_response(u.status());
  if (!*u) return no_user(request.param("id"));
  return json_response(200, user_json(**u));
}

void create(ApiContext& ctx, Request& request, Respond respond) {
  bj::object body;
  Response error;
  if (!parse_object_body(request, ctx.limits, false, &body, &error)) return respond(std::move(error));
  FieldReader f(body);
  f.reject_unknown({"name", "role", "password"});
  auto name = f.string("name", true);
  auto role = f.string("role", true);
  auto password = f.string("password", true);
  if (name) {
    if (Status s = auth::check_user_name(*name); !s.is_ok()) f.add("name", s.message());
  }
  if (role) {
    if (Status s = auth::check_role(*role); !s.is_ok()) f.add("role", s.message());
  }
  if (password) {
    Status s = auth::check_password_rules(*password);
    if (!s.is_ok()) f.add("password", s.message());
  }
  if (!f.errors().empty()) {
    return respond(unprocessable("invalid_user", "the user is not valid", f.errors()));
  }
  auto user = auth::new_user(*name, *role, *password, ctx.accounts.clock(),
                             ctx.accounts.password_cost);
  if (!user.is_ok()) return respond(error_response(user.status()));
  std::vector<store::WriteOp> ops{store::CreateUser{*user}};
  add_audit(request, ops, bj::object{{"name", user->name}, {"role", user->role}}, user->id);
  ctx.store->submit(std::move(ops), [out = user_json(*user), id = user->id,
                                     respond = std::move(respond)](Status s) {
    if (!s.is_ok()) return respond(error_response(s));
    Response r = json_response(201, out);
    r.header("Location", "/api/v1/users/" + id);
    respond(std::move(r));
  });
}

void update(ApiContext& ctx, Request& request, Respond respond) {
  bj::object body;
  Response error;
  if (!parse_object_body(request, ctx.limits, false, &body, &error)) return respond(std::move(error));
  FieldReader f(body);
  f.reject_unknown({"role", "disabled"});
  auto role = f.string("role");
  auto disabled = f.boolean("disabled");
  if (role) {
    if (Status s = auth::check_role(*role); !s.is_ok()) f.add("role", s.message());
  }
  if (!role && !disabled && f.errors().empty()) f.add("", "give role, disabled or both");
  if (!f.errors().empty()) {
    return respond(unprocessable("invalid_user", "the change is not valid", f.errors()));
  }
  auto found = path_user(ctx, request.param("id"));
  if (!found.is_ok()) return respond(error_response(found.status()));
  if (!*found) return respond(no_user(request.param("id")));
  store::UserRecord u = **found;
  // An administrator who locks themselves out needs the CLI to get back in.
  if (u.id == request.principal.user_id &&
      ((role && *role != u.role) || (disabled && *disabled))) {
    return respond(error_response(409, "conflict",
                                  "you cannot disable your own account or change your own role"));
  }
  store::UpdateUser op{u.id, std::nullopt, role, disabled};
  bj::object detail{{"name", u.name}};
  if (role) detail["role"] = bj::object{{"before", u.role}, {"after", *role}};
  if (disabled) detail["disabled"] = bj::object{{"before", u.disabled}, {"after", *disabled}};
  if (role) u.role = *role;
  if (disabled) u.disabled = *disabled;
  std::vector<store::WriteOp> ops{op};
  // A disabled user's sessions end now (its keys are refused by the check
  // of their owner).
  if (u.disabled) ops.push_back(store::DeleteUserSessions{u.id});
  add_audit(request, ops, detail, u.id);
  ctx.store->submit(std::move(ops), [out = user_json(u), respond = std::move(respond)](Status s) {
    respond(s.is_ok() ? json_response(200, out) : error_response(s));
  });
}

void reset_password(ApiContext& ctx, Request& request, Respond respond) {
  bj::object body;
  Response error;
  if (!parse_object_body(request, ctx.limits, false, &body, &error)) return respond(std::move(error));
  FieldReader f(body);
  f.reject_unknown({"password"});
  auto password = f.string("password", true);
  if (password) {
    Status s = auth::check_password_rules(*password);
    if (!s.is_ok()) f.add("password", s.message());
  }
  if (!f.errors().empty()) {
    return respond(unprocessable("invalid_password", "the password is not valid", f.errors()));
  }
  auto found = path_user(ctx, request.param("id"));
  if (!found.is_ok()) return respond(error_response(found.status()));
  if (!*found) return respond(no_user(request.param("id")));
  auto hash = auth::hash_password(*password, ctx.accounts.password_cost);
  if (!hash.is_ok()) return respond(error_response(hash.status()));
  const std::string id = (*found)->id;
  // Whoever held the old password is logged out.
  std::vector<store::WriteOp> ops{store::UpdateUser{id, *hash, std::nullopt, std::nullopt},
                                  store::DeleteUserSessions{id}};
  add_audit(request, ops, bj::object{{"name", (*found)->name}}, id);
  ctx.store->submit(std::move(ops), [respond = std::move(respond)](Status s) {
    respond(s.is_ok() ? empty_response(204) : error_response(s));
  });
}

Response me(const Request& request) {
  const Principal& p = request.principal;
  bj::object o{{"kind", p.kind == "api-key" ? "key" : p.kind},
               {"id", p.id},
               {"name", p.name},
               {"role", p.role},
               {"permissions", permission_names(p.role)},
               {"expires_at", timestamp_json(p.expires_at_ms)}};
  if (p.user_id.empty()) {
    o["user_id"] = nullptr;
  } else {
    o["user_id"] = p.user_id;
  }
  if (!p.session_id.empty()) {
    // A page reloaded by the browser gets its CSRF token back here; another
    // site cannot read this answer.
    const std::string token = auth::cookie_value(request, auth::kSessionCookie);
    o["session"] = bj::object{{"id", p.session_id},
                              {"expires_at", timestamp_json(p.expires_at_ms)},
                              {"csrf_token", auth::csrf_token_for(token)}};
  }
  return json_response(200, o);
}

const std::vector<ParamDoc> kUserId = {{"id", "string", "The user's id or name"}};

}  // namespace

void add_user_routes(Router& router, ApiContext& ctx) {
  router.add({.method = "GET",
              .pattern = "/api/v1/users",
              .permission = Permission::kAdminUsers,
              .doc = {.operation_id = "listUsers",
                      .summary = "List users (never their password hashes)",
                      .tag = "users",
                      .responses = {{200, "The users", "UserList"}}},
              .handler = sync_handler([&ctx](Request&) { return list(ctx); })});
  router.add({.method = "POST",
              .pattern = "/api/v1/users",
              .permission = Permission::kAdminUsers,
              .doc = {.operation_id = "createUser",
                      .summary = "Create a user with a role and a password (argon2id-hashed)",
                      .tag = "users",
                      .request_schema = "UserCreate",
                      .responses = {{201, "Created", "User"},
                                    {409, "A user with this name exists", "Error"},
                                    {422, "The user is not valid", "Error"}}},
              .handler = [&ctx](Request& r, Respond done) { create(ctx, r, std::move(done)); },
              .audit = {"user.create", "user", ""}});
  router.add({.method = "GET",
              .pattern = "/api/v1/users/{id}",
              .permission = Permission::kAdminUsers,
              .doc = {.operation_id = "getUser",
                      .summary = "A user",
                      .tag = "users",
                      .path_params = kUserId,
                      .responses = {{200, "The user", "User"}, {404, "No such user", "Error"}}},
              .handler = sync_handler([&ctx](Request& r) { return get(ctx, r); })});
  router.add({.method = "PATCH",
              .pattern = "/api/v1/users/{id}",
              .permission = Permission::kAdminUsers,
              .doc = {.operation_id = "updateUser",
                      .summary = "Change a user's role, or disable (ending its sessions and "
                                 "stopping its API keys) or enable it",
                      .tag = "users",
                      .path_params = kUserId,
                      .request_schema = "UserUpdate",
                      .responses = {{200, "The changed user", "User"},
                                    {404, "No such user", "Error"},
                                    {409, "A change of the caller's own role or state", "Error"},
                                    {422, "The change is not valid", "Error"}}},
              .handler = [&ctx](Request& r, Respond done) { update(ctx, r, std::move(done)); },
              .audit = {"user.update", "user", "id"}});
  router.add({.method = "POST",
              .pattern = "/api/v1/users/{id}/password",
              .permission = Permission::kAdminUsers,
              .doc = {.operation_id = "resetUserPassword",
                      .summary = "Set a user's password; its sessions end",
                      .tag = "users",
                      .path_params = kUserId,
                      .request_schema = "PasswordReset",
                      .responses = {{204, "Set", ""},
                                    {404, "No such user", "Error"},
                                    {422, "The password breaks a rule", "Error"}}},
              .handler = [&ctx](Request& r,
                                Respond done) { reset_password(ctx, r, std::move(done)); },
              .audit = {"user.password", "user", "id"}});
  router.add({.method = "GET",
              .pattern = "/api/v1/me",
              .permission = Permission::kAccountSelf,
              .doc = {.operation_id = "getMe",
                      .summary = "The caller: key or user, role, permissions and, for a session, "
                                 "its CSRF token",
                      .tag = "users",
                      .responses = {{200, "The caller", "Me"}}},
              .handler = sync_handler([](Request& r) { return me(r); })});
}

}  // namespace atio::server
