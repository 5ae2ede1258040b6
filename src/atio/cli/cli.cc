#include "atio/cli/cli.h"

#include <CLI/CLI.hpp>

#include <iostream>

#include "atio/cli/commands.h"
#include "atio/cli/serve_options.h"
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
  add_serve_command(app, sa, rc);

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
