#include "atio/server/router.h"

#include <boost/url/parse.hpp>

#include <atomic>
#include <exception>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "atio/server/audit_trail.h"
#include "atio/server/errors.h"

namespace atio::server {

namespace {

struct Segment {
  std::string literal;  // when !is_param
  std::string param;
  bool is_param = false;
  bool greedy = false;
};

// Matches decoded `path` segments against a pattern; returns the number of
// literal segments matched (a more specific route wins), or -1.
int match(const std::vector<Segment>& pattern, const std::vector<std::string>& path,
          std::map<std::string, std::string>* params) {
  std::size_t pi = 0;
  int literals = 0;
  for (std::size_t i = 0; i < pattern.size(); ++i) {
    const Segment& s = pattern[i];
    if (s.greedy) {
      const std::size_t rest = pattern.size() - i - 1;
      if (path.size() < pi + 1 + rest) return -1;
      const std::size_t end = path.size() - rest;
      std::string joined;
      for (std::size_t k = pi; k < end; ++k) {
        if (k > pi) joined += '/';
        joined += path[k];
      }
      (*params)[s.param] = joined;
      pi = end;
      continue;
    }
    if (pi >= path.size()) return -1;
    if (s.is_param) {
      if (path[pi].empty()) return -1;
      (*params)[s.param] = path[pi];
    } else {
      if (path[pi] != s.literal) return -1;
      ++literals;
    }
    ++pi;
  }
  return pi == path.size() ? literals : -1;
}

}  // namespace

struct Router::Compiled {
  std::vector<Segment> segments;
};

Handler sync_handler(std::function<Response(Request&)> fn) {
  return [fn = std::move(fn)](Request& request, Respond respond) { respond(fn(request)); };
}

Router::Router(const Authenticator& authenticator, store::Store* audit_log)
    : authenticator_(authenticator), audit_log_(audit_log) {}

namespace {

// The record of a request that failed: its status, error code and the
// reason the handler gave, if any.
std::string failure_detail(const Response& r, const std::string& reason) {
  bj::object d{{"status", r.status}};
  if (!reason.empty()) d["reason"] = reason;
  boost::system::error_code ec;
  bj::value body = bj::parse(r.body, ec);
  if (!ec && body.is_object()) {
    if (const auto* e = body.get_object().if_contains("error"); e && e->is_object()) {
      if (const auto* c = e->get_object().if_contains("code"); c && c->is_string()) {
        d["error"] = *c;
      }
    }
  }
  return bj::serialize(d);
}

constexpr std::size_t kMaxUserAgent = 512;

}  // namespace

Respond Router::audited(Request& request, const Route& route, Respond respond) const {
  auto scope = std::make_shared<AuditScope>();
  store::AuditRecord& r = scope->record;
  set_actor(r, request.principal);
  r.source_ip = request.remote;
  r.user_agent = std::string(request.header("user-agent").substr(0, kMaxUserAgent));
  r.action = route.audit.action.empty() ? "auth.failure" : route.audit.action;
  r.object_type = route.audit.object_type;
  if (!route.audit.object_param.empty()) {
    auto it = request.params.find(route.audit.object_param);
    if (it != request.params.end()) r.object_id = it->second;
  }
  if (route.audit.action.empty()) {
    r.object_type = "route";
    r.object_id = route.method + " " + route.pattern;
  }
  request.audit = scope;
  return [scope, log = audit_log_, respond = std::move(respond)](Response res) mutable {
    const bool ok = res.status < 400;
    if (ok && scope->written) return respond(std::move(res));
    store::AuditRecord rec = scope->record;
    rec.outcome = ok ? "success" : (res.status == 401 || res.status == 403) ? "denied" : "failure";
    rec.detail = ok ? "{}" : failure_detail(res, scope->failure_reason);
    log->submit({store::AppendAudit{std::move(rec)}},
                [ok, res = std::move(res), respond = std::move(respond)](Status s) mutable {
                  if (!s.is_ok() && ok) {
                    // Fail closed: what needed a record is not answered without one.
                    return respond(error_response(
                        503, "audit_unavailable",
                        "the audit record could not be written: " + s.message()));
                  }
                  respond(std::move(res));
                });
  };
}
Router::~Router() = default;

void Router::add(Route route) {
  auto c = std::make_shared<Compiled>();
  std::string_view p = route.pattern;
  std::size_t pos = 1;  // skip the leading '/'
  while (pos <= p.size()) {
    std::size_t end = p.find('/', pos);
    if (end == std::string_view::npos) end = p.size();
    std::string_view seg = p.substr(pos, end - pos);
    Segment s;
    if (seg.size() >= 2 && seg.front() == '{' && seg.back() == '}') {
      s.is_param = true;
      s.param = std::string(seg.substr(1, seg.size() - 2));
      if (!s.param.empty() && s.param.back() == '+') {
        s.greedy = true;
        s.param.pop_back();
      }
    } else {
      s.literal = std::string(seg);
    }
    c->segments.push_back(std::move(s));
    pos = end + 1;
  }
  routes_.push_back(std::move(route));
  compiled_.push_back(std::move(c));
}

void Router::dispatch(Request request, Respond respond) const {
  auto url = boost::urls::parse_origin_form(request.target);
  if (!url) {
    respond(error_response(400, "invalid_target", "the request target is not a valid URL path"));
    return;
  }
  std::vector<std::string> segments;
  for (auto seg : url->encoded_segments()) segments.push_back(seg.decode());
  if (segments.size() > 1 && segments.back().empty()) segments.pop_back();  // trailing '/'
  request.path = url->path();
  request.query.clear();
  for (auto param : url->params()) request.query.emplace_back(param.key, param.value);

  const Route* best = nullptr;
  int best_score = -1;
  std::map<std::string, std::string> best_params;
  std::string allow;
  for (std::size_t i = 0; i < routes_.size(); ++i) {
    std::map<std::string, std::string> params;
    int score = match(compiled_[i]->segments, segments, &params);
    if (score < 0) continue;
    if (routes_[i].method != request.method) {
      if (allow.find(routes_[i].method) == std::string::npos) {
        allow += (allow.empty() ? "" : ", ") + routes_[i].method;
      }
      continue;
    }
    if (score > best_score) {
      best = &routes_[i];
      best_score = score;
      best_params = std::move(params);
    }
  }
  if (!best) {
    const bool api_path = request.path.rfind("/api/", 0) == 0 || request.path == "/api" ||
                          request.path == "/metrics";
    if (fallback_ && allow.empty() && !api_path &&
        (request.method == "GET" || request.method == "HEAD")) {
      respond(fallback_(request));
      return;
    }
    if (!allow.empty()) {
      Response r = error_response(405, "method_not_allowed",
                                  request.method + " is not allowed on " + request.path);
      r.header("Allow", allow);
      respond(std::move(r));
    } else {
      respond(error_response(404, "not_found", "no route for " + request.path));
    }
    return;
  }
  request.params = std::move(best_params);
  if (best->permission == Permission::kUndeclared) {
    // Fail closed: a route nobody decided the protection of serves no one.
    respond(error_response(500, "internal",
                           best->method + " " + best->pattern + " declares no permission"));
    return;
  }
  if (best->auth == Auth::kApiKey) {
    auto who = authenticator_.authenticate(request);
    Status refused = who.is_ok() ? Status() : who.status();
    if (who.is_ok()) {
      request.principal = std::move(who).value();
      if (!auth::role_has(request.principal.role, best->permission)) {
        refused = Status(Code::kPermissionDenied,
                         "the role \"" + request.principal.role + "\" does not grant " +
                             std::string(auth::permission_name(best->permission)) +
                             ", which " + best->method + " " + best->pattern + " needs");
      }
    }
    if (!refused.is_ok()) {
      // Refused credentials and roles are recorded on every route, audited
      // or not.
      if (audit_log_) respond = audited(request, *best, std::move(respond));
      respond(error_response(refused));
      return;
    }
  }
  if (audit_log_ && !best->audit.action.empty()) {
    respond = audited(request, *best, std::move(respond));
  }
  // Only the first answer counts, so a handler that throws after answering
  // cannot answer twice.
  auto answered = std::make_shared<std::atomic<bool>>(false);
  Respond once = [answered, respond = std::move(respond)](Response r) {
    if (!answered->exchange(true)) respond(std::move(r));
  };
  try {
    best->handler(request, once);
  } catch (const std::exception& e) {
    once(error_response(500, "internal", std::string("internal error: ") + e.what()));
  }
}

}  // namespace atio::server
