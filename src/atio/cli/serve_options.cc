#include "atio/cli/serve_options.h"

#include <cctype>
#include <iostream>

#include "atio/core/status.h"

namespace atio::cli {

namespace {

// A config file's values for the options neither the command line nor the
// environment set (see the header for the precedence).
Status apply_config_file(CLI::App& serve, const std::string& path) {
  std::vector<CLI::ConfigItem> items;
  CLI::ConfigTOML format;
  try {
    items = format.from_file(path);
  } catch (const CLI::Error& e) {
    return Status(Code::kInvalidArgument, path + ": cannot read it: " + e.what());
  }
  for (const CLI::ConfigItem& item : items) {
    if (item.name == "++" || item.name == "--") continue;  // a section opens or closes
    const std::string where = path + ": " + item.fullname();
    if (!item.parents.empty() && !(item.parents.size() == 1 && item.parents[0] == "serve")) {
      return Status(Code::kInvalidArgument,
                    where + ": only [serve] and top-level settings are read by atio serve");
    }
    std::string name = item.name;
    for (char& c : name) c = c == '_' ? '-' : c;  // max_active reads as max-active
    CLI::Option* opt = name == "help" || name == "config"
                           ? nullptr
                           : serve.get_option_no_throw("--" + name);
    if (opt == nullptr) {
      return Status(Code::kInvalidArgument,
                    where + ": not an option of atio serve (see atio serve --help)");
    }
    if (opt->count() > 0) continue;  // given on the command line or in the environment
    try {
      if (opt->get_expected_min() == 0) {  // a flag: true/false
        opt->add_result(opt->get_flag_value(name, format.to_flag(item)));
      } else {
        opt->add_result(item.inputs);
      }
      opt->run_callback();
    } catch (const CLI::Error& e) {
      return Status(Code::kInvalidArgument, where + ": " + e.what());
    }
  }
  return Status::ok();
}

}  // namespace

std::string parse_jail_user(const std::string& text, unsigned* uid, unsigned* gid) {
  auto colon = text.find(':');
  auto number = [](const std::string& part, unsigned* out) {
    if (part.empty() || part.size() > 10 ||
        part.find_first_not_of("0123456789") != std::string::npos) {
      return false;
    }
    unsigned long long v = std::stoull(part);
    if (v == 0 || v >= 4294967295ull) return false;
    if (out) *out = static_cast<unsigned>(v);
    return true;
  };
  if (colon == std::string::npos || !number(text.substr(0, colon), uid) ||
      !number(text.substr(colon + 1), gid)) {
    return "must be UID:GID, two numbers other than 0 (root) and 4294967295, e.g. 65534:65534";
  }
  return "";
}

std::string serve_env_name(const std::string& name) {
  // ATIO_SECRET_KEY is the master key itself (secrets/vault.cc), so the
  // variable naming its file cannot be the option's plain name.
  if (name == "secret-key") return "ATIO_SECRET_KEY_FILE";
  std::string env = "ATIO_";
  for (char c : name) {
    env += c == '-' ? '_' : static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  return env;
}

CLI::App* add_serve_command(CLI::App& app, ServeArgs& args, int& rc) {
  auto* serve = app.add_subcommand("serve", "Run the atio server");
  serve->add_option("--config", args.config,
                    "TOML/INI file of settings: option = value, optionally under [serve] "
                    "(deploy/atio.toml); the command line and ATIO_* variables win over it");
  serve->add_option("--listen", args.listen, "Address:port to listen on");
  serve->add_option("--data", args.data_dir, "Data directory (SQLite store, keys)");
  serve->add_option("--store", args.store,
                    "Where the store is: empty (default) for the SQLite file <data>/atio.db; "
                    "postgresql://USER:PASSWORD@HOST:5432/DB for nodes sharing one database");
  serve->add_option("--playbooks", args.playbook_dirs, "Directories of playbooks to load on start");
  serve->add_option("--ui-dir", args.ui_dir,
                    "The built web UI to serve at / (default: web/dist of the source tree, "
                    "or share/atio/ui; 'none' serves no UI)");
  serve->add_option("--synchronous", args.synchronous, "full (fsync every commit) or normal");
  serve->add_option("--workers", args.workers, "Engine worker threads (0: one per core)");
  serve->add_option("--max-active", args.max_active,
                    "Executions accepted and not finished (running or queued) before 429");
  serve->add_option("--max-running", args.max_running,
                    "Executions walked at once; more wait in a queue (stored as pending)");
  serve->add_option("--node-lease-ms", args.node_lease_ms,
                    "With several nodes on PostgreSQL: a node silent this long is gone and "
                    "another takes over its executions (milliseconds; heartbeats every fifth)")
      ->check(CLI::Range(std::int64_t{500}, std::int64_t{3'600'000}));
  serve->add_option("--max-body-bytes", args.max_body_bytes, "Largest request body accepted");
  serve->add_option("--max-json-depth", args.max_json_depth, "Deepest JSON nesting accepted");
  serve->add_option("--max-playbook-bytes", args.max_playbook_bytes, "Largest playbook accepted");
  serve->add_option("--large-output-bytes", args.large_output_bytes,
                    "A step output value whose JSON is larger than this (bytes) is kept outside "
                    "the execution's journal, in chunks, and referenced; the API and UI page "
                    "through it (docs/large-outputs.md)")
      ->check(CLI::Range(std::size_t{64}, std::size_t{1} << 30));
  serve->add_option("--io-threads", args.io_threads, "HTTP I/O threads");
  serve->add_option("--audit-key", args.audit_key,
                    "Audit signing key file (default: <data>/atio.db.audit-key; created, mode 0600)");
  serve->add_option("--audit-syslog", args.audit_syslog,
                    "Send every audit record to this syslog collector (RFC 5424; udp://host:port, "
                    "tcp://host:port or host:port), resuming where it stopped");
  serve->add_option("--audit-checkpoint-records", args.audit_checkpoint_records,
                    "Sign an audit checkpoint after this many records");
  serve->add_option("--audit-checkpoint-seconds", args.audit_checkpoint_seconds,
                    "Sign an audit checkpoint this often while records are not covered");
  serve->add_option("--secret-key", args.secret_key,
                    "Secret store master key file (default: <data>/atio.db.secret-key; created, "
                    "mode 0600; the variable ATIO_SECRET_KEY, the key itself, wins)");
  serve->add_option("--ca-file", args.ca_file,
                    "PEM bundle of the CAs that outbound HTTPS calls (http-api) trust, instead of "
                    "the system's (for integrations behind a private CA)")
      ->check(CLI::ExistingFile);
  serve->add_option("--tls-cert", args.tls_cert,
                    "Serve HTTPS with this PEM certificate chain (with --tls-key; TLS 1.2+, HSTS)")
      ->check(CLI::ExistingFile);
  serve->add_option("--tls-key", args.tls_key, "The certificate's PEM private key")
      ->check(CLI::ExistingFile);
  serve->add_option("--monitor-webhook", args.monitor_webhooks,
                    "URL the workflow monitor POSTs each notification to (repeatable)");
  serve->add_option("--monitor-syslog", args.monitor_syslog,
                    "host:port of a syslog collector (RFC 5424 over UDP) for change events");
  serve->add_option("--monitor-poll-ms", args.monitor_poll_ms,
                    "How often the monitor looks for playbook changes (milliseconds)");
  serve->add_option("--monitor-full-scan-ms", args.monitor_full_scan_ms,
                    "How often it compares every playbook's content hash (milliseconds)");
  serve->add_option("--session-ttl", args.session_ttl,
                    "How long a UI session lasts after login (e.g. 8h, 30m)");
  serve->add_flag("--secure-cookies", args.secure_cookies,
                  "Mark session cookies Secure (when clients reach atio over HTTPS)");
  serve->add_option("--metrics-token-file", args.metrics_token_file,
                    "Private file (docs/secrets.md) holding a bearer token that may only read "
                    "GET /metrics, for a Prometheus server (docs/metrics.md)");
  serve->add_option("--mttr-end", args.mttr_end,
                    "What MTTR measures to: responded (the playbook's response completed) or "
                    "resolved (the case was resolved)")
      ->check(CLI::IsMember({"responded", "resolved"}));
  serve->add_option("--case-window", args.case_window_seconds,
                    "Seconds within which a repeated alert updates its open case instead of "
                    "opening another")
      ->check(CLI::NonNegativeNumber);
  serve->add_option("--bwrap", args.bwrap,
                    "bubblewrap, which jails bash and x-atio-python steps (docs/scripts.md)");
  serve->add_option("--jail-user", args.jail_user,
                    "uid:gid that jailed scripts run as when atio runs as root")
      ->check(CLI::Validator(
          [](std::string& v) { return parse_jail_user(v, nullptr, nullptr); }, "UID:GID",
          "jail user"));
  serve->add_option("--script-timeout-ms", args.script_timeout_ms,
                    "Wall time of a script whose step sets no timeout (milliseconds)")
      ->check(CLI::Range(std::int64_t{100}, std::int64_t{86'400'000}));
  serve->add_option("--script-cpu-seconds", args.script_cpu_seconds,
                    "CPU time of each process of a script (seconds)")
      ->check(CLI::Range(std::int64_t{1}, std::int64_t{86'400}));
  serve->add_option("--script-memory-mb", args.script_memory_mb,
                    "Address space of each process of a script (MiB)")
      ->check(CLI::Range(std::int64_t{16}, std::int64_t{1'048'576}));
  serve->add_option("--script-processes", args.script_processes,
                    "Processes and threads a script may have at once")
      ->check(CLI::Range(std::int64_t{2}, std::int64_t{65'536}));
  serve->add_option("--script-file-mb", args.script_file_mb,
                    "Largest file a script may write, its stdout included (MiB)")
      ->check(CLI::Range(std::int64_t{1}, std::int64_t{1'048'576}));
  serve->add_option("--script-tmp-mb", args.script_tmp_mb, "Size of a script's /tmp (MiB)")
      ->check(CLI::Range(std::int64_t{1}, std::int64_t{1'048'576}));
  serve->add_option("--script-max-running", args.script_max_running,
                    "Scripts run at once; more wait in order")
      ->check(CLI::Range(std::size_t{1}, std::size_t{4096}));
  serve->add_option("--script-read-only-path", args.script_read_only_paths,
                    "A host directory scripts may read (mounted read-only at the same path; "
                    "repeatable), e.g. a virtualenv")
      ->check(CLI::ExistingDirectory);
  serve->add_option("--ssh-known-hosts", args.ssh_known_hosts,
                    "The host keys ssh steps trust, in OpenSSH known_hosts form (default "
                    "<data>/ssh_known_hosts); any other host is refused");
  serve->add_option("--ssh-connect-timeout-ms", args.ssh_connect_timeout_ms,
                    "Time to connect and log in to an ssh step's host (milliseconds)")
      ->check(CLI::Range(std::int64_t{100}, std::int64_t{600'000}));
  serve->add_option("--ssh-timeout-ms", args.ssh_timeout_ms,
                    "Wall time of an ssh command whose step sets no timeout (milliseconds)")
      ->check(CLI::Range(std::int64_t{100}, std::int64_t{86'400'000}));
  serve->add_option("--ssh-max-running", args.ssh_max_running,
                    "ssh commands run at once; more wait in order")
      ->check(CLI::Range(std::size_t{1}, std::size_t{1024}));
  serve->add_option("--ssh-output-mb", args.ssh_output_mb,
                    "Most stdout one ssh command may write before it is stopped (MiB)")
      ->check(CLI::Range(std::int64_t{1}, std::int64_t{1'048'576}));
  serve->add_option("--admin-key-file", args.admin_key_file,
                    "On the first start, the admin API key is this private file's content "
                    "instead of a random one (32-512 characters: letters, digits, - . _ ~ + /; "
                    "e.g. atio_ and 64 hex digits)");
  serve->add_option("--admin-password-file", args.admin_password_file,
                    "On the first start, the web UI's admin password is this private file's "
                    "content instead of a random one");

  // Every option, present and future, also from its environment variable.
  for (CLI::Option* opt : serve->get_options()) {
    const auto& names = opt->get_lnames();
    if (names.empty() || names.front() == "help") continue;
    opt->envname(serve_env_name(names.front()));
  }

  serve->callback([serve, &args, &rc] {
    // A URL kept in a file or a Secret often ends with a line end.
    while (!args.store.empty() && std::isspace(static_cast<unsigned char>(args.store.back()))) {
      args.store.pop_back();
    }
    if (!args.config.empty()) {
      if (Status s = apply_config_file(*serve, args.config); !s.is_ok()) {
        std::cerr << "atio serve: --config " << s.message() << "\n";
        rc = 2;
        return;
      }
    }
    rc = serve_command(args);
  });
  return serve;
}

}  // namespace atio::cli
