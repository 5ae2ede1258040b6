#include "atio/cli/cli.h"

#include <CLI/CLI.hpp>

#include <iostream>

#include "atio/cli/commands.h"
#include "atio/core/version.h"

namespace atio::cli {

int main(int argc, char** argv) {
  CLI::App app{"atio: security orchestration, automation and response with CACAO 2.0 playbooks"};
  app.require_subcommand(1);
  int rc = 0;

  auto* version = app.add_subcommand("version", "Print the version");
  version->callback([] { std::cout << "atio " << kVersion << "\n"; });

  ValidateArgs va;
  auto* validate = app.add_subcommand("validate", "Validate CACAO 2.0 playbooks; lists every problem");
  validate->add_option("playbooks", va.files, "Playbook files")->required();
  validate->add_flag("--schema-only", va.schema_only, "Only the OASIS schema rules");
  validate->callback([&] { rc = validate_command(va); });

  RunArgs ra;
  auto* run = app.add_subcommand("run", "Run one playbook without a server; prints every step");
  run->add_option("playbook", ra.playbook, "Playbook file")->required();
  run->add_option("--with", ra.with, "Sub-playbook files the playbook calls");
  run->add_option("--var", ra.vars, "Variable: name=value (name with or without __)");
  run->add_option("--event", ra.event_file, "JSON file: the __event__ variable");
  run->add_option("--db", ra.db, "Keep the journal in this SQLite file");
  run->add_option("--max-while-iterations", ra.max_while_iterations, "While-condition bound");
  run->add_flag("--json", ra.json, "Print the result as JSON");
  run->callback([&] { rc = run_command(ra); });

  ConvertArgs ca;
  auto* conv = app.add_subcommand(
      "convert", "Convert records between formats (Suricata, GVM, MISP, Windows logs -> STIX, ...)");
  conv->add_option("--from", ca.from, "Input format (see --list)");
  conv->add_option("--to", ca.to, "Output format (see --list)");
  conv->add_option("files", ca.files, "Input files; - is standard input");
  conv->add_option("--option", ca.options, "Converter option name=value (repeatable)")
      ->expected(1)
      ->allow_extra_args(false);
  conv->add_option("-o,--output", ca.output, "Write the documents here (default: standard output)");
  conv->add_option("--report", ca.report, "Write the account of every record here, as JSON");
  conv->add_flag("--pretty", ca.pretty, "Indent the documents");
  conv->add_flag("-q,--quiet", ca.quiet, "No summary unless a record failed");
  conv->add_flag("--list", ca.list, "List the converters");
  conv->add_flag("--no-validate", ca.no_validate,
                 "Write STIX without validating it (by default a document that fails is held back)");
  conv->add_flag("--full-validation", ca.full_validation,
                 "Run the full STIX validator also on converters whose output is valid by "
                 "construction (suricata)");
  conv->callback([&] {
    if (!ca.list && (ca.from.empty() || ca.to.empty() || ca.files.empty())) {
      std::cerr << "atio convert: --from, --to and at least one input file (or -) are required\n";
      rc = 2;
      return;
    }
    rc = convert_command(ca);
  });

  ServeArgs sa;
  auto* serve = app.add_subcommand("serve", "Run the atio server");
  serve->add_option("--listen", sa.listen, "Address:port to listen on");
  serve->add_option("--data", sa.data_dir, "Data directory (SQLite store, keys)");
  serve->add_option("--playbooks", sa.playbook_dirs, "Directories of playbooks to load on start");
  serve->add_option("--ui-dir", sa.ui_dir,
                    "The built web UI to serve at / (default: web/dist of the source tree, "
                    "or share/atio/ui; 'none' serves no UI)");
  serve->add_option("--synchronous", sa.synchronous, "full (fsync every commit) or normal");
  serve->add_option("--workers", sa.workers, "Engine worker threads (0: one per core)");
  serve->add_option("--max-active", sa.max_active,
                    "Executions accepted and not finished (running or queued) before 429");
  serve->add_option("--max-running", sa.max_running,
                    "Executions walked at once; more wait in a queue (stored as pending)");
  serve->add_option("--max-body-bytes", sa.max_body_bytes, "Largest request body accepted");
  serve->add_option("--max-json-depth", sa.max_json_depth, "Deepest JSON nesting accepted");
  serve->add_option("--max-playbook-bytes", sa.max_playbook_bytes, "Largest playbook accepted");
  serve->add_option("--io-threads", sa.io_threads, "HTTP I/O threads");
  serve->add_option("--audit-key", sa.audit_key,
                    "Audit signing key file (default: <data>/atio.db.audit-key; created, mode 0600)");
  serve->add_option("--audit-syslog", sa.audit_syslog,
                    "Send every audit record to this syslog collector (RFC 5424; udp://host:port, "
                    "tcp://host:port or host:port), resuming where it stopped");
  serve->add_option("--audit-checkpoint-records", sa.audit_checkpoint_records,
                    "Sign an audit checkpoint after this many records");
  serve->add_option("--audit-checkpoint-seconds", sa.audit_checkpoint_seconds,
                    "Sign an audit checkpoint this often while records are not covered");
  serve->add_option("--secret-key", sa.secret_key,
                    "Secret store master key file (default: <data>/atio.db.secret-key; created, "
                    "mode 0600; the variable ATIO_SECRET_KEY wins)");
  serve->add_option("--ca-file", sa.ca_file,
                    "PEM bundle of the CAs that outbound HTTPS calls (http-api) trust, instead of "
                    "the system's (for integrations behind a private CA)")
      ->check(CLI::ExistingFile);
  serve->add_option("--tls-cert", sa.tls_cert,
                    "Serve HTTPS with this PEM certificate chain (with --tls-key; TLS 1.2+, HSTS)")
      ->check(CLI::ExistingFile);
  serve->add_option("--tls-key", sa.tls_key, "The certificate's PEM private key")
      ->check(CLI::ExistingFile);
  serve->add_option("--monitor-webhook", sa.monitor_webhooks,
                    "URL the workflow monitor POSTs each notification to (repeatable)");
  serve->add_option("--monitor-syslog", sa.monitor_syslog,
                    "host:port of a syslog collector (RFC 5424 over UDP) for change events");
  serve->add_option("--monitor-poll-ms", sa.monitor_poll_ms,
                    "How often the monitor looks for playbook changes (milliseconds)");
  serve->add_option("--monitor-full-scan-ms", sa.monitor_full_scan_ms,
                    "How often it compares every playbook's content hash (milliseconds)");
  serve->add_option("--session-ttl", sa.session_ttl,
                    "How long a UI session lasts after login (e.g. 8h, 30m)");
  serve->add_flag("--secure-cookies", sa.secure_cookies,
                  "Mark session cookies Secure (when clients reach atio over HTTPS)");
  serve->add_option("--metrics-token-file", sa.metrics_token_file,
                    "File (mode 0600) holding a bearer token that may only read GET /metrics, "
                    "for a Prometheus server (docs/metrics.md)");
  serve->add_option("--mttr-end", sa.mttr_end,
                    "What MTTR measures to: responded (the playbook's response completed) or "
                    "resolved (the case was resolved)")
      ->check(CLI::IsMember({"responded", "resolved"}));
  serve->add_option("--case-window", sa.case_window_seconds,
                    "Seconds within which a repeated alert updates its open case instead of "
                    "opening another")
      ->check(CLI::NonNegativeNumber);
  serve->callback([&] { rc = serve_command(sa); });

  SecretArgs xa;
  auto* secret = app.add_subcommand(
      "secret", "Integration credentials, sealed in the store (values are never printed)");
  secret->require_subcommand(1);
  auto* sset = secret->add_subcommand("set", "Store the value read from standard input as NAME");
  auto* slist = secret->add_subcommand("list", "Names, last change and description");
  auto* sdel = secret->add_subcommand("delete", "Remove NAME");
  for (auto* c : {sset, slist, sdel}) {
    c->add_option("--store", xa.store, "The SQLite database (default var/atio.db)");
    c->add_option("--key", xa.key, "The master key file (default <store>.secret-key)");
  }
  sset->add_option("name", xa.name, "The secret's name")->required();
  sset->add_option("--description", xa.description, "What it is for");
  sset->add_flag("--json", xa.json, "Standard input is a JSON value (an object of strings)");
  sdel->add_option("name", xa.name, "The secret's name")->required();
  sset->callback([&] { rc = secret_set_command(xa); });
  slist->callback([&] { rc = secret_list_command(xa); });
  sdel->callback([&] { rc = secret_delete_command(xa); });

  AuditArgs aa;
  auto* audit = app.add_subcommand("audit", "Check and export the audit log");
  audit->require_subcommand(1);
  auto* verify = audit->add_subcommand(
      "verify", "Recompute the hash chain and check every checkpoint; names the first broken record");
  verify->add_option("--store", aa.store, "The SQLite database (default var/atio.db)");
  verify->add_option("--key", aa.key, "The signing key file (default <store>.audit-key)");
  verify->add_option("--public-key", aa.public_key,
                     "Trust this Ed25519 public key (hex) instead of reading the key file");
  verify->add_flag("--json", aa.json, "Print the report as JSON");
  verify->callback([&] { rc = audit_verify_command(aa); });
  auto* exp = audit->add_subcommand("export", "Write the audit log as JSON lines or syslog lines");
  exp->add_option("--store", aa.store, "The SQLite database (default var/atio.db)");
  exp->add_option("--format", aa.format, "jsonl (default) or syslog (RFC 5424)")
      ->check(CLI::IsMember({"jsonl", "syslog"}));
  exp->add_option("-o,--output", aa.output, "Write here (default: standard output)");
  exp->callback([&] { rc = audit_export_command(aa); });

  AccountArgs ua;
  auto* user = app.add_subcommand("user", "Users, on the store file (the first admin, recovery)");
  user->require_subcommand(1);
  auto add_store = [&ua](CLI::App* c) {
    c->add_option("--store", ua.store, "The SQLite database (default var/atio.db)");
  };
  auto* uadd = user->add_subcommand("add", "Add a user; asks for the password");
  uadd->add_option("name", ua.name, "User name")->required();
  uadd->add_option("--role", ua.role, "admin, author, analyst, auditor or viewer")->required();
  uadd->add_flag("--password-stdin", ua.password_stdin, "Read the password from standard input");
  add_store(uadd);
  uadd->callback([&] { rc = user_add_command(ua); });
  auto* upw = user->add_subcommand("passwd", "Set a user's password; its sessions end");
  upw->add_option("name", ua.name, "User name")->required();
  upw->add_flag("--password-stdin", ua.password_stdin, "Read the password from standard input");
  add_store(upw);
  upw->callback([&] { rc = user_passwd_command(ua); });
  auto* ulist = user->add_subcommand("list", "List users");
  ulist->add_flag("--json", ua.json, "One JSON object per line");
  add_store(ulist);
  ulist->callback([&] { rc = user_list_command(ua); });
  auto* udis = user->add_subcommand("disable", "Disable a user: sessions end, its keys stop");
  udis->add_option("name", ua.name, "User name")->required();
  add_store(udis);
  udis->callback([&] { rc = user_set_disabled_command(ua, true); });
  auto* uen = user->add_subcommand("enable", "Enable a disabled user");
  uen->add_option("name", ua.name, "User name")->required();
  add_store(uen);
  uen->callback([&] { rc = user_set_disabled_command(ua, false); });

  auto* apikey = app.add_subcommand("apikey", "API keys, on the store file");
  apikey->require_subcommand(1);
  auto* kcreate = apikey->add_subcommand("create", "Create a key; prints it once");
  kcreate->add_option("name", ua.name, "Key name (shown as who acted)")->required();
  kcreate->add_option("--role", ua.role, "admin, author, analyst, auditor or viewer")->required();
  kcreate->add_option("--expires", ua.expires, "Lifetime: 90s, 15m, 12h, 30d (default: never)");
  add_store(kcreate);
  kcreate->callback([&] { rc = apikey_create_command(ua); });
  auto* klist = apikey->add_subcommand("list", "List keys (never their secrets)");
  klist->add_flag("--json", ua.json, "One JSON object per line");
  add_store(klist);
  klist->callback([&] { rc = apikey_list_command(ua); });
  auto* krevoke = apikey->add_subcommand("revoke", "Revoke a key by id");
  krevoke->add_option("id", ua.id, "Key id (see list)")->required();
  add_store(krevoke);
  krevoke->callback([&] { rc = apikey_revoke_command(ua); });

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }
  return rc;
}

}  // namespace atio::cli
