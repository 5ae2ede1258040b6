// The CACAO `ssh` command type: runs a command on the step's ssh target over
// SSH (ssh_runner.h), without a terminal.
//
// Playbook (CACAO 2.0):
//   "target_definitions": {"ssh--<uuid>": {"type": "ssh", "name": "web 1",
//       "address": {"dname": ["web1.corp.example"]}, "port": "22",
//       "authentication_info": "user-auth--<uuid>"}},
//   "authentication_info_definitions": {
//       "user-auth--<uuid>": {"type": "user-auth", "username": "soc",
//                             "kms": true, "kms_key_identifier": "web1-soc"},
//       "private-key--<uuid>": {"type": "private-key", "user_id": "soc",
//                               "kms": true, "kms_key_identifier": "web1-key"}},
//   step: {"type": "action", "targets": ["ssh--<uuid>"],
//          "commands": [{"type": "ssh", "command": "systemctl stop __svc__:value"}]}
// Where: the first of the step's targets of type ssh, else its agent when it
// is of type ssh; else the same with type linux (a CACAO Linux host, which
// SOARCA's playbooks also reach over SSH); the host is the first address dname, ipv4 or ipv6, the port
// `port` (default "22").
// Credentials: user-auth (username + password) or private-key (user_id +
// private_key in OpenSSH or PEM text, and `passphrase` when the key has one).
// With kms: true the secret store holds them: a string secret is the password
// or the private key; an object secret gives fields ({"private_key": "...",
// "passphrase": "..."}). Passwords and keys written in the playbook work too,
// but CACAO recommends against it and atio's journal never records them.
// Host keys: only those in the known-hosts file (--ssh-known-hosts).
//
// Variables are substituted into the command (CACAO), so a value from an
// alert reaches the remote shell as written: quote it there, or read the
// step's in_args instead, which the command gets on stdin as one JSON object
// ({"__name__": value, ...}), as scripts do.
//
// Outcome: process_outcome.h's (stdout, stderr, exit_code, json, out_args);
// "host" is user@host:port. A non-zero exit fails the step with
// "ssh command on <user@host:port> exited with code N" and the last line of
// its stderr; connection, host-key and login failures name the rule
// (ssh_runner.h).
#pragma once

#include <cstddef>
#include <string>

#include "atio/actions/action.h"
#include "atio/actions/ssh/ssh_runner.h"
#include "atio/core/secret_source.h"

namespace atio::actions {

class SshCommand final : public CommandType {
 public:
  // REQUIRES: `runner` and `secrets` (may be null: only credentials written
  // in the playbook work) outlive this object and every started invocation.
  SshCommand(SshRunner& runner, const SecretSource* secrets,
             std::size_t inline_output_bytes = 1 << 20);

  std::string_view name() const override { return "ssh"; }

  // Checks the command text, and that the step has an ssh target with a
  // usable address, port and authentication_info.
  void validate(const cacao::Command& cmd, const cacao::Playbook& playbook,
                const cacao::Step& step, const std::string& pointer,
                json::FieldErrors* errors) const override;

  // Returns at once; `done` runs on an ssh worker thread, or inline when the
  // step cannot be run (no target, no credentials).
  void start(Invocation invocation, Done done) override;

 private:
  SshRunner& runner_;
  const SecretSource* secrets_;
  std::size_t inline_output_bytes_;
};

}  // namespace atio::actions
