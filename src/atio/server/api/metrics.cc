// GET /metrics: every series of the process in the Prometheus text format
// (docs/metrics.md), for admins, auditors and the scrape token.
#include "atio/metrics/metrics.h"

#include "atio/server/api/common.h"
#include "atio/server/api/context.h"

namespace atio::server {

void add_metrics_routes(Router& router, ApiContext& ctx) {
  router.add({.method = "GET",
              .pattern = "/metrics",
              .permission = Permission::kMetricsRead,
              .doc = {.operation_id = "getMetrics",
                      .summary = "Prometheus metrics: executions, step durations, queue, "
                                 "webhooks, manual steps, audit chain, build and process",
                      .tag = "metrics",
                      .responses = {{200, "The text exposition format 0.0.4", "Metrics",
                                     std::string(metrics::kContentType)},
                                    {503, "This server keeps no metrics", "Error"}}},
              .handler = sync_handler([&ctx](Request&) {
                if (!ctx.metrics) {
                  return error_response(503, "unavailable", "this server keeps no metrics");
                }
                Response r;
                r.content_type = std::string(metrics::kContentType);
                r.body = ctx.metrics->scrape();
                // A scrape is the state of now: never served from a cache.
                r.header("Cache-Control", "no-store");
                return r;
              })});
}

}  // namespace atio::server
