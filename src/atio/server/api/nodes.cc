// GET /api/v1/nodes: the atio processes working on this store.
#include "atio/server/api/common.h"
#include "atio/core/clock.h"
#include "atio/server/api/context.h"
#include "atio/server/node_heartbeat.h"

namespace atio::server {

namespace {

Response list(ApiContext& ctx) {
  auto nodes = ctx.store->list_nodes();
  if (!nodes.is_ok()) return error_response(nodes.status());
  const std::int64_t now = wall_ms();
  bj::array out;
  for (const auto& n : *nodes) {
    const bool alive = n.state == "active" && now - n.heartbeat_at_ms < kNodeSilentAfter.count();
    out.push_back(bj::object{{"id", n.id},
                             {"version", n.version},
                             {"hostname", n.hostname},
                             {"started_at", timestamp_json(n.started_at_ms)},
                             {"last_heartbeat", timestamp_json(n.heartbeat_at_ms)},
                             {"executions_running", n.executions_running},
                             {"state", n.state},
                             {"alive", alive},
                             {"self", n.id == ctx.node_id}});
  }
  return json_response(200, bj::object{{"nodes", std::move(out)}});
}

}  // namespace

void add_node_routes(Router& router, ApiContext& ctx) {
  router.add({.method = "GET",
              .pattern = "/api/v1/nodes",
              .permission = Permission::kExecutionRead,
              .doc = {.operation_id = "listNodes",
                      .summary = "The atio nodes working on this store: version, start, last "
                                 "heartbeat, executions running, whether alive",
                      .tag = "nodes",
                      .responses = {{200, "The nodes, the most recently started first",
                                     "NodeList"}}},
              .handler = sync_handler([&ctx](Request&) { return list(ctx); })});
}

}  // namespace atio::server
