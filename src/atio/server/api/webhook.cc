// POST /api/v1/hooks/{id}: the webhook trigger. Authenticated per hook (token
// or HMAC-SHA256 of the raw body); the body becomes __event__; an NDJSON body
// starts one execution per line, all or none; the answer comes only once the
// executions are durably stored.
#include <algorithm>
#include <cctype>

#include "atio/server/api/common.h"
#include "atio/core/text.h"
#include "atio/metrics/metrics.h"
#include "atio/server/api/context.h"
#include "atio/server/audit_trail.h"
#include "atio/server/auth/api_keys.h"
#include "atio/server/auth/crypto.h"

namespace atio::server {

namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

bool is_ndjson(const Request& request) {
  std::string ct = ascii_lower(request.header("content-type"));
  ct = std::string(trim(ct.substr(0, ct.find(';'))));
  return ct == "application/x-ndjson" || ct == "application/ndjson" ||
         ct == "application/jsonl" || ct == "application/x-jsonlines" ||
         ct == "application/jsonlines";
}

// XML, CSV and plain-text bodies (a GVM report, a results export) are one
// event each: the text itself, as a JSON string, for x-atio-convert.
bool is_text(const Request& request) {
  std::string ct = ascii_lower(request.header("content-type"));
  ct = std::string(trim(ct.substr(0, ct.find(';'))));
  return ct == "application/xml" || ct == "text/xml" || ct == "text/csv" || ct == "text/plain" ||
         (ct.size() > 4 && ct.compare(ct.size() - 4, 4, "+xml") == 0);
}

// Verifies the hook's credentials; kUnauthenticated saying what is wrong.
Status check_credentials(const store::HookRecord& hook, const Request& request) {
  if (hook.auth == "hmac") {
    std::string_view sig = trim(request.header("x-atio-signature"));
    if (sig.empty()) {
      return Status(Code::kUnauthenticated,
                    "this hook needs X-Atio-Signature: sha256=<hex HMAC-SHA256 of the body>");
    }
    std::string given = ascii_lower(sig);
    if (given.rfind("sha256=", 0) != 0) {
      return Status(Code::kUnauthenticated, "X-Atio-Signature must start with sha256=");
    }
    std::string expected = auth::hmac_sha256_hex(hook.secret, request.body);
    if (!auth::constant_time_equal(std::string_view(given).substr(7), expected)) {
      return Status(Code::kUnauthenticated, "the signature does not match the body");
    }
    return Status();
  }
  std::string token = auth::bearer_token(request);
  if (token.empty()) token = std::string(trim(request.header("x-atio-token")));
  if (token.empty()) {
    return Status(Code::kUnauthenticated,
                  "this hook needs its token: Authorization: Bearer <token> or X-Atio-Token");
  }
  if (!auth::constant_time_equal(auth::sha256_hex(token), hook.token_hash)) {
    return Status(Code::kUnauthenticated, "the hook token is not valid");
  }
  return Status();
}

// Splits the body into events: one JSON document, or one per line (NDJSON,
// or a body of several JSON lines). Any bad line rejects the whole body.
bool parse_events(const Request& request, const ApiLimits& limits, std::vector<bj::value>* events,
                  Response* error) {
  std::string_view body = request.body;
  if (is_text(request)) {
    if (body.size() > limits.max_body_bytes) {
      *error = json_error_response(Status(Code::kPayloadTooLarge, "the body is too large"));
      return false;
    }
    events->push_back(bj::string(body));
    return true;
  }
  const bool ndjson = is_ndjson(request);
  if (!ndjson) {
    if (trim(body).empty()) {
      events->push_back(bj::object());  // a bare "something happened" call
      return true;
    }
    auto whole = parse_json(body, limits);
    if (whole.is_ok()) {
      events->push_back(std::move(whole).value());
      return true;
    }
    if (whole.status().code() == Code::kPayloadTooLarge || trim(body).find('\n') == std::string_view::npos) {
      *error = json_error_response(whole.status());
      return false;
    }
  }
  std::size_t line_no = 0;
  std::size_t pos = 0;
  while (pos <= body.size()) {
    std::size_t end = body.find('\n', pos);
    if (end == std::string_view::npos) end = body.size();
    std::string_view line = trim(body.substr(pos, end - pos));
    ++line_no;
    pos = end + 1;
    if (line.empty()) continue;
    auto v = parse_json(line, limits);
    if (!v.is_ok()) {
      std::string m = "line " + std::to_string(line_no) + ": " + v.status().message();
      *error = error_response(400, "invalid_json",
                              "line " + std::to_string(line_no) +
                                  " of the body is not valid JSON; no execution was started",
                              {{"", m}});
      return false;
    }
    events->push_back(std::move(v).value());
    if (events->size() > limits.max_events_per_request) {
      *error = error_response(413, "too_many_events",
                              "the body holds more than " +
                                  std::to_string(limits.max_events_per_request) + " events");
      return false;
    }
  }
  if (events->empty()) {
    *error = error_response(400, "invalid_json", "the NDJSON body holds no event",
                            {{"", "holds no JSON line"}});
    return false;
  }
  return true;
}

// Counts what the answer says happened to the request: its events accepted
// (200, 202) or the request rejected, by the reason its status gives. Only a
// hook that exists is named (`known`), so made-up ids create no series.
struct Tally {
  metrics::Metrics* metrics = nullptr;
  std::string hook_id;
  bool known = false;
  std::size_t events = 0;
};

metrics::WebhookRejection rejection_of(int status) {
  using R = metrics::WebhookRejection;
  switch (status) {
    case 401: return R::kUnauthenticated;
    case 404: return R::kUnknownHook;
    case 413: return R::kTooLarge;
    case 429: return R::kBusy;
    default: return status < 500 ? R::kInvalid : R::kError;
  }
}

Respond tallied(std::shared_ptr<Tally> t, Respond respond) {
  if (!t->metrics) return respond;
  return [t, respond = std::move(respond)](Response r) {
    if (r.status == 200 || r.status == 202) {
      t->metrics->webhook_accepted(t->hook_id, t->events);
    } else {
      t->metrics->webhook_rejected(t->known ? t->hook_id : std::string(),
                                   rejection_of(r.status));
    }
    respond(std::move(r));
  };
}

// ?wait=N: answer when the executions have ended (200), or after N seconds
// with those still running (202).
constexpr std::int64_t kMaxWaitSeconds = 300;

void trigger(ApiContext& ctx, Request& request, Respond respond) {
  const std::string& id = request.param("id");
  auto tally = std::make_shared<Tally>();
  tally->metrics = ctx.metrics;
  tally->hook_id = id;
  respond = tallied(tally, std::move(respond));
  auto hook = ctx.store->get_hook(id);
  if (!hook.is_ok()) return respond(error_response(hook.status()));
  if (!*hook) return respond(error_response(404, "not_found", "hook " + id + " not found"));
  tally->known = true;
  Status auth = check_credentials(**hook, request);
  if (!auth.is_ok()) return respond(error_response(auth));
  set_audit_actor(request, Principal{"hook", id, (*hook)->name, "webhook"});
  auto with = [&request](const std::vector<std::string>& ids) {
    std::vector<store::WriteOp> ops;
    // One call may start thousands: the record keeps the count and the first ids.
    bj::array a;
    for (std::size_t i = 0; i < ids.size() && i < 100; ++i) a.push_back(bj::value(ids[i]));
    add_audit(request, ops,
              bj::object{{"executions", ids.size()}, {"execution_ids", std::move(a)}});
    return ops;
  };

  std::int64_t wait_s = 0;
  Response error;
  if (!integer_query(request, "wait", 1, kMaxWaitSeconds, &wait_s, &error)) {
    return respond(std::move(error));
  }
  std::vector<bj::value> events;
  if (!parse_events(request, ctx.limits, &events, &error)) return respond(std::move(error));
  std::vector<bj::object> variables;
  variables.reserve(events.size());
  for (auto& e : events) variables.push_back(bj::object{{"__event__", std::move(e)}});
  tally->events = variables.size();
  bj::object trigger{{"kind", "webhook"}, {"hook_id", id}, {"hook_name", (*hook)->name}};
  if (wait_s > 0) {
    ctx.engine->start_and_wait(
        (*hook)->playbook_id, std::move(variables), std::move(trigger),
        std::chrono::seconds(wait_s),
        [respond = std::move(respond)](Result<std::vector<engine::ExecutionOutcome>> outcomes) {
          if (!outcomes.is_ok()) return respond(error_response(outcomes.status()));
          bj::array ids, executions;
          bool all_ended = true;
          for (const auto& o : *outcomes) {
            ids.push_back(bj::value(o.id));
            bj::object e{{"id", o.id}, {"status", store::to_string(o.status)}};
            if (!o.error.empty()) e["error"] = o.error;
            executions.push_back(std::move(e));
            all_ended = all_ended && store::is_terminal(o.status);
          }
          respond(json_response(all_ended ? 200 : 202,
                                bj::object{{"execution_ids", std::move(ids)},
                                           {"executions", std::move(executions)}}));
        },
        with);
    return;
  }
  ctx.engine->start((*hook)->playbook_id, std::move(variables), std::move(trigger),
                    [respond = std::move(respond)](Result<std::vector<std::string>> ids) {
                      if (!ids.is_ok()) return respond(error_response(ids.status()));
                      bj::array a;
                      for (const auto& i : *ids) a.push_back(bj::value(i));
                      respond(json_response(202, bj::object{{"execution_ids", std::move(a)}}));
                    },
                    with);
}

}  // namespace

void add_webhook_routes(Router& router, ApiContext& ctx) {
  router.add({.method = "POST",
              .pattern = "/api/v1/hooks/{id}",
              .auth = Auth::kHook,
              .permission = Permission::kNone,
              .doc = {.operation_id = "triggerHook",
                      .summary = "Start the hook's playbook with the body as __event__ (one "
                                 "execution per line of an NDJSON body, all or none); answers "
                                 "once the executions are durably stored",
                      .tag = "hooks",
                      .path_params = {{"id", "string", "The hook id"}},
              .query = {{"wait", "integer",
                         "Seconds (1-300) to wait for the executions to end before "
                         "answering: 200 with each one's status when all have ended, else "
                         "202 with those still running. Without it the answer is 202 as soon "
                         "as they are stored."}},
                      .request_schema = "Event",
                      .request_content_types = {"application/json", "application/x-ndjson"},
                      .responses = {{200, "With ?wait: every execution has ended",
                                     "ExecutionOutcomes"},
                                    {202, "Stored and started (with ?wait: some still running)",
                                     "ExecutionOutcomes"},
                                    {400, "The body (or one of its lines) is not JSON; nothing "
                                          "was started", "Error"},
                                    {401, "Missing or wrong token or signature", "Error"},
                                    {404, "No such hook", "Error"},
                                    {413, "The body is too large or holds too many events", "Error"},
                                    {429, "Too many executions running; nothing was stored; "
                                          "retry after Retry-After seconds", "Error"}}},
              .handler = [&ctx](Request& r, Respond done) { trigger(ctx, r, std::move(done)); },
              .audit = {"hook.trigger", "hook", "id"}});
}

}  // namespace atio::server
