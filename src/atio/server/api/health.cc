// GET /healthz and GET /readyz: what an orchestrator asks before it restarts a
// node or sends it traffic (docs/deploy.md). Both need no credentials and
// answer within ApiContext::health_timeout.
//
// Liveness deliberately ignores the store: when the database is down every
// node would fail it, and restarting them all would not bring it back; they
// stop being ready instead, and resume once it answers.
#include <iostream>
#include <memory>
#include <string>

#include "atio/server/api/common.h"
#include "atio/server/api/context.h"
#include "atio/server/health.h"

namespace atio::server {

namespace {

Response health_answer(int status, bj::object body) {
  Response r = json_response(status, body);
  r.header("Cache-Control", "no-store");  // a probe asks about now
  return r;
}

}  // namespace

void add_health_routes(Router& router, ApiContext& ctx) {
  router.add({.method = "GET",
              .pattern = "/healthz",
              .auth = Auth::kNone,
              .permission = Permission::kNone,
              .doc = {.operation_id = "getHealth",
                      .summary = "Liveness: the server answers and the engine's workers run "
                                 "tasks (the store is not consulted: see /readyz)",
                      .tag = "health",
                      .responses = {{200, "Alive", "Health"},
                                    {503, "The engine's workers did not run a task in time",
                                     "Health"}}},
              .handler = sync_handler([&ctx](Request&) {
                const Status engine = engine_heartbeat(*ctx.engine, ctx.health_timeout);
                bj::object body{{"status", engine.is_ok() ? "ok" : "unhealthy"},
                                {"version", ctx.version},
                                {"active_executions", ctx.engine->active()}};
                if (!engine.is_ok()) body["reason"] = engine.message();
                return health_answer(engine.is_ok() ? 200 : 503, std::move(body));
              })});

  // One store check for every request to this router: a hung store costs
  // one thread however often it is probed.
  // The store's own message goes to the log only: it may name hosts, files
  // or users, and /readyz answers anyone.
  auto store_check = std::make_shared<BoundedCheck>(
      "the store",
      [&ctx]() -> Status {
        Status s = ctx.store->audit_head().status();
        if (s.is_ok()) return s;
        std::cerr << "atio: readiness: the store failed a read: " << s.to_string() << std::endl;
        return Status(s.code(), "the store failed a read (" + std::string(code_name(s.code())) +
                                    "; the server's log has the details)");
      },
      ctx.health_timeout);
  router.add({.method = "GET",
              .pattern = "/readyz",
              .auth = Auth::kNone,
              .permission = Permission::kNone,
              .doc = {.operation_id = "getReadiness",
                      .summary = "Readiness: the store answers a read and the engine's workers "
                                 "run tasks, each within the bound; send this node traffic",
                      .tag = "health",
                      .responses = {{200, "Ready", "Readiness"},
                                    {503, "Not ready: `reason` says which check failed and why",
                                     "Readiness"}}},
              .handler = sync_handler([&ctx, store_check](Request&) {
                const Status store = store_check->run();
                const Status engine = engine_heartbeat(*ctx.engine, ctx.health_timeout);
                auto state = [](const Status& s) { return s.is_ok() ? "ok" : "failing"; };
                bj::object checks{
                    {"store", bj::object{{"status", state(store)}}},
                    {"engine", bj::object{{"status", state(engine)}}}};
                if (!store.is_ok()) checks["store"].as_object()["error"] = store.message();
                if (!engine.is_ok()) checks["engine"].as_object()["error"] = engine.message();
                const bool ready = store.is_ok() && engine.is_ok();
                bj::object body{{"status", ready ? "ready" : "not_ready"},
                                {"version", ctx.version},
                                {"checks", std::move(checks)}};
                if (!ready) {
                  body["reason"] = !store.is_ok() ? "store: " + store.message()
                                                  : "engine: " + engine.message();
                }
                return health_answer(ready ? 200 : 503, std::move(body));
              })});
}

}  // namespace atio::server
