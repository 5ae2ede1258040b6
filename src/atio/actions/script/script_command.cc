#include "atio/actions/script/script_command.h"

#include <signal.h>
#include <string.h>
#include <unistd.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <cerrno>

#include "atio/actions/command_text.h"
#include "atio/actions/http/utf8.h"
#include "atio/core/base64.h"

namespace atio::actions {

namespace {

// Text for JSON: as it is when UTF-8, else with each bad byte replaced by U+FFFD.
std::string as_text(const std::string& bytes) {
  if (valid_utf8(bytes)) return bytes;
  std::string out;
  std::size_t i = 0;
  while (i < bytes.size()) {
    std::size_t len = 1;
    auto c = static_cast<unsigned char>(bytes[i]);
    if (c >= 0xF0) len = 4;
    else if (c >= 0xE0) len = 3;
    else if (c >= 0xC0) len = 2;
    std::string_view piece(bytes.data() + i, std::min(len, bytes.size() - i));
    if (valid_utf8(piece) && piece.size() == len) {
      out.append(piece);
      i += len;
    } else {
      out.append("\xEF\xBF\xBD");
      ++i;
    }
  }
  return out;
}

std::string last_line(const std::string& text) {
  std::size_t end = text.find_last_not_of("\r\n \t");
  if (end == std::string::npos) return "";
  std::size_t start = text.rfind('\n', end);
  start = start == std::string::npos ? 0 : start + 1;
  std::string line = text.substr(start, end + 1 - start);
  if (line.size() > 300) line = line.substr(0, 300) + "...";
  return line;
}

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
  Outcome o;
  bool ran = r.exit_code >= 0;
  if (ran) o.outputs["exit_code"] = r.exit_code;
  o.outputs["elapsed_ms"] = static_cast<double>(r.elapsed.count()) / 1000.0;
  if (r.stderr_bytes > 0) {
    o.outputs["stderr"] = as_text(r.stderr_tail);
    if (r.stderr_bytes > r.stderr_tail.size()) {
      o.outputs["stderr_bytes"] = static_cast<std::uint64_t>(r.stderr_bytes);
    }
  }

  std::string out;
  bool in_file = false;
  std::optional<boost::json::value> parsed;
  if (r.stdout_file && r.stdout_bytes > options.inline_output_bytes) {
    in_file = true;
    o.outputs["stdout_bytes"] = static_cast<std::uint64_t>(r.stdout_bytes);
    o.files.push_back({"stdout", std::move(r.stdout_file), "application/octet-stream"});
  } else if (ran) {
    if (r.stdout_file) out = read_spooled(r.stdout_file.get(), 0, r.stdout_bytes);
    if (valid_utf8(out)) {
      o.outputs["stdout"] = out;
      boost::system::error_code ec;
      auto v = out.empty() ? boost::json::value() : boost::json::parse(out, ec);
      if (!out.empty() && !ec) {
        o.outputs["json"] = v;
        parsed = std::move(v);
      }
    } else {
      o.outputs["stdout_b64"] = base64_encode(out);
    }
  }

  if (!r.status.is_ok()) {
    o.status = std::move(r.status);
    return o;
  }
  if (r.exit_code != 0) {
    std::string what = r.signal != 0 ? signal_text(r.signal, limits)
                                     : "exited with code " + std::to_string(r.exit_code);
    std::string line = last_line(as_text(r.stderr_tail));
    o.status = Status(Code::kFailed, "script " + what + (line.empty() ? "" : ": " + line));
    return o;
  }
  if (in_file || out.empty() || out_args.empty()) return o;

  if (parsed && parsed->is_object()) {
    bool any = false;
    for (const auto& name : out_args) {
      if (const auto* v = parsed->get_object().if_contains(name)) {
        o.out_args[name] = *v;
        any = true;
      }
    }
    if (any) return o;
  }
  if (parsed) {
    o.out_args[out_args[0]] = std::move(*parsed);
  } else {
    std::string text = as_text(out);
    if (!text.empty() && text.back() == '\n') text.pop_back();
    if (!text.empty() && text.back() == '\r') text.pop_back();
    o.out_args[out_args[0]] = text;
  }
  return o;
}

}  // namespace atio::actions
