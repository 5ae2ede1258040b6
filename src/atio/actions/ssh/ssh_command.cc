#include "atio/actions/ssh/ssh_command.h"

#include <boost/json/serialize.hpp>

#include "atio/actions/command_text.h"
#include "atio/actions/http/http_api_request.h"
#include "atio/actions/process_outcome.h"

namespace atio::actions {

namespace {

std::string string_field(const bj::object& o, const char* key) {
  const bj::string* v = json::get_string(o, key);
  return v ? std::string(*v) : std::string();
}

// Where and as whom: the run without its command. With SecretUse::kCheck
// (validation) kms secrets are not read, only named.
Result<SshRun> connection(const cacao::Playbook& playbook, const cacao::Step& step,
                          const SecretSource* secrets, http_api::SecretUse use,
                          const std::string& purpose) {
  const cacao::AgentTarget* endpoint = http_api::find_definition(playbook, step, "ssh");
  if (endpoint == nullptr) endpoint = http_api::find_definition(playbook, step, "linux");
  if (endpoint == nullptr) {
    return Status(Code::kInvalidArgument,
                  "the step has no ssh or linux target (or agent) to run the command on");
  }
  ATIO_ASSIGN_OR_RETURN(http_api::HostPort hp, http_api::host_port(*endpoint, "22"));
  SshRun run;
  run.host = hp.host;
  run.port = std::stoi(hp.port);
  ATIO_ASSIGN_OR_RETURN(std::optional<cacao::AuthInfo> auth,
                        http_api::resolve_auth_info(playbook, *endpoint, secrets, use, purpose));
  if (!auth) {
    return Status(Code::kInvalidArgument,
                  endpoint->id + " has no authentication_info (user-auth or private-key) to log "
                                 "in with");
  }
  const bj::value* kms = auth->raw.if_contains("kms");
  const bool in_store = kms && kms->is_bool() && kms->get_bool();
  const bool filled = use == http_api::SecretUse::kReveal || !in_store;
  if (auth->type == "user-auth") {
    run.user = string_field(auth->raw, "username");
    run.password = string_field(auth->raw, "password");
  } else if (auth->type == "private-key") {
    run.user = string_field(auth->raw, "user_id");
    if (run.user.empty()) run.user = string_field(auth->raw, "username");
    run.private_key = string_field(auth->raw, "private_key");
    run.key_passphrase = string_field(auth->raw, "passphrase");
  } else {
    return Status(Code::kInvalidArgument,
                  "authentication_info " + auth->id + " is " + auth->type +
                      "; ssh logs in with user-auth or private-key");
  }
  const bool key = auth->type == "private-key";
  if (filled && (key ? run.private_key : run.password).empty()) {
    return Status(Code::kInvalidArgument,
                  "authentication_info " + auth->id + " (" + auth->type + ") has no " +
                      (key ? "private_key" : "password") + (in_store ? " in its secret" : ""));
  }
  if (run.user.empty()) {
    return Status(Code::kInvalidArgument,
                  "authentication_info " + auth->id + " names no user (" +
                      (key ? "user_id" : "username") + ")");
  }
  return run;
}

}  // namespace

SshCommand::SshCommand(SshRunner& runner, const SecretSource* secrets,
                       std::size_t inline_output_bytes)
    : runner_(runner), secrets_(secrets), inline_output_bytes_(inline_output_bytes) {}

void SshCommand::validate(const cacao::Command& cmd, const cacao::Playbook& playbook,
                          const cacao::Step& step, const std::string& pointer,
                          json::FieldErrors* errors) const {
  std::string at;
  auto text = checked_command_text(cmd, name(), pointer, errors, &at);
  if (text && text->find_first_not_of(" \t\r\n") == std::string::npos) {
    errors->push_back({at, "ssh command is empty"});
  }
  auto run = connection(playbook, step, nullptr, http_api::SecretUse::kCheck, "");
  if (!run) errors->push_back({pointer, run.status().message()});
}

void SshCommand::start(Invocation inv, Done done) {
  auto fail = [&](Status s) {
    Outcome o;
    o.status = std::move(s);
    done(std::move(o));
  };
  std::string field;
  auto text = command_text(inv.command, name(), &field);
  if (!text) return fail(text.status());
  if (inv.playbook == nullptr || inv.step == nullptr) {
    return fail(Status(Code::kInvalidArgument, "an ssh command needs its step and playbook"));
  }
  auto run = connection(*inv.playbook, *inv.step, secrets_, http_api::SecretUse::kReveal,
                        "execution " + inv.execution_id + " step " + inv.step_id);
  if (!run) return fail(run.status());
  run->command = std::move(text).value();
  run->stdin_data = boost::json::serialize(inv.in_args);
  run->timeout = inv.timeout;
  run->cancel = inv.cancel;
  const std::string host = ssh_destination(*run);
  runner_.run(std::move(run).value(),
              [host, out_args = inv.step->out_args, inline_bytes = inline_output_bytes_,
               done = std::move(done)](ProcessResult r) {
                const std::string failure =
                    "ssh command on " + host +
                    (r.exit_code >= 0 ? " exited with code " + std::to_string(r.exit_code)
                                      : " ended without an exit status (killed by a signal?)");
                Outcome o = process_outcome(std::move(r), out_args, inline_bytes, failure);
                o.outputs["host"] = host;
                done(std::move(o));
              });
}

}  // namespace atio::actions
