// POST /api/v1/session: log in with a user name and password (a session
// cookie and a CSRF token); DELETE /api/v1/session: log out. Every attempt
// is audited, and failures are rate limited per source address and per name.
#include "atio/server/api/accounts_json.h"
#include "atio/server/api/common.h"
#include "atio/server/api/context.h"
#include "atio/server/audit_trail.h"
#include "atio/server/auth/password.h"
#include "atio/server/auth/sessions.h"

namespace atio::server {

namespace {

// The failure record names the attempted user and says why; the caller
// learns only that the name or the password was wrong.
Response refuse_login(Request& request, const std::string& name, const std::string& reason,
                      Response response) {
  if (request.audit) {
    request.audit->record.object_id = name;
    request.audit->failure_reason = reason;
  }
  return response;
}

Response too_many(Request& request, const std::string& name, std::int64_t wait_ms) {
  Response r = error_response(429, "too_many_attempts",
                              "too many failed logins from this address or for this user; "
                              "try again later");
  const std::string seconds = std::to_string((wait_ms + 999) / 1000);
  for (auto& [k, v] : r.headers) {
    if (k == "Retry-After") v = seconds;
  }
  return refuse_login(request, name, "rate_limited", std::move(r));
}

void login(ApiContext& ctx, Request& request, Respond respond) {
  bj::object body;
  Response error;
  if (!parse_object_body(request, ctx.limits, false, &body, &error)) return respond(std::move(error));
  FieldReader f(body);
  f.reject_unknown({"name", "password"});
  auto name = f.string("name", true);
  auto password = f.string("password", true);
  if (!f.errors().empty()) {
    return respond(unprocessable("invalid_request", "give name and password", f.errors()));
  }
  auth::LoginThrottle& throttle = *ctx.accounts.throttle;
  const std::int64_t now = ctx.accounts.clock();
  if (std::int64_t wait = throttle.retry_after_ms(request.remote, *name, now); wait > 0) {
    return respond(too_many(request, *name, wait));
  }
  auto found = ctx.store->find_user(*name);
  if (!found.is_ok()) return respond(error_response(found.status()));
  std::string reason;
  if (!*found) {
    auth::verify_password_decoy(*password);
    reason = "unknown_user";
  } else if (!auth::verify_password((*found)->password_hash, *password)) {
    reason = "wrong_password";
  } else if ((*found)->disabled) {
    // Checked after the password, so that a guess learns nothing more.
    reason = "user_disabled";
  }
  if (!reason.empty()) {
    throttle.record_failure(request.remote, *name, now);
    return respond(refuse_login(
        request, *name, reason,
        error_response(401, "invalid_credentials", "wrong user name or password")));
  }
  throttle.record_success(*name);
  const store::UserRecord& user = **found;
  Principal p;
  p.kind = "user";
  p.id = p.user_id = user.id;
  p.name = user.name;
  p.role = user.role;
  set_audit_actor(request, p);
  const auth::SessionSettings& settings = ctx.accounts.sessions;
  auth::IssuedSession session = auth::issue_session(user.id, request.remote, now, settings);
  std::vector<store::WriteOp> ops{store::PutSession{session.record},
                                  store::RecordLogin{user.id, now},
                                  store::DeleteExpiredSessions{now}};
  add_audit(request, ops, bj::object{{"session_id", session.record.id}}, user.id);
  bj::object out{{"user", bj::object{{"id", user.id}, {"name", user.name}, {"role", user.role}}},
                 {"permissions", permission_names(user.role)},
                 {"csrf_token", session.csrf_token},
                 {"expires_at", timestamp_json(session.record.expires_at_ms)}};
  std::string cookie =
      auth::session_cookie(session.token, settings.ttl_ms / 1000, settings.secure_cookie);
  ctx.store->submit(std::move(ops), [out = std::move(out), cookie = std::move(cookie),
                                     respond = std::move(respond)](Status s) {
    if (!s.is_ok()) return respond(error_response(s));
    Response r = json_response(200, out);
    r.header("Set-Cookie", cookie);
    r.header("Cache-Control", "no-store");
    respond(std::move(r));
  });
}

void logout(ApiContext& ctx, Request& request, Respond respond) {
  const Principal& p = request.principal;
  if (p.session_id.empty()) {
    return respond(error_response(409, "not_a_session",
                                  "this request was made with an API key, not a session; "
                                  "revoke keys with DELETE /api/v1/apikeys/{id}"));
  }
  std::vector<store::WriteOp> ops{store::DeleteSession{p.session_id}};
  add_audit(request, ops, bj::object{{"session_id", p.session_id}}, p.user_id);
  const bool secure = ctx.accounts.sessions.secure_cookie;
  ctx.store->submit(std::move(ops), [secure, respond = std::move(respond)](Status s) {
    if (!s.is_ok()) return respond(error_response(s));
    Response r = empty_response(204);
    r.header("Set-Cookie", auth::clear_session_cookie(secure));
    respond(std::move(r));
  });
}

}  // namespace

void add_session_routes(Router& router, ApiContext& ctx) {
  router.add({.method = "POST",
              .pattern = "/api/v1/session",
              .auth = Auth::kNone,
              .permission = Permission::kNone,
              .doc = {.operation_id = "login",
                      .summary = "Log in: sets the session cookie (HttpOnly, SameSite=Strict) and "
                                 "answers the CSRF token that changes made with it must send in "
                                 "X-CSRF-Token",
                      .tag = "session",
                      .request_schema = "Login",
                      .responses = {{200, "Logged in (Set-Cookie: atio_session)", "LoginResult"},
                                    {401, "Wrong user name or password", "Error"},
                                    {422, "No name or password", "Error"},
                                    {429, "Too many failed logins from this address or for this "
                                          "name; retry after Retry-After seconds", "Error"}}},
              .handler = [&ctx](Request& r, Respond done) { login(ctx, r, std::move(done)); },
              .audit = {"auth.login", "user", ""}});
  router.add({.method = "DELETE",
              .pattern = "/api/v1/session",
              .permission = Permission::kAccountSelf,
              .doc = {.operation_id = "logout",
                      .summary = "Log out: the session ends and its cookie is cleared",
                      .tag = "session",
                      .responses = {{204, "Logged out", ""},
                                    {409, "The request was made with an API key", "Error"}}},
              .handler = [&ctx](Request& r, Respond done) { logout(ctx, r, std::move(done)); },
              .audit = {"auth.logout", "user", ""}});
}

}  // namespace atio::server
