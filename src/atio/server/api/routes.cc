#include "atio/server/api/common.h"
#include "atio/server/api/context.h"

namespace atio::server {

void add_api_routes(Router& router, ApiContext& ctx) {
  add_health_routes(router, ctx);
  add_playbook_routes(router, ctx);
  add_execution_routes(router, ctx);
  add_execution_stream_routes(router, ctx);
  add_large_output_routes(router, ctx);
  add_manual_step_routes(router, ctx);
  add_hook_routes(router, ctx);
  add_webhook_routes(router, ctx);
  add_schedule_routes(router, ctx);
  add_knowledge_routes(router, ctx);
  add_secret_routes(router, ctx);
  add_audit_routes(router, ctx);
  add_playbook_version_routes(router, ctx);
  add_monitor_routes(router, ctx);
  add_user_routes(router, ctx);
  add_api_key_routes(router, ctx);
  add_session_routes(router, ctx);
  add_metrics_routes(router, ctx);
  add_case_routes(router, ctx);
  add_node_routes(router, ctx);
  add_openapi_routes(router, ctx);
}

}  // namespace atio::server
