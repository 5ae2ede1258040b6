// `atio serve`: the store, the engine, the HTTP API, webhooks and schedules
// in one process.
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <optional>
#include <thread>

#include "atio/cli/commands.h"
#include "atio/cli/local_store.h"
#include "atio/store/open_store.h"
#include "atio/cli/runtime.h"
#include "atio/cli/serve_bootstrap.h"
#include "atio/cli/serve_jail.h"
#include "atio/audit/signing_key.h"
#include "atio/core/event_hub.h"
#include "atio/core/ids.h"
#include "atio/core/json.h"
#include "atio/playbook/cacao/parse.h"
#include "atio/monitor/case_publisher.h"
#include "atio/monitor/channels.h"
#include "atio/monitor/watcher.h"
#include "atio/audit/forwarder.h"
#include "atio/core/version.h"
#include "atio/metrics/metrics.h"
#include "atio/cli/case_metrics.h"
#include "atio/server/api/context.h"
#include "atio/server/ui/static_site.h"
#include "atio/server/auth/api_keys.h"
#include "atio/server/auth/authenticator.h"
#include "atio/server/auth/scrape_token.h"
#include "atio/server/auth/users.h"
#include "atio/server/node_heartbeat.h"
#include "atio/server/takeover.h"
#include "atio/store/postgres/duty_lock.h"
#include "atio/server/schedule_runner.h"
#include "atio/server/server.h"

namespace atio::cli {

namespace {

// The advisory lock key of the duty one node of a cluster performs at a time:
// the workflow monitor's actions and the audit log's forwarding ('atio' 'mon').
constexpr std::int64_t kClusterDutyKey = 7400430201;

namespace fs = std::filesystem;

// "127.0.0.1:8080", "[::1]:8080", ":8080" (all interfaces).
bool parse_listen(const std::string& listen, std::string* host, std::uint16_t* port) {
  auto colon = listen.rfind(':');
  if (colon == std::string::npos) return false;
  std::string h = listen.substr(0, colon);
  if (h.size() >= 2 && h.front() == '[' && h.back() == ']') h = h.substr(1, h.size() - 2);
  if (h.empty()) h = "0.0.0.0";
  const std::string p = listen.substr(colon + 1);
  if (p.empty() || p.size() > 5 || !std::all_of(p.begin(), p.end(), ::isdigit)) return false;
  int v = std::stoi(p);
  if (v > 65535) return false;
  *host = h;
  *port = static_cast<std::uint16_t>(v);
  return true;
}

// Storing a playbook loaded from --playbooks: a version and an audit record
// by atio itself (actor kind "system"), so its history and the monitor name
// who made the change.
std::vector<store::WriteOp> shipped_playbook_ops(const store::PlaybookRecord& r, bool existed,
                                                 const std::string& file) {
  const std::string hash = store::playbook_content_hash(r.document);
  store::PlaybookVersionRecord v;
  v.playbook_id = r.id;
  v.content_hash = hash;
  v.name = r.name;
  v.document = r.document;
  v.author = "atio";
  v.author_kind = "system";
  v.author_name = "atio serve --playbooks";
  v.time_ms = r.updated_at_ms;
  v.comment = "loaded from " + file;
  store::AuditRecord a = store::atio_audit_record(
      "atio serve --playbooks", "playbook.import", "playbook", r.id,
      json::dump(boost::json::object{{"name", r.name}, {"version", r.version}, {"file", file},
                                     {"replaced", existed}, {"hash_after", hash}}));
  return {store::PutPlaybook{r}, store::AppendPlaybookVersion{std::move(v)},
          store::AppendAudit{std::move(a)}};
}

// Loads every *.json under `dir` into the store (create or replace). Invalid
// playbooks are skipped with their errors; returns how many were stored.
int load_playbooks(const std::string& dir, Runtime& rt) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) {
    std::cerr << "atio: warning: --playbooks " << dir << " is not a directory\n";
    return 0;
  }
  std::vector<fs::path> files;
  for (auto it = fs::recursive_directory_iterator(dir, ec); !ec && it != fs::recursive_directory_iterator();
       it.increment(ec)) {
    if (it->is_regular_file() && it->path().extension() == ".json") files.push_back(it->path());
  }
  std::sort(files.begin(), files.end());
  cacao::ValidateOptions options;
  options.commands = rt.registry->catalog();
  int stored = 0;
  for (const auto& f : files) {
    auto doc = json::parse_file(f.string());
    if (!doc.is_ok() || !doc->is_object()) {
      std::cerr << "atio: warning: skipping " << f.string() << ": "
                << (doc.is_ok() ? "not a JSON object" : doc.status().to_string()) << "\n";
      continue;
    }
    json::FieldErrors errors;
    auto pb = cacao::load(*doc, options, &errors);
    if (!pb.is_ok()) {
      std::cerr << "atio: warning: skipping " << f.string() << ": the playbook is not valid:\n"
                << json::to_text(errors);
      continue;
    }
    auto existing = rt.store->get_playbook(pb->id);
    if (existing.is_ok() && *existing && (*existing)->document == doc->get_object()) {
      ++stored;
      continue;
    }
    store::PlaybookRecord r;
    r.id = pb->id;
    r.version = pb->modified;
    r.name = pb->name;
    r.document = doc->get_object();
    r.created_at_ms = r.updated_at_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
        std::chrono::system_clock::now().time_since_epoch()).count();
    Status s = rt.store->write(shipped_playbook_ops(r, existing.is_ok() ? existing->has_value() : false,
                                                   f.string()));
    if (!s.is_ok()) {
      std::cerr << "atio: warning: cannot store " << f.string() << ": " << s.to_string() << "\n";
      continue;
    }
    if (rt.store_playbooks) rt.store_playbooks->invalidate(r.id);
    ++stored;
  }
  std::cout << "atio: " << stored << " playbook(s) loaded from " << dir << std::endl;
  return stored;
}

}  // namespace

int serve_command(const ServeArgs& args) {
  std::string host;
  std::uint16_t port = 0;
  if (!parse_listen(args.listen, &host, &port)) {
    std::cerr << "atio serve: --listen " << args.listen << ": expected HOST:PORT\n";
    return 2;
  }
  auto session_ttl = server::auth::parse_duration_ms(args.session_ttl);
  if (!session_ttl.is_ok()) {
    std::cerr << "atio serve: --session-ttl: " << session_ttl.status().message() << "\n";
    return 2;
  }
  if (Status s = check_store_option(args.store); !s.is_ok()) {
    std::cerr << "atio serve: " << s.message() << "\n";
    return 2;
  }
  if (!args.store.empty()) {
    // Nodes sharing a database must share its keys: one a node made for
    // itself would seal secrets the others cannot open, and sign audit
    // checkpoints the others' keys do not verify.
    const char* env_key = std::getenv("ATIO_SECRET_KEY");
    if (args.secret_key.empty() && (env_key == nullptr || *env_key == '\0')) {
      std::cerr << "atio serve: with --store " << store::redacted_location(args.store)
                << " every node needs the same master key: give --secret-key FILE"
                   " (ATIO_SECRET_KEY_FILE) or the key in ATIO_SECRET_KEY\n";
      return 2;
    }
    if (args.audit_key.empty()) {
      std::cerr << "atio serve: with --store " << store::redacted_location(args.store)
                << " every node signs the audit log with the same key: give --audit-key FILE"
                   " (ATIO_AUDIT_KEY)\n";
      return 2;
    }
  }
  // Files a deployment provides are checked before anything is made.
  auto seed = read_admin_seed(args);
  if (!seed.is_ok()) {
    std::cerr << "atio serve: " << seed.status().message() << "\n";
    return 2;
  }
  std::error_code ec;
  // The store holds hook secrets: a new data directory is private.
  if (fs::create_directories(args.data_dir, ec)) {
    fs::permissions(args.data_dir, fs::perms::owner_all, fs::perm_options::replace, ec);
  }
  if (ec) {
    std::cerr << "atio serve: cannot create " << args.data_dir << ": " << ec.message() << "\n";
    return 2;
  }

  std::string scrape_token;
  if (!args.metrics_token_file.empty()) {
    auto t = server::auth::read_scrape_token(args.metrics_token_file);
    if (!t.is_ok()) {
      std::cerr << "atio serve: --metrics-token-file: " << t.status().to_string() << "\n";
      return 2;
    }
    scrape_token = std::move(*t);
  }

  // Counted into by the engine and the webhook trigger, served at /metrics;
  // declared before the runtime so that it outlives the engine.
  metrics::MetricsOptions mo;
  mo.version = kVersion;
  metrics::Metrics metrics(mo);

  // Wakes the live execution views on every step; declared before the
  // runtime so that it outlives the engine that notifies it.
  EventHub execution_feed;
  EventHub remote_execution_feed(std::chrono::milliseconds(500));

  // This node's id: the executions it creates or takes over are its own
  // (server/takeover.h), and it is listed as such in GET /api/v1/nodes.
  const std::string node_id = uuid_v4();
  const bool shared_store = !args.store.empty();

  RuntimeOptions ro;
  ro.db_path = args.store.empty() ? (fs::path(args.data_dir) / "atio.db").string() : args.store;
  ro.synchronous = args.synchronous;
  // The audit log's signing key: outside the database, created on the first
  // start, refused when others could read it.
  const std::string key_path =
      args.audit_key.empty() ? audit::default_key_path(ro.db_path) : args.audit_key;
  auto key = audit::SigningKey::load_or_create(key_path);
  if (!key.is_ok()) {
    std::cerr << "atio serve: " << key.status().to_string() << "\n";
    return 1;
  }
  ro.audit.signer = *key;
  ro.secret_key = args.secret_key;
  if (!args.ca_file.empty()) ro.http_api.ca_file = args.ca_file;
  ro.audit.every_records = args.audit_checkpoint_records;
  ro.audit.every_ms = args.audit_checkpoint_seconds * 1000;
  ro.case_window_ms = args.case_window_seconds * 1000;
  ro.engine.workers = args.workers ? args.workers : std::max(1u, std::thread::hardware_concurrency());
  ro.engine.max_active_executions = args.max_active;
  ro.engine.max_running_executions = args.max_running;
  ro.engine.large_output_bytes = args.large_output_bytes;
  ro.engine.metrics = &metrics;
  ro.engine.on_progress = [&execution_feed](const std::string&) { execution_feed.notify(); };
  ro.engine.node_id = node_id;
  if (Status s = jail_options(args, &ro.jail); !s.is_ok()) {
    std::cerr << "atio serve: " << s.to_string() << "\n";
    return 1;
  }
  ro.ssh = ssh_options(args, ro.jail);
  auto made = make_runtime(ro);
  if (!made.is_ok()) {
    std::cerr << "atio serve: " << made.status().to_string() << "\n";
    return 1;
  }
  Runtime& rt = **made;
  // Gauges whose values live in the runtime, read at each scrape; released
  // (declared after `rt`) before the runtime goes.
  using metrics::Watched;
  auto as_gauge = [](std::size_t n) { return std::optional<double>(static_cast<double>(n)); };
  metrics::Registration watched[] = {
      metrics.watch(Watched::kExecutionsQueued,
                    [&rt, as_gauge] { return as_gauge(rt.engine->queued()); }),
      metrics.watch(Watched::kExecutionsActive,
                    [&rt, as_gauge] { return as_gauge(rt.engine->active()); }),
      metrics.watch(Watched::kManualStepsWaiting,
                    [&rt, as_gauge] { return as_gauge(rt.manual->waiting()); }),
      metrics.watch(Watched::kAuditChainLength, [&rt]() -> std::optional<double> {
        auto head = rt.store->audit_head();
        if (!head.is_ok()) return std::nullopt;
        return static_cast<double>(head->seq);
      }),
  };
  cases::MttrEnd mttr_end = cases::MttrEnd::kResponded;
  (void)cases::parse_mttr_end(args.mttr_end, &mttr_end);  // checked by the CLI
  metrics::Registration case_families = watch_case_metrics(metrics, *rt.store, mttr_end);

  if (Status s = bootstrap_admin(rt, args.data_dir, *seed); !s.is_ok()) {
    std::cerr << "atio serve: " << s.to_string() << "\n";
    return 1;
  }

  for (const auto& dir : args.playbook_dirs) load_playbooks(dir, rt);
  check_jail(*rt.jail);

  // This node in GET /api/v1/nodes, its heartbeat (its lease) every fifth of
  // the lease; written before it takes any work, so that no other node takes
  // this one's executions for a gone node's. Stopped (recorded as stopped)
  // once the engine has stopped.
  const auto lease = std::chrono::milliseconds(args.node_lease_ms);
  server::NodeHeartbeat heartbeat(*rt.store, *rt.engine, kVersion, lease / 5, node_id);
  if (Status s = heartbeat.start(); !s.is_ok()) {
    std::cerr << "atio serve: recording this node: " << s.to_string() << "\n";
    return 1;
  }
  // Unfinished executions from before a crash, or of nodes that are gone,
  // resume before new work arrives; then nodes that go are taken over.
  // Aborts and answers that reached another node apply here (server/signals.h).
  server::SignalInbox signals(*rt.store, *rt.engine, *rt.manual, node_id);
  server::TakeoverOptions takeover_options;
  takeover_options.lease = lease;
  takeover_options.single_process = !shared_store;
  takeover_options.signals = &signals;
  server::Takeover takeover(*rt.store, *rt.engine, takeover_options);
  if (Status s = takeover.start(); !s.is_ok()) {
    std::cerr << "atio serve: resuming executions: " << s.to_string() << "\n";
    return 1;
  }

  // The workflow monitor starts after the shipped playbooks are stored, so
  // loading them is its baseline rather than a burst of events.
  EventHub feed;
  monitor::ChannelOptions channel_options;
  channel_options.webhooks = args.monitor_webhooks;
  channel_options.syslog = args.monitor_syslog;
  {
    char host[256] = {0};
    if (::gethostname(host, sizeof host - 1) == 0 && host[0]) channel_options.hostname = host;
  }
  monitor::Channels channels(*rt.store, *rt.http, feed, rt.engine.get(), channel_options);
  monitor::WatcherOptions watcher_options;
  watcher_options.poll_interval = std::chrono::milliseconds(std::max<std::int64_t>(1, args.monitor_poll_ms));
  watcher_options.full_scan_interval =
      std::chrono::milliseconds(std::max<std::int64_t>(10, args.monitor_full_scan_ms));
  // Deletions and unauthorised modifications also open cases (use case 3).
  monitor::CasePublisher case_publisher(channels, *rt.cases, *rt.store);
  // With several nodes on PostgreSQL, one acts on what the monitor sees
  // (restores, events, cases), and forwards the audit log; every node keeps
  // its caches current.
  std::unique_ptr<store::postgres::DutyLock> cluster_duty;
  if (shared_store) {
    auto duty = store::postgres::DutyLock::start(args.store, kClusterDutyKey);
    if (!duty.is_ok()) {
      std::cerr << "atio serve: " << duty.status().to_string() << "\n";
      return 1;
    }
    cluster_duty = std::move(*duty);
    watcher_options.acting = [&cluster_duty] { return cluster_duty->held(); };
  }
  monitor::Watcher watcher(*rt.store, case_publisher, watcher_options);
  watcher.on_changed([&rt](const std::string& id) {
    if (rt.store_playbooks) rt.store_playbooks->invalidate(id);
  });
  if (Status w = watcher.start(); !w.is_ok()) {
    std::cerr << "atio serve: starting the workflow monitor: " << w.to_string() << "\n";
    return 1;
  }

  // The audit log's copy outside atio (docs/audit.md).
  std::unique_ptr<audit::Forwarder> audit_forwarder;
  if (!args.audit_syslog.empty()) {
    audit::ForwarderOptions fo;
    fo.collector = args.audit_syslog;
    fo.hostname = channel_options.hostname;
    if (cluster_duty) fo.acting = [&cluster_duty] { return cluster_duty->held(); };
    auto f = audit::Forwarder::start(*rt.store, fo);
    if (!f.is_ok()) {
      std::cerr << "atio serve: --audit-syslog: " << f.status().to_string() << "\n";
      return 1;
    }
    audit_forwarder = std::move(*f);
  }

  server::ScheduleRunner schedules(*rt.store, *rt.engine);
  server::ApiContext ctx;
  ctx.node_id = node_id;
  ctx.store = rt.store.get();
  ctx.engine = rt.engine.get();
  ctx.manual = rt.manual.get();
  ctx.registry = rt.registry.get();
  ctx.playbooks = rt.playbooks.get();
  ctx.playbook_cache = rt.store_playbooks;
  ctx.knowledge = rt.knowledge.get();
  ctx.secrets = rt.secrets.get();
  ctx.limits.max_body_bytes = args.max_body_bytes;
  ctx.limits.max_json_depth = args.max_json_depth;
  ctx.limits.max_playbook_bytes = args.max_playbook_bytes;
  ctx.schedules_changed = [&schedules] { schedules.notify(); };
  ctx.audit_public_key = (*key)->public_key_hex();
  ctx.monitor = &watcher;
  ctx.monitor_feed = &feed;
  ctx.execution_feed = &execution_feed;
  ctx.remote_execution_feed = &remote_execution_feed;
  ctx.metrics = &metrics;
  ctx.cases = rt.cases.get();
  ctx.mttr_end = mttr_end;
  ctx.accounts.sessions.ttl_ms = *session_ttl;
  // Secure cookies when atio serves HTTPS itself, or when told clients reach it over HTTPS.
  ctx.accounts.sessions.secure_cookie = args.secure_cookies || !args.tls_cert.empty();
  server::auth::StoreAuthenticator store_authenticator(*rt.store);
  std::optional<server::auth::ScrapeTokenAuthenticator> token_authenticator;
  if (!scrape_token.empty()) token_authenticator.emplace(store_authenticator, scrape_token);
  const server::Authenticator& authenticator =
      token_authenticator ? static_cast<const server::Authenticator&>(*token_authenticator)
                          : store_authenticator;
  server::Router router(authenticator, rt.store.get());
  server::add_api_routes(router, ctx);
  std::shared_ptr<const server::ui::StaticSite> site;
  if (args.ui_dir != "none") {
    const fs::path ui_dir =
        args.ui_dir.empty() ? server::ui::find_ui_dir("/proc/self/exe") : fs::path(args.ui_dir);
    if (ui_dir.empty()) {
      std::cout << "atio: no web UI found (build it with scripts/build-ui.sh, or give --ui-dir)\n";
    } else {
      auto loaded = server::ui::StaticSite::load(ui_dir);
      if (!loaded.is_ok()) {
        std::cerr << "atio serve: --ui-dir: " << loaded.status().to_string() << "\n";
        return 2;
      }
      site = *loaded;
      router.set_fallback([site](const server::Request& r) { return site->serve(r); });
    }
  }

  server::ServerOptions so;
  so.host = host;
  so.port = port;
  so.io_threads = args.io_threads;
  so.tls_cert_file = args.tls_cert;
  so.tls_key_file = args.tls_key;
  so.max_body_bytes = args.max_body_bytes;
  server::HttpServer http(so, router);
  auto bound = http.listen();
  if (!bound.is_ok()) {
    std::cerr << "atio serve: " << bound.status().to_string() << "\n";
    return 1;
  }
  schedules.start();
  const bool v6 = host.find(':') != std::string::npos;
  std::cout << "atio: listening on " << (so.tls_cert_file.empty() ? "http" : "https") << "://"
            << (v6 ? "[" + host + "]" : host) << ":" << *bound << std::endl;
  if (site) {
    std::cout << "atio: web UI at " << (so.tls_cert_file.empty() ? "http" : "https") << "://"
              << (v6 ? "[" + host + "]" : host) << ":" << *bound << "/ (from "
              << site->dir().string() << ")" << std::endl;
  }

  http.run();  // until SIGINT/SIGTERM; in-flight requests finish

  std::cout << "atio: shutting down" << std::endl;
  feed.shut_down();  // live feeds end, their connections close
  execution_feed.shut_down();
  remote_execution_feed.shut_down();
  watcher.stop();
  schedules.stop();
  takeover.stop();
  rt.engine->stop();  // running executions stay in the store and resume on the next start
  heartbeat.stop();   // or on another node, told now
  audit_forwarder.reset();  // a last pass, then the store closes
  rt.store->close();
  std::cout << "atio: stopped" << std::endl;
  return 0;
}

}  // namespace atio::cli
