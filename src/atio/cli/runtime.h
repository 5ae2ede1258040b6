// The pieces every atio process wires together: outbound HTTP, the manual
// board, the command-type registry, the store and the engine.
#pragma once

#include <memory>
#include <string>

#include "atio/actions/builtin.h"
#include "atio/cases/desk.h"
#include "atio/cases/service.h"
#include "atio/engine/engine.h"
#include "atio/engine/playbook_source.h"
#include "atio/knowledge/store_knowledge.h"
#include "atio/secrets/secret_store.h"
#include "atio/store/store.h"

namespace atio::cli {

struct RuntimeOptions {
  std::string db_path;              // SQLite file, or a PostgreSQL URL (store/open_store.h)
  std::string synchronous = "full"; // see SqliteOptions
  store::AuditCheckpointPolicy audit;  // who signs the audit log's checkpoints
  // The secret store's master key file ("": <db>.secret-key; the variable
  // ATIO_SECRET_KEY wins over any file). Created on first use.
  std::string secret_key;
  engine::EngineOptions engine;
  actions::HttpApiOptions http_api;
  actions::LuaLimits lua;
  actions::JailOptions jail;  // where bash and x-atio-python scripts run
  actions::ScriptOptions scripts;
  actions::SshOptions ssh;  // where ssh commands connect from (docs/ssh.md)
  // Alert correlation window of cases (docs/cases.md).
  std::int64_t case_window_ms = 3'600'000;
  // nullptr: playbooks come from the store (serve); else from this source.
  std::shared_ptr<engine::PlaybookSource> playbooks;
};

// Owns the process's services. Destruction order stops the engine before
// what it uses.
struct Runtime {
  std::unique_ptr<actions::HttpClient> http;
  std::unique_ptr<actions::ManualBoard> manual;
  std::unique_ptr<store::Store> store;
  std::unique_ptr<knowledge::StoreKnowledge> knowledge;  // assets, policies, sightings
  std::unique_ptr<secrets::SecretStore> secrets;         // integration credentials
  std::unique_ptr<actions::WorkflowStateStore> workflow_state;  // x-atio-monitor's, in the store
  std::unique_ptr<cases::CaseService> cases;     // cases and their times
  std::unique_ptr<cases::ServiceDesk> case_desk;  // x-atio-case's
  std::unique_ptr<actions::JailRunner> jail;  // script jails; outlives the engine
  std::unique_ptr<actions::SshRunner> ssh;    // ssh sessions; outlives the engine
  std::unique_ptr<actions::Registry> registry;
  std::shared_ptr<engine::PlaybookSource> playbooks;
  engine::StorePlaybookSource* store_playbooks = nullptr;  // when playbooks come from the store
  std::unique_ptr<engine::Engine> engine;

  ~Runtime();
};

Result<std::unique_ptr<Runtime>> make_runtime(const RuntimeOptions& options);

// A registry with the built-in command types but no services behind them,
// for validation only.
struct ValidationRegistry {
  std::unique_ptr<actions::HttpClient> http;
  std::unique_ptr<actions::ManualBoard> manual;
  std::unique_ptr<actions::Registry> registry;
};
ValidationRegistry make_validation_registry();

}  // namespace atio::cli
