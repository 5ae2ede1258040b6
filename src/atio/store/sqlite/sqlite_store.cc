#include "atio/store/sqlite/sqlite_store.h"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <chrono>
#include <condition_variable>
#include <deque>
#include <map>
#include <mutex>
#include <thread>

#include "atio/store/sqlite/audit_tables.h"
#include "atio/store/sqlite/case_tables.h"
#include "atio/store/sqlite/db.h"
#include "atio/store/step_json.h"
#include "atio/store/sqlite/schema.h"
#include "atio/store/sqlite/enrich_tables.h"
#include "atio/store/sqlite/monitor_tables.h"
#include "atio/store/sqlite/secret_tables.h"
#include "atio/store/sqlite/server_tables.h"
#include "atio/store/sqlite/user_tables.h"
#include "atio/store/sqlite/writer.h"

namespace atio::store {

namespace {

using sqlite::Stmt;

#define ATIO_SELECT_PLAYBOOK \
  "SELECT id, version, name, document, created_at, updated_at FROM playbooks"
#define ATIO_SELECT_EXECUTION                                                               \
  "SELECT id, playbook_id, playbook_version, status, variables, trigger, error, created_at," \
  " finished_at FROM executions"


Result<sqlite3*> open_connection(const SqliteOptions& o) {
  sqlite3* db = nullptr;
  int rc = sqlite3_open_v2(o.path.c_str(), &db,
                           SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                           nullptr);
  if (rc != SQLITE_OK) {
    std::string m = db ? sqlite3_errmsg(db) : "out of memory";
    if (db) sqlite3_close(db);
    return Status(Code::kIo, "cannot open database " + o.path + ": " + m);
  }
  sqlite3_busy_timeout(db, 10000);
  std::string pragmas = "PRAGMA journal_mode=WAL; PRAGMA foreign_keys=ON; PRAGMA synchronous=" +
                        (o.synchronous == "normal" ? std::string("NORMAL") : std::string("FULL")) +
                        ";";
  Status s = sqlite::exec(db, pragmas.c_str());
  if (!s.is_ok()) {
    sqlite3_close(db);
    return std::move(s).with_context(o.path);
  }
  return db;
}

// Found records by key, for reads on every request. Thread-safe. Writes
// through this store clear it; an entry also lives at most kMaxAge, so that
// a change another process makes to the file (`atio apikey revoke` while
// `atio serve` runs) takes effect within that time.
template <typename V>
class ReadCache {
 public:
  static constexpr std::chrono::seconds kMaxAge{2};

  template <typename Load>
  Result<std::optional<V>> get(const std::string& key, Load load) {
    std::uint64_t generation;
    const auto now = std::chrono::steady_clock::now();
    {
      std::lock_guard<std::mutex> lk(mu_);
      auto it = map_.find(key);
      if (it != map_.end() && now - it->second.loaded < kMaxAge) {
        return std::optional<V>(it->second.value);
      }
      generation = generation_;
    }
    Result<std::optional<V>> r = load();
    if (r.is_ok() && *r) {
      std::lock_guard<std::mutex> lk(mu_);
      // A clear() while loading means the record may have changed after it
      // was read (a key revoked, a user disabled): not cached.
      if (generation != generation_) return r;
      if (map_.size() > 10000) map_.clear();
      map_[key] = Entry{**r, now};
    }
    return r;
  }
  void clear() {
    std::lock_guard<std::mutex> lk(mu_);
    map_.clear();
    ++generation_;
  }

 private:
  struct Entry {
    V value;
    std::chrono::steady_clock::time_point loaded;
  };
  std::mutex mu_;
  std::map<std::string, Entry> map_;
  std::uint64_t generation_ = 0;
};

class SqliteStore final : public Store {
 public:
  SqliteStore(SqliteOptions o, sqlite3* writer, sqlite3* reader)
      : options_(std::move(o)),
        writer_(std::make_unique<sqlite::Writer>(writer, options_.path,
                                                 options_.max_batches_per_commit,
                                                 options_.audit)),
        rdb_(reader) {}

  ~SqliteStore() override {
    close();
    sqlite3_close(rdb_);
  }

  void submit(std::vector<WriteOp> ops, std::function<void(Status)> done) override {
    bool credentials = false;
    for (const auto& op : ops) credentials = credentials || changes_credentials(op);
    if (credentials) {
      // Drop cached hooks and keys now and again once durable, so a read
      // racing with the write cannot keep a stale entry.
      forget_credentials();
      done = [this, done = std::move(done)](Status st) {
        forget_credentials();
        if (done) done(std::move(st));
      };
    }
    writer_->submit(std::move(ops), std::move(done));
  }

  Result<std::optional<PlaybookRecord>> get_playbook(const std::string& id) override {
    std::lock_guard<std::mutex> lk(rmu_);
    Stmt s(rdb_, ATIO_SELECT_PLAYBOOK " WHERE id=?");
    s.bind(1, id);
    return sqlite::first(sqlite::query<PlaybookRecord>(rdb_, s, "get playbook", read_playbook));
  }

  Result<std::vector<PlaybookRecord>> list_playbooks() override {
    std::lock_guard<std::mutex> lk(rmu_);
    Stmt s(rdb_, ATIO_SELECT_PLAYBOOK " ORDER BY name, id");
    return sqlite::query<PlaybookRecord>(rdb_, s, "list playbooks", read_playbook);
  }

  Result<std::optional<ExecutionRecord>> get_execution(const std::string& id) override {
    std::lock_guard<std::mutex> lk(rmu_);
    Stmt s(rdb_, ATIO_SELECT_EXECUTION " WHERE id=?");
    s.bind(1, id);
    return sqlite::first(sqlite::query<ExecutionRecord>(rdb_, s, "get execution", read_execution));
  }

  Result<std::vector<ExecutionRecord>> list_executions(const ExecutionFilter& f) override {
    std::lock_guard<std::mutex> lk(rmu_);
    Stmt s(rdb_, ATIO_SELECT_EXECUTION
           " WHERE (?1 = '' OR playbook_id = ?1) AND (?2 = '' OR status = ?2)"
           " AND (?3 = '' OR seq < (SELECT seq FROM executions WHERE id = ?3))"
           " AND (?5 = 0 OR created_at >= ?5) AND (?6 = 0 OR created_at < ?6)"
           " ORDER BY seq DESC LIMIT ?4");
    s.bind(1, f.playbook_id);
    s.bind(2, std::string_view(f.status ? to_string(*f.status) : ""));
    s.bind(3, f.after_id);
    s.bind(4, f.limit);
    s.bind(5, f.since_ms);
    s.bind(6, f.until_ms);
    return sqlite::query<ExecutionRecord>(rdb_, s, "list executions", read_execution);
  }

  Result<std::vector<ExecutionRecord>> unfinished_executions() override {
    std::lock_guard<std::mutex> lk(rmu_);
    Stmt s(rdb_, ATIO_SELECT_EXECUTION " WHERE status IN ('pending','running') ORDER BY seq");
    return sqlite::query<ExecutionRecord>(rdb_, s, "unfinished executions", read_execution);
  }

  Result<std::vector<StepRecord>> get_steps(const std::string& execution_id) override {
    std::lock_guard<std::mutex> lk(rmu_);
    Stmt s(rdb_, "SELECT records FROM step_journal WHERE execution_id=? ORDER BY seq");
    s.bind(1, execution_id);
    std::vector<StepRecord> records;
    int rc;
    while ((rc = s.step()) == SQLITE_ROW) {
      ATIO_RETURN_IF_ERROR(decode_step_records(s.text(0), execution_id, &records));
    }
    if (rc != SQLITE_DONE) return sqlite::error_status(rdb_, "get steps");
    return latest_per_step(std::move(records));
  }

  // Hooks and API keys are read on every request: served from caches that
  // every write to them clears.
  Result<std::optional<ApiKeyRecord>> find_api_key(const std::string& key_hash) override {
    return key_cache_.get(key_hash, [&] {
      std::lock_guard<std::mutex> lk(rmu_);
      return sqlite::find_api_key(rdb_, key_hash);
    });
  }
  Result<std::optional<ApiKeyRecord>> get_api_key(const std::string& id) override {
    std::lock_guard<std::mutex> lk(rmu_);
    return sqlite::get_api_key(rdb_, id);
  }
  Result<std::optional<UserRecord>> get_user(const std::string& id) override {
    return user_cache_.get(id, [&] {
      std::lock_guard<std::mutex> lk(rmu_);
      return sqlite::get_user(rdb_, id);
    });
  }
  Result<std::optional<UserRecord>> find_user(const std::string& name) override {
    std::lock_guard<std::mutex> lk(rmu_);
    return sqlite::find_user(rdb_, name);
  }
  Result<std::vector<UserRecord>> list_users() override {
    std::lock_guard<std::mutex> lk(rmu_);
    return sqlite::list_users(rdb_);
  }
  Result<std::optional<SessionRecord>> find_session(const std::string& token_hash) override {
    return session_cache_.get(token_hash, [&] {
      std::lock_guard<std::mutex> lk(rmu_);
      return sqlite::find_session(rdb_, token_hash);
    });
  }
  Result<std::vector<ApiKeyRecord>> list_api_keys() override {
    std::lock_guard<std::mutex> lk(rmu_);
    return sqlite::list_api_keys(rdb_);
  }
  Result<std::optional<HookRecord>> get_hook(const std::string& id) override {
    return hook_cache_.get(id, [&] {
      std::lock_guard<std::mutex> lk(rmu_);
      return sqlite::get_hook(rdb_, id);
    });
  }
  Result<std::vector<HookRecord>> list_hooks() override {
    std::lock_guard<std::mutex> lk(rmu_);
    return sqlite::list_hooks(rdb_);
  }
  Result<std::optional<ScheduleRecord>> get_schedule(const std::string& id) override {
    std::lock_guard<std::mutex> lk(rmu_);
    return sqlite::get_schedule(rdb_, id);
  }
  Result<std::vector<ScheduleRecord>> list_schedules() override {
    std::lock_guard<std::mutex> lk(rmu_);
    return sqlite::list_schedules(rdb_);
  }

  Result<std::vector<AssetRecord>> list_assets() override {
    std::lock_guard<std::mutex> lk(rmu_);
    return sqlite::list_assets(rdb_);
  }

  Result<std::optional<AssetRecord>> get_asset(const std::string& id) override {
    std::lock_guard<std::mutex> lk(rmu_);
    return sqlite::get_asset(rdb_, id);
  }

  Result<std::optional<SecretRecord>> get_secret(const std::string& name) override {
    std::lock_guard<std::mutex> lk(rmu_);
    return sqlite::get_secret(rdb_, name);
  }

  Result<std::vector<SecretRecord>> list_secrets() override {
    std::lock_guard<std::mutex> lk(rmu_);
    return sqlite::list_secrets(rdb_);
  }

  Result<std::optional<bj::value>> get_setting(const std::string& name) override {
    std::lock_guard<std::mutex> lk(rmu_);
    return sqlite::get_setting(rdb_, name);
  }

  Result<std::optional<SightingRecord>> get_sighting(const std::string& detection_id) override {
    std::lock_guard<std::mutex> lk(rmu_);
    return sqlite::get_sighting(rdb_, detection_id);
  }

  Result<std::vector<SightingRecord>> recent_sightings(const std::string& since,
                                                       std::int64_t limit) override {
    std::lock_guard<std::mutex> lk(rmu_);
    return sqlite::recent_sightings(rdb_, since, limit);
  }

  Result<std::vector<std::int64_t>> asset_importances(const std::string& asset_id,
                                                      const std::string& since) override {
    std::lock_guard<std::mutex> lk(rmu_);
    return sqlite::asset_importances(rdb_, asset_id, since);
  }

  Result<std::vector<AuditRecord>> list_audit(const AuditFilter& filter) override {
    std::lock_guard<std::mutex> lk(rmu_);
    return sqlite::list_audit(rdb_, filter);
  }

  Result<std::optional<AuditRecord>> get_audit(std::int64_t seq) override {
    std::lock_guard<std::mutex> lk(rmu_);
    return sqlite::get_audit(rdb_, seq);
  }

  Result<AuditHead> audit_head() override {
    std::lock_guard<std::mutex> lk(rmu_);
    return sqlite::audit_head(rdb_);
  }

  Result<std::vector<AuditCheckpoint>> list_audit_checkpoints(std::int64_t after_seq,
                                                              std::int64_t limit) override {
    std::lock_guard<std::mutex> lk(rmu_);
    return sqlite::list_audit_checkpoints(rdb_, after_seq, limit);
  }

  Result<std::vector<PlaybookVersionRecord>> list_playbook_versions(const std::string& id,
                                                                    bool with_documents) override {
    std::lock_guard<std::mutex> lk(rmu_);
    return sqlite::list_playbook_versions(rdb_, id, with_documents);
  }

  Result<std::optional<PlaybookVersionRecord>> get_playbook_version(const std::string& id,
                                                                    std::int64_t version) override {
    std::lock_guard<std::mutex> lk(rmu_);
    return sqlite::get_playbook_version(rdb_, id, version);
  }

  Result<std::vector<PlaybookProtection>> list_protected_playbooks() override {
    std::lock_guard<std::mutex> lk(rmu_);
    return sqlite::list_protected_playbooks(rdb_);
  }

  Result<std::vector<MonitorEventRecord>> list_monitor_events(const SeqPage& page) override {
    std::lock_guard<std::mutex> lk(rmu_);
    return sqlite::list_monitor_events(rdb_, page);
  }

  Result<std::int64_t> last_monitor_event_seq() override {
    std::lock_guard<std::mutex> lk(rmu_);
    return sqlite::last_monitor_event_seq(rdb_);
  }

  Result<std::vector<MonitorTriggerRecord>> list_monitor_triggers() override {
    std::lock_guard<std::mutex> lk(rmu_);
    return sqlite::list_monitor_triggers(rdb_);
  }

  Result<std::unique_ptr<PlaybookWatch>> watch_playbooks() override {
    return sqlite::open_playbook_watch(options_.path);
  }

  Result<std::optional<CaseRecord>> get_case(const std::string& id) override {
    std::lock_guard<std::mutex> lk(rmu_);
    return sqlite::get_case(rdb_, id);
  }
  Result<std::vector<CaseRecord>> list_cases(const CaseFilter& filter) override {
    std::lock_guard<std::mutex> lk(rmu_);
    return sqlite::list_cases(rdb_, filter);
  }
  Result<std::vector<CaseTimelineEntry>> case_timeline(const std::string& case_id) override {
    std::lock_guard<std::mutex> lk(rmu_);
    return sqlite::case_timeline(rdb_, case_id);
  }
  Result<std::vector<CaseLink>> case_links(const std::string& case_id) override {
    std::lock_guard<std::mutex> lk(rmu_);
    return sqlite::case_links(rdb_, case_id);
  }
  Result<std::optional<CaseRecord>> correlated_case(const std::string& key,
                                                    std::int64_t at_ms) override {
    std::lock_guard<std::mutex> lk(rmu_);
    return sqlite::correlated_case(rdb_, key, at_ms);
  }
  Result<std::vector<CaseRecord>> cases_linked_to(const std::string& kind,
                                                  const std::string& ref) override {
    std::lock_guard<std::mutex> lk(rmu_);
    return sqlite::cases_linked_to(rdb_, kind, ref);
  }
  Result<std::vector<CaseTimes>> case_times(const CaseTimesFilter& filter) override {
    std::lock_guard<std::mutex> lk(rmu_);
    return sqlite::case_times(rdb_, filter);
  }
  Result<std::map<std::string, std::int64_t>> case_status_counts() override {
    std::lock_guard<std::mutex> lk(rmu_);
    return sqlite::case_status_counts(rdb_);
  }

  void close() override { writer_->close(); }

 private:

  static PlaybookRecord read_playbook(Stmt& s) {
    PlaybookRecord r;
    r.id = s.text(0);
    r.version = s.text(1);
    r.name = s.text(2);
    r.document = s.object(3);
    r.created_at_ms = s.int64(4);
    r.updated_at_ms = s.int64(5);
    return r;
  }

  static ExecutionRecord read_execution(Stmt& s) {
    ExecutionRecord r;
    r.id = s.text(0);
    r.playbook_id = s.text(1);
    r.playbook_version = s.text(2);
    parse_execution_status(s.text(3), &r.status);
    r.variables = s.object(4);
    r.trigger = s.object(5);
    r.error = s.text(6);
    r.created_at_ms = s.int64(7);
    r.finished_at_ms = s.int64(8);
    return r;
  }

  SqliteOptions options_;
  std::unique_ptr<sqlite::Writer> writer_;
  sqlite3* rdb_;

  std::mutex rmu_;  // serialises reads on rdb_

  // Writes after which a cached credential (or who it belongs to) may be
  // stale. RecordLogin only stamps last_login, which nothing authenticates by;
  // a new session cannot be stale, as only records found are cached.
  static bool changes_credentials(const WriteOp& op) {
    return std::holds_alternative<PutHook>(op) || std::holds_alternative<DeleteHook>(op) ||
           std::holds_alternative<PutApiKey>(op) || std::holds_alternative<DeleteApiKey>(op) ||
           std::holds_alternative<RevokeApiKey>(op) || std::holds_alternative<CreateUser>(op) ||
           std::holds_alternative<UpdateUser>(op) ||
           std::holds_alternative<DeleteSession>(op) ||
           std::holds_alternative<DeleteUserSessions>(op) ||
           std::holds_alternative<DeleteExpiredSessions>(op);
  }
  void forget_credentials() {
    hook_cache_.clear();
    key_cache_.clear();
    user_cache_.clear();
    session_cache_.clear();
  }
  ReadCache<HookRecord> hook_cache_;
  ReadCache<ApiKeyRecord> key_cache_;
  ReadCache<UserRecord> user_cache_;
  ReadCache<SessionRecord> session_cache_;
};

}  // namespace

Result<std::unique_ptr<Store>> open_sqlite_store(const SqliteOptions& options) {
  ATIO_ASSIGN_OR_RETURN(sqlite3* writer, open_connection(options));
  Status m = sqlite::migrate(writer);
  if (!m.is_ok()) {
    sqlite3_close(writer);
    return std::move(m).with_context(options.path);
  }
  auto reader = open_connection(options);
  if (!reader) {
    sqlite3_close(writer);
    return reader.status();
  }
  return std::unique_ptr<Store>(new SqliteStore(options, writer, *reader));
}

}  // namespace atio::store
