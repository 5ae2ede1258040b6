// The route table: method + path pattern -> authentication kind, the
// permission it needs, handler and the documentation the OpenAPI document is
// generated from (so the document lists exactly what the router serves).
//
// Contract: a route with Auth::kApiKey runs only for a caller the
// Authenticator accepts (else 401) whose role grants the route's permission
// (else 403). A route that declares no permission (Permission::kUndeclared)
// runs for nobody: the router answers 500, and the route-table test fails.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "atio/core/status.h"
#include "atio/server/auth/permissions.h"
#include "atio/server/http.h"
#include "atio/store/store.h"

namespace atio::server {

enum class Auth {
  kNone,    // public (health, the OpenAPI document, logging in)
  // An API key (Authorization: Bearer <key> or X-API-Key) or a UI session
  // cookie (with X-CSRF-Token on state-changing methods); checked by the
  // router, with the route's permission.
  kApiKey,
  kHook,    // per-hook token or HMAC signature; checked by the handler
};

using Permission = auth::Permission;

struct ParamDoc {
  std::string name;
  std::string type = "string";  // JSON schema type
  std::string description;
};

struct ResponseDoc {
  int status;
  std::string description;
  std::string schema;  // name under components/schemas; "" = no body
  std::string content_type = "application/json";
};

struct RouteDoc {
  std::string operation_id;
  std::string summary;
  std::string tag;
  std::vector<ParamDoc> path_params;  // describes the pattern's {params}
  std::vector<ParamDoc> query;
  std::string request_schema;         // name under components/schemas; "" = no body
  std::vector<std::string> request_content_types = {"application/json"};
  bool request_optional = false;       // the body may be empty
  std::vector<ResponseDoc> responses;  // success and specific errors
};

// What the audit log records for a route (docs/audit.md). Every route that
// changes state declares an action; the router then records each of its
// requests: the handler puts the success record in the same store batch as
// its change (server/audit_trail.h), and the router records failures and any
// success the handler did not record itself.
struct AuditSpec {
  std::string action;        // "playbook.create"; "" = not audited (reads)
  std::string object_type;   // "playbook"
  std::string object_param;  // the path parameter naming the object ("id"), if any
};

// Runs a request. `respond` must be called exactly once, possibly later and
// from another thread (e.g. once the engine has stored executions).
using Handler = std::function<void(Request& request, Respond respond)>;

// Adapts a handler that answers at once.
Handler sync_handler(std::function<Response(Request&)> fn);

struct Route {
  std::string method;   // GET, POST, PUT, DELETE
  // "/api/v1/playbooks/{id}": {name} matches one path segment (percent-
  // decoded, so an encoded '/' stays inside it); {name+} matches one or more
  // segments joined by '/'.
  std::string pattern;
  Auth auth = Auth::kApiKey;
  // What the caller's role must grant. Auth::kNone and Auth::kHook routes
  // declare Permission::kNone; every Auth::kApiKey route a real permission.
  Permission permission = Permission::kUndeclared;
  RouteDoc doc;
  Handler handler;
  AuditSpec audit;
};

// Checks the credentials of requests to routes with Auth::kApiKey.
class Authenticator {
 public:
  virtual ~Authenticator() = default;
  // The caller's identity (with its role), or kUnauthenticated (401) or
  // kPermissionDenied (403, e.g. a session request without its CSRF token)
  // with a message saying why.
  virtual Result<Principal> authenticate(const Request& request) const = 0;
};

class Router {
 public:
  // REQUIRES: `authenticator` and `audit_log` outlive the router. With an
  // `audit_log`, requests to audited routes and every request refused for
  // its credentials or its role (401, 403) are recorded there.
  explicit Router(const Authenticator& authenticator, store::Store* audit_log = nullptr);
  ~Router();
  Router(const Router&) = delete;
  Router& operator=(const Router&) = delete;

  // REQUIRES: not called concurrently with dispatch().
  void add(Route route);
  const std::vector<Route>& routes() const { return routes_; }
  // Answers GET and HEAD requests outside /api/ and /metrics that match no
  // route, without authentication (the web UI's files, server/ui); without
  // it they are 404. Not part of the route table, so not of the OpenAPI
  // document. REQUIRES: not called concurrently with dispatch().
  void set_fallback(std::function<Response(const Request&)> fallback) {
    fallback_ = std::move(fallback);
  }

  // Parses the target, finds the route (404 / 405 with Allow otherwise),
  // authenticates, checks the permission, and runs the handler. Thread-safe.
  // A handler that throws answers 500.
  void dispatch(Request request, Respond respond) const;

 private:
  struct Compiled;
  // Wraps `respond` so that the request's record is written before the
  // answer leaves (see AuditSpec).
  Respond audited(Request& request, const Route& route, Respond respond) const;

  const Authenticator& authenticator_;
  store::Store* audit_log_;
  std::vector<Route> routes_;
  std::vector<std::shared_ptr<Compiled>> compiled_;
  std::function<Response(const Request&)> fallback_;
};

}  // namespace atio::server
