#include "atio/actions/script/script_command.h"

#include <signal.h>
#include <string.h>
#include <unistd.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <cerrno>

#include "atio/actions/command_text.h"
#include "atio/actions/process_outcome.h"

namespace atio::actions {

namespace {

// Why a signal ended the script, in the words of the limit it hit.
std::string signal_text(int sig, const JailLimits& limits) {
  const char* abbrev = ::sigabbrev_np(sig);
  std::string name = abbrev ? std::string("SIG") + abbrev : "signal " + std::to_string(sig);
  switch (sig) {
    case SIGXCPU:
      return "was killed by " + name + ": its CPU time limit of " +
             std::to_string(limits.cpu.count()) + " s";
    case SIGXFSZ:
      return "was killed by " + name + ": a file it wrote (stdout included) passed the limit of " +
             std::to_string(limits.file_bytes) + " bytes";
    default:
      return "was killed by " + name;
  }
}

// The step's agent when it is an x-atio-jail agent, else null.
const cacao::AgentTarget* jail_agent(const cacao::Playbook* playbook, const cacao::Step* step) {
  if (playbook == nullptr || step == nullptr || step->agent.empty()) return nullptr;
  auto it = playbook->agents.find(step->agent);
  if (it == playbook->agents.end() || it->second.type != kJailAgentType) return nullptr;
  return &it->second;
}

// The agent's allowed_hosts; errors (pointer under the agent) to `errors`
// when given, else bad entries are skipped (validation refused them).
std::vector<AllowedHost> allowed_hosts(const cacao::AgentTarget& agent,
                                       json::FieldErrors* errors) {
  std::vector<AllowedHost> out;
  const bj::value* list = agent.raw.if_contains("allowed_hosts");
  std::string at = "/agent_definitions/" + agent.id + "/allowed_hosts";
  if (list == nullptr) return out;
  if (!list->is_array()) {
    if (errors) errors->push_back({at, "must be a list of host names or addresses"});
    return out;
  }
  std::size_t i = 0;
  for (const auto& v : list->get_array()) {
    std::string here = at + "/" + std::to_string(i++);
    if (!v.is_string()) {
      if (errors) errors->push_back({here, "must be a string"});
      continue;
    }
    auto host = parse_allowed_host(v.get_string());
    if (host) {
      out.push_back(std::move(host).value());
    } else if (errors) {
      errors->push_back({here, host.status().message()});
    }
  }
  return out;
}

}  // namespace

ScriptCommand::ScriptCommand(Language language, JailRunner& runner, ScriptOptions options)
    : language_(language), runner_(runner), options_(options) {}

std::string_view ScriptCommand::name() const {
  return language_ == Language::kBash ? "bash" : "x-atio-python";
}

std::vector<std::string> ScriptCommand::interpreter(Language language) {
  if (language == Language::kBash) {
    return {"/usr/bin/bash", "--noprofile", "--norc", kJailScriptPath};
  }
  // -I: no user site, no PYTHON* variables, no script directory on the
  // path; -B: no .pyc files written.
  return {"/usr/bin/python3", "-I", "-B", kJailScriptPath};
}

void ScriptCommand::validate(const cacao::Command& cmd, const cacao::Playbook& playbook,
                             const cacao::Step& step, const std::string& pointer,
                             json::FieldErrors* errors) const {
  std::string at;
  auto script = checked_command_text(cmd, name(), pointer, errors, &at);
  if (script && script->find_first_not_of(" \t\r\n") == std::string::npos) {
    errors->push_back({at, std::string(name()) + " script is empty"});
  }
  if (const auto* agent = jail_agent(&playbook, &step)) allowed_hosts(*agent, errors);
}

void ScriptCommand::start(Invocation invocation, Done done) {
  std::string field;
  auto script = command_text(invocation.command, name(), &field);
  if (!script) {
    Outcome o;
    o.status = script.status();
    done(std::move(o));
    return;
  }
  JailRun run;
  run.argv = interpreter(language_);
  run.script = std::move(script).value();
  run.stdin_data = boost::json::serialize(invocation.in_args);
  run.wall = invocation.timeout;
  run.cancel = invocation.cancel;
  if (const auto* agent = jail_agent(invocation.playbook, invocation.step)) {
    run.allowed_hosts = allowed_hosts(*agent, nullptr);
  }
  std::vector<std::string> out_args;
  if (invocation.step) out_args = invocation.step->out_args;
  runner_.run(std::move(run), [out_args = std::move(out_args), options = options_,
                               limits = runner_.options().limits,
                               done = std::move(done)](JailResult result) {
    done(outcome_of(std::move(result), out_args, options, limits));
  });
}

Outcome ScriptCommand::outcome_of(JailResult r, const std::vector<std::string>& out_args,
                                  const ScriptOptions& options, const JailLimits& limits) {
  std::string failure = "script " + (r.signal != 0 ? signal_text(r.signal, limits)
                                                   : "exited with code " +
                                                         std::to_string(r.exit_code));
  return process_outcome(std::move(r), out_args, options.inline_output_bytes, failure);
}

}  // namespace atio::actions
