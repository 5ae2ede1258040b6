// The subcommands of `atio`. Each returns the process exit code.
#pragma once

#include <string>
#include <vector>

namespace atio::cli {

struct ValidateArgs {
  std::vector<std::string> files;
  bool schema_only = false;  // only the OASIS schema rules
};
int validate_command(const ValidateArgs& args);

struct RunArgs {
  std::string playbook;               // the playbook file to run
  std::vector<std::string> with;      // sub-playbook files it may call
  std::vector<std::string> vars;      // name=value
  std::string event_file;             // JSON (or NDJSON: first line) for __event__
  std::string db;                     // keep the journal here; temp file when empty
  int max_while_iterations = 1000;
  bool json = false;                  // print the steps as JSON
};
int run_command(const RunArgs& args);

struct ConvertArgs {
  std::string from;                  // input format, e.g. "suricata"
  std::string to;                    // output format, e.g. "stix"
  std::vector<std::string> files;    // inputs; "-" is standard input
  std::vector<std::string> options;  // converter options, name=value
  std::string output;                // documents go here (default: standard output)
  std::string report;                // the record account as JSON goes here
  bool pretty = false;               // indented documents
  bool quiet = false;                // no summary on standard error unless a record failed
  bool list = false;                 // list the converters
  bool no_validate = false;          // write STIX without validating it first
  bool full_validation = false;      // validate even STIX that is valid by construction
};
// Exit code 0: every record converted or skipped; 1: some records failed
// (the others were converted); 2: nothing could be done (bad arguments, I/O).
int convert_command(const ConvertArgs& args);

// `atio serve`'s settings; serve_options.h says where they come from.
struct ServeArgs {
  std::string config;                      // --config: the file the rest may come from
  std::string listen = "127.0.0.1:8080";
  std::string data_dir = "var";
  // The store: "" the SQLite file <data>/atio.db; postgresql://... a shared
  // PostgreSQL database (refused until this build has that backend).
  std::string store;
  std::vector<std::string> playbook_dirs;  // loaded on start (shipped playbooks)
  std::string synchronous = "full";
  std::size_t workers = 0;                 // 0: one per core
  std::size_t max_active = 20000;
  std::size_t max_running = 1024;
  // Nodes sharing a PostgreSQL store: one silent this long is gone and its
  // executions are taken over; the heartbeat comes every fifth of it.
  std::int64_t node_lease_ms = 10'000;
  std::size_t max_body_bytes = 10 * 1024 * 1024;
  std::size_t max_json_depth = 64;
  std::size_t max_playbook_bytes = 10 * 1024 * 1024;
  // A step output value (its JSON) larger than this is kept outside the
  // journal and referenced (docs/large-outputs.md).
  std::size_t large_output_bytes = 1024 * 1024;
  std::size_t io_threads = 2;              // HTTP threads, apart from the engine's workers
  std::string audit_key;                   // "": <data>/atio.db.audit-key
  std::string audit_syslog;                // collector every audit record goes to ("": none)
  std::int64_t audit_checkpoint_records = 1000;
  std::int64_t audit_checkpoint_seconds = 60;
  std::string secret_key;                  // "": <data>/atio.db.secret-key (ATIO_SECRET_KEY wins)
  std::string ca_file;                     // PEM CAs for outbound HTTPS ("": the system's)
  std::string tls_cert;                    // HTTPS: PEM certificate chain ("": plain HTTP)
  std::string tls_key;                     // HTTPS: its PEM private key
  // The workflow monitor (docs/monitor.md).
  std::vector<std::string> monitor_webhooks;  // notifications POSTed here
  std::string monitor_syslog;                 // host:port, RFC 5424 over UDP
  std::int64_t monitor_poll_ms = 20;
  std::int64_t monitor_full_scan_ms = 2000;
  std::string session_ttl = "8h";          // a UI session ends this long after login
  bool secure_cookies = false;             // Secure session cookies (TLS here or at a proxy)
  // A file (mode 0600) holding a bearer token that may read GET /metrics and
  // nothing else, for a Prometheus server ("": none; admins and auditors may
  // scrape with their own keys).
  std::string metrics_token_file;
  // Cases (docs/cases.md): what MTTR ends at, and how long after a
  // detection a repeat still updates its case.
  std::string mttr_end = "responded";      // or "resolved"
  std::int64_t case_window_seconds = 3600;
  // The built web UI served at / (docs/ui.md): "" finds web/dist beside the
  // source tree of the binary or an installed share/atio/ui; "none": no UI.
  std::string ui_dir;
  // Secrets a deployment provides (Kubernetes/Compose secrets; private files,
  // docs/secrets.md) for the first start of a store, instead of making random
  // ones and printing them: the admin API key and the web UI admin's password.
  std::string admin_key_file;
  std::string admin_password_file;
  // Jailed scripts: bash and x-atio-python steps (docs/scripts.md).
  std::string bwrap = "/usr/bin/bwrap";
  std::string jail_user = "65534:65534";  // uid:gid scripts run as when atio runs as root
  std::int64_t script_timeout_ms = 60'000;  // a script step whose step sets no timeout
  std::int64_t script_cpu_seconds = 30;     // per process
  std::int64_t script_memory_mb = 1024;     // address space per process
  std::int64_t script_processes = 64;       // processes and threads per jail
  std::int64_t script_file_mb = 256;        // largest file a script writes, stdout included
  std::int64_t script_tmp_mb = 64;          // its /tmp
  std::size_t script_max_running = 16;      // jails at once; more wait
  std::vector<std::string> script_read_only_paths;  // host directories scripts may read
  // ssh steps (docs/ssh.md).
  std::string ssh_known_hosts;                 // "": <data>/ssh_known_hosts
  std::int64_t ssh_connect_timeout_ms = 10'000;
  std::int64_t ssh_timeout_ms = 300'000;       // a command whose step sets no timeout
  std::size_t ssh_max_running = 16;            // sessions at once; more wait
  std::int64_t ssh_output_mb = 1024;           // most stdout of one command
};
int serve_command(const ServeArgs& args);

struct SecretArgs {
  std::string store = "var/atio.db";  // the SQLite file
  std::string key;                    // the master key file; "": <store>.secret-key
  std::string name;
  std::string description;            // set
  bool json = false;                  // set: standard input is a JSON value
};
// set reads the value from standard input. Exit codes: 0 done, 2 bad input
// or unknown name, 1 anything else.
int secret_set_command(const SecretArgs& args);
int secret_list_command(const SecretArgs& args);
int secret_delete_command(const SecretArgs& args);

struct AuditArgs {
  std::string store = "var/atio.db";  // the SQLite file
  std::string key;                    // the signing key file; "": <store>.audit-key
  std::string public_key;             // verify: trust this hex public key instead of a key file
  bool json = false;                  // verify: print the report as JSON
  std::string format = "jsonl";       // export: jsonl or syslog
  std::string output;                 // export: file ("" = standard output)
};
// Exit code 0: the log is intact; 1: it is not (the first broken record is
// named); 2: it could not be read.
int audit_verify_command(const AuditArgs& args);
// Exit code 0, or 2 when the log could not be read or written out.
int audit_export_command(const AuditArgs& args);

struct AccountArgs {
  std::string store = "var/atio.db";  // the SQLite file
  std::string name;                   // user add/passwd/disable/enable; apikey create
  std::string role;                   // user add, apikey create
  bool password_stdin = false;        // user add/passwd: read the password from stdin
  std::string expires;                // apikey create: "30d", "12h" ("" = never)
  std::string id;                     // apikey revoke
  bool json = false;                  // list: JSON lines
};
// `atio user ...` and `atio apikey ...` work on the store file directly and
// record each change in the audit log (actor kind "system"), in the same
// transaction. Exit code 0; 1 when refused (bad name, role or password, no
// such user or key, name taken, no store at --store); 2 when the store
// cannot be used.
int user_add_command(const AccountArgs& args);
int user_passwd_command(const AccountArgs& args);
int user_list_command(const AccountArgs& args);
int user_set_disabled_command(const AccountArgs& args, bool disabled);
int apikey_create_command(const AccountArgs& args);
int apikey_list_command(const AccountArgs& args);
int apikey_revoke_command(const AccountArgs& args);

}  // namespace atio::cli
