// The one list of built-in command types.
#pragma once

#include "atio/actions/case/case_desk.h"
#include "atio/actions/http/http_api_command.h"
#include "atio/actions/http/http_client.h"
#include "atio/actions/lua/sandbox.h"
#include "atio/actions/manual/manual_board.h"
#include "atio/actions/monitor/monitor_command.h"
#include "atio/actions/registry.h"
#include "atio/actions/script/jail.h"
#include "atio/actions/script/script_command.h"
#include "atio/actions/ssh/ssh_runner.h"
#include "atio/cti/enrich/knowledge.h"

namespace atio::actions {

// What the built-in command types need from the process.
struct BuiltinServices {
  HttpClient* http = nullptr;        // REQUIRED; outlives the registry
  ManualBoard* manual = nullptr;     // REQUIRED; outlives the registry
  HttpApiOptions http_api;
  LuaLimits lua;
  // What x-atio-enrich knows (assets, policies, sightings); outlives the
  // registry. nullptr: an empty in-memory knowledge (validation, tests).
  enrich::KnowledgeSource* knowledge = nullptr;
  // Where x-atio-monitor keeps its state between runs; outlives the
  // registry. nullptr: one in-memory store shared by such registries.
  WorkflowStateStore* workflow_state = nullptr;
  // What x-atio-case opens and updates cases in; outlives the registry.
  // nullptr: every x-atio-case step fails (validation, tests).
  CaseDesk* cases = nullptr;
  // Where bash and x-atio-python scripts run; outlives the registry.
  // nullptr: one runner with default options, made on first use
  // (validation, tests).
  JailRunner* jail = nullptr;
  ScriptOptions scripts;
  // Where ssh commands run; outlives the registry. nullptr: one runner that
  // trusts no host key, made on first use (validation, tests).
  SshRunner* ssh = nullptr;
};

// Registers http-api, manual, x-atio-lua, x-atio-convert, x-atio-enrich, x-atio-monitor,
// x-atio-case, bash, x-atio-python and ssh, and the connectors x-atio-misp, x-atio-iris,
// x-atio-thehive, x-atio-opensearch, x-atio-webhook and x-atio-chat (docs/connectors.md).
// Adding a command type is one new
// file under actions/ plus one line here.
void register_builtin_actions(Registry& registry, const BuiltinServices& services);

}  // namespace atio::actions
