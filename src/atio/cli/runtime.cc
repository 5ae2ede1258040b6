#include "atio/cli/runtime.h"

#include "atio/monitor/remote_state.h"
#include "atio/store/open_store.h"

namespace atio::cli {

Runtime::~Runtime() {
  if (engine) engine->stop();
  engine.reset();
  if (store) store->close();
}

Result<std::unique_ptr<Runtime>> make_runtime(const RuntimeOptions& options) {
  auto rt = std::make_unique<Runtime>();
  rt->http = std::make_unique<actions::HttpClient>();
  rt->manual = std::make_unique<actions::ManualBoard>();

  store::StoreOptions so;
  so.location = options.db_path;
  so.synchronous = options.synchronous;
  so.audit = options.audit;
  ATIO_ASSIGN_OR_RETURN(rt->store, store::open_store(so));
  ATIO_ASSIGN_OR_RETURN(rt->knowledge, knowledge::StoreKnowledge::open(*rt->store));
  ATIO_ASSIGN_OR_RETURN(auto vault, secrets::Vault::open(
                                        options.secret_key.empty()
                                            ? secrets::default_key_path(options.db_path)
                                            : options.secret_key,
                                        /*create=*/true));
  rt->secrets = std::make_unique<secrets::SecretStore>(*rt->store, std::move(vault));
  rt->workflow_state = std::make_unique<monitor::StoreWorkflowState>(*rt->store);
  cases::CaseServiceOptions co;
  co.correlation_window_ms = options.case_window_ms;
  rt->cases = std::make_unique<cases::CaseService>(*rt->store, co);
  rt->case_desk = std::make_unique<cases::ServiceDesk>(*rt->cases, *rt->store);

  rt->jail = std::make_unique<actions::JailRunner>(options.jail);
  rt->ssh = std::make_unique<actions::SshRunner>(options.ssh);
  rt->registry = std::make_unique<actions::Registry>();
  actions::BuiltinServices services;
  services.http = rt->http.get();
  services.manual = rt->manual.get();
  services.http_api = options.http_api;
  services.http_api.secrets = rt->secrets.get();
  services.lua = options.lua;
  services.knowledge = rt->knowledge.get();
  services.workflow_state = rt->workflow_state.get();
  services.cases = rt->case_desk.get();
  services.jail = rt->jail.get();
  services.scripts = options.scripts;
  services.ssh = rt->ssh.get();
  // One threshold: a script's stdout over it goes straight to the engine's
  // large-output store as a file instead of being read into memory.
  services.scripts.inline_output_bytes = options.engine.large_output_bytes;
  actions::register_builtin_actions(*rt->registry, services);

  if (options.playbooks) {
    rt->playbooks = options.playbooks;
  } else {
    auto src = std::make_shared<engine::StorePlaybookSource>(*rt->store, *rt->registry);
    rt->store_playbooks = src.get();
    rt->playbooks = src;
  }
  rt->engine = std::make_unique<engine::Engine>(options.engine, *rt->store, *rt->registry,
                                                *rt->playbooks, *rt->manual);
  return rt;
}

ValidationRegistry make_validation_registry() {
  ValidationRegistry v;
  v.http = std::make_unique<actions::HttpClient>();
  v.manual = std::make_unique<actions::ManualBoard>();
  v.registry = std::make_unique<actions::Registry>();
  actions::BuiltinServices services;
  services.http = v.http.get();
  services.manual = v.manual.get();
  actions::register_builtin_actions(*v.registry, services);
  return v;
}

}  // namespace atio::cli
