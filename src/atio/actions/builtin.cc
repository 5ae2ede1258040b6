#include "atio/actions/builtin.h"

#include "atio/actions/case/case_command.h"
#include "atio/actions/connectors/email_command.h"
#include "atio/actions/connectors/iris_command.h"
#include "atio/actions/connectors/misp_command.h"
#include "atio/actions/connectors/openc2_command.h"
#include "atio/actions/connectors/opensearch_command.h"
#include "atio/actions/connectors/syslog_command.h"
#include "atio/actions/connectors/thehive_command.h"
#include "atio/actions/connectors/webhook_command.h"
#include "atio/actions/convert/convert_command.h"
#include "atio/actions/enrich/enrich_command.h"
#include "atio/actions/lua/lua_command.h"
#include "atio/actions/manual/manual_command.h"
#include "atio/actions/ssh/ssh_command.h"

namespace atio::actions {

void register_builtin_actions(Registry& registry, const BuiltinServices& s) {
  registry.add(std::make_unique<HttpApiCommand>(*s.http, s.http_api));
  registry.add(std::make_unique<ManualCommand>(*s.manual));
  registry.add(std::make_unique<LuaCommand>(s.lua));
  registry.add(std::make_unique<ConvertCommand>(convert::builtin_registry()));
  // Without a knowledge source (validation, tests): one empty in-memory
  // knowledge shared by such registries.
  static enrich::FixedKnowledge empty;
  registry.add(std::make_unique<EnrichCommand>(s.knowledge ? *s.knowledge : empty));
  static MemoryWorkflowStateStore memory_state;
  registry.add(std::make_unique<MonitorCommand>(
      *s.http, s.workflow_state ? *s.workflow_state : memory_state, s.http_api.verify_tls,
      s.http_api.secrets));
  static NoCaseDesk no_cases;
  registry.add(std::make_unique<CaseCommand>(s.cases ? *s.cases : no_cases));
  JailRunner* jail = s.jail;
  if (jail == nullptr) {
    static JailRunner default_runner;
    jail = &default_runner;
  }
  registry.add(std::make_unique<ScriptCommand>(ScriptCommand::Language::kBash, *jail, s.scripts));
  registry.add(
      std::make_unique<ScriptCommand>(ScriptCommand::Language::kPython, *jail, s.scripts));
  SshRunner* ssh = s.ssh;
  if (ssh == nullptr) {
    static SshRunner default_ssh(SshOptions{.known_hosts = "/dev/null"});
    ssh = &default_ssh;
  }
  registry.add(std::make_unique<SshCommand>(*ssh, s.http_api.secrets,
                                            s.scripts.inline_output_bytes));
  // Connectors (docs/connectors.md) share one sender: retries with backoff.
  auto connector_sender = std::make_shared<connectors::RetrySender>(*s.http);
  registry.add(std::make_unique<connectors::MispCommand>(connector_sender, s.http_api));
  registry.add(std::make_unique<connectors::IrisCommand>(connector_sender, s.http_api));
  registry.add(std::make_unique<connectors::TheHiveCommand>(connector_sender, s.http_api));
  registry.add(std::make_unique<connectors::OpenSearchCommand>(connector_sender, s.http_api));
  registry.add(std::make_unique<connectors::WebhookCommand>(connector_sender, s.http_api));
  registry.add(std::make_unique<connectors::ChatCommand>(connector_sender, s.http_api));
  registry.add(std::make_unique<connectors::OpenC2Command>(connector_sender, s.http_api));
  // Connectors whose protocol is not HTTP (syslog, SMTP) run their attempts
  // on a few threads of their own, with the same retries.
  connectors::BlockingServices blocking{connector_sender,
                                        std::make_shared<connectors::BlockingPool>(4), s.http_api};
  registry.add(std::make_unique<connectors::SyslogCommand>(blocking));
  registry.add(std::make_unique<connectors::EmailCommand>(blocking));
}

}  // namespace atio::actions
