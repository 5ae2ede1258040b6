// What the API handlers work with, and the functions that add each
// resource's routes. The composition root (atio serve, or a test) fills an
// ApiContext with real services and calls add_api_routes().
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>

#include "atio/actions/manual/manual_board.h"
#include "atio/actions/registry.h"
#include "atio/core/version.h"
#include "atio/cases/metrics.h"
#include "atio/cases/service.h"
#include "atio/engine/engine.h"
#include "atio/engine/playbook_source.h"
#include "atio/knowledge/store_knowledge.h"
#include "atio/secrets/secret_store.h"
#include "atio/server/auth/api_keys.h"
#include "atio/server/auth/login_throttle.h"
#include "atio/server/auth/password.h"
#include "atio/server/auth/sessions.h"
#include "atio/server/router.h"
#include "atio/store/store.h"

namespace atio {
class EventHub;
}
namespace atio::monitor {
class Watcher;
}  // namespace atio::monitor

namespace atio::metrics {
class Metrics;
}

namespace atio::server {

struct ApiLimits {
  std::size_t max_body_bytes = 10 * 1024 * 1024;     // larger bodies: 413
  std::size_t max_json_depth = 64;                   // deeper bodies: 400
  std::size_t max_playbook_bytes = 10 * 1024 * 1024;  // larger playbooks: 413
  std::size_t max_events_per_request = 10000;        // NDJSON lines per webhook call: 413
};

// Users, logins and API keys (docs/security.md).
struct AccountSettings {
  auth::SessionSettings sessions;  // lifetime; Secure cookies when TLS is on
  auth::PasswordCost password_cost = auth::PasswordCost::interactive();  // for new hashes
  std::shared_ptr<auth::LoginThrottle> throttle = std::make_shared<auth::LoginThrottle>();
  auth::Clock clock = auth::system_now_ms;  // expiries; tests substitute their own
};

struct ApiContext {
  store::Store* store = nullptr;                  // REQUIRED
  engine::Engine* engine = nullptr;               // REQUIRED
  actions::ManualBoard* manual = nullptr;         // REQUIRED
  const actions::Registry* registry = nullptr;    // REQUIRED: validates playbooks
  engine::PlaybookSource* playbooks = nullptr;    // REQUIRED: the engine's playbooks
  engine::StorePlaybookSource* playbook_cache = nullptr;  // invalidated on update/delete
  knowledge::StoreKnowledge* knowledge = nullptr;  // enrichment knowledge; null: 503 on its routes
  secrets::SecretStore* secrets = nullptr;  // integration credentials; null: 503 on its routes
  ApiLimits limits;
  std::function<void()> schedules_changed;  // wakes the schedule runner; may be empty
  std::string version = kVersion;
  // Hex Ed25519 public key of the audit log's signing key: verification
  // checks checkpoints against it. "": against the keys stored with them.
  std::string audit_public_key;
  // The workflow monitor (docs/monitor.md): told at once of each playbook
  // write; null: no built-in monitor (its routes answer 503).
  monitor::Watcher* monitor = nullptr;
  EventHub* monitor_feed = nullptr;  // wakes the live feed; null: no live feed
  // Wakes the live execution views (GET /api/v1/executions/{id}/stream) on
  // every step's start and end; null: the stream answers 503.
  EventHub* execution_feed = nullptr;
  // Wakes the live views of executions another node runs every half second:
  // they read the store again (nothing notifies this node of their steps).
  EventHub* remote_execution_feed = nullptr;
  // Served at GET /metrics and counted into by the webhook trigger
  // (docs/metrics.md); null: nothing is counted and /metrics answers 503.
  metrics::Metrics* metrics = nullptr;
  AccountSettings accounts;
  // Cases (docs/cases.md); null: the cases routes answer 503.
  cases::CaseService* cases = nullptr;
  // What MTTR ends at: the playbook's response (default) or resolution.
  cases::MttrEnd mttr_end = cases::MttrEnd::kResponded;
  // GET /healthz and GET /readyz answer within about this long (503 when a
  // check has not returned by then); below the orchestrator's probe timeout.
  std::chrono::milliseconds health_timeout{2000};
  // This node's id in GET /api/v1/nodes (NodeHeartbeat); "" when it has none.
  std::string node_id;
};

// Every route of the API. REQUIRES: `ctx` outlives `router`.
void add_api_routes(Router& router, ApiContext& ctx);

// GET /healthz (liveness: the engine's workers turn) and GET /readyz
// (readiness: the store answers a read, and the engine), health.cc.
void add_health_routes(Router& router, ApiContext& ctx);
void add_playbook_routes(Router& router, ApiContext& ctx);
void add_execution_routes(Router& router, ApiContext& ctx);
// GET /api/v1/executions/{id}/stream, one execution live (execution_stream.cc).
void add_execution_stream_routes(Router& router, ApiContext& ctx);
// A large step output by pages, and as a download (large_outputs.cc).
void add_large_output_routes(Router& router, ApiContext& ctx);
void add_manual_step_routes(Router& router, ApiContext& ctx);
void add_hook_routes(Router& router, ApiContext& ctx);
void add_webhook_routes(Router& router, ApiContext& ctx);
void add_schedule_routes(Router& router, ApiContext& ctx);
// Assets, policies, risk model, detections (knowledge.cc).
void add_knowledge_routes(Router& router, ApiContext& ctx);
// Integration credentials: list, set, delete, never read (secrets.cc).
void add_secret_routes(Router& router, ApiContext& ctx);
// The audit log: list, get, head, verify, export (audit.cc).
void add_audit_routes(Router& router, ApiContext& ctx);
// Playbook versions, diffs, restore and protection (playbook_versions.cc).
void add_playbook_version_routes(Router& router, ApiContext& ctx);
// The workflow monitor's events, live feed and triggers, and the Shuffle-
// shaped workflow list (monitor.cc).
void add_monitor_routes(Router& router, ApiContext& ctx);
// Users (admin) and /api/v1/me (users.cc); API keys (apikeys.cc); logging in
// and out (session.cc).
void add_user_routes(Router& router, ApiContext& ctx);
void add_api_key_routes(Router& router, ApiContext& ctx);
void add_session_routes(Router& router, ApiContext& ctx);
// GET /metrics, the Prometheus text exposition (metrics.cc).
void add_metrics_routes(Router& router, ApiContext& ctx);
// Cases: list, get, acknowledge, assign, status, comments, metrics (cases.cc).
void add_case_routes(Router& router, ApiContext& ctx);
// GET /api/v1/nodes, the atio processes working on the store (nodes.cc).
void add_node_routes(Router& router, ApiContext& ctx);
// GET /api/v1/openapi.json, generated from `router`'s table when requested.
void add_openapi_routes(Router& router, ApiContext& ctx);

}  // namespace atio::server
