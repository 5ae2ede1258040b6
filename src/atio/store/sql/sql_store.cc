#include "atio/store/sql/sql_store.h"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <chrono>
#include <condition_variable>
#include <map>
#include <mutex>

#include "atio/store/sql/audit_tables.h"
#include "atio/store/sql/case_tables.h"
#include "atio/store/sql/enrich_tables.h"
#include "atio/store/sql/large_output_tables.h"
#include "atio/store/sql/monitor_tables.h"
#include "atio/store/sql/node_tables.h"
#include "atio/store/sql/signal_tables.h"
#include "atio/store/sql/secret_tables.h"
#include "atio/store/sql/server_tables.h"
#include "atio/store/sql/user_tables.h"
#include "atio/store/step_json.h"

namespace atio::store::sql {

namespace {

#define ATIO_SELECT_PLAYBOOK \
  "SELECT id, version, name, document, created_at, updated_at FROM playbooks"
#define ATIO_SELECT_EXECUTION                                                               \
  "SELECT id, playbook_id, playbook_version, status, variables, trigger, error, created_at," \
  " finished_at, owner FROM executions"

// Reader connections, each used by one thread at a time. A connection that
// broke (the server restarted) is replaced on its next lease.
class ReaderPool {
 public:
  ReaderPool(std::function<Result<std::unique_ptr<Conn>>()> open, std::size_t size,
             std::unique_ptr<Conn> first)
      : open_(std::move(open)), size_(std::max<std::size_t>(size, 1)) {
    idle_.push_back(std::move(first));
    opened_ = 1;
  }

  // Calls `f(Conn*)` on a leased connection; its Result, or why no
  // connection could be had.
  template <typename F>
  auto with(F f) -> decltype(f(static_cast<Conn*>(nullptr))) {
    std::unique_ptr<Conn> c;
    {
      std::unique_lock<std::mutex> lk(mu_);
      cv_.wait(lk, [this] { return !idle_.empty() || opened_ < size_; });
      if (!idle_.empty()) {
        c = std::move(idle_.back());
        idle_.pop_back();
      } else {
        ++opened_;  // a slot for a new connection, opened outside the lock
      }
    }
    if (!c || c->broken()) {
      auto fresh = open_();
      if (!fresh.is_ok()) {
        give_back(nullptr);
        return fresh.status();
      }
      c = std::move(*fresh);
    }
    auto r = f(c.get());
    give_back(std::move(c));
    return r;
  }

 private:
  void give_back(std::unique_ptr<Conn> c) {
    {
      std::lock_guard<std::mutex> lk(mu_);
      if (c) {
        idle_.push_back(std::move(c));
      } else {
        --opened_;
      }
    }
    cv_.notify_one();
  }

  std::function<Result<std::unique_ptr<Conn>>()> open_;
  const std::size_t size_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<std::unique_ptr<Conn>> idle_;
  std::size_t opened_ = 0;  // idle + leased + being opened
};

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

class SqlStore final : public Store {
 public:
  SqlStore(SqlStoreParts parts, std::unique_ptr<Conn> first_reader)
      : writer_(std::move(parts.writer)),
        readers_(std::move(parts.open_reader), parts.readers, std::move(first_reader)),
        open_watch_(std::move(parts.open_watch)),
        open_listener_(std::move(parts.open_listener)) {}

  ~SqlStore() override { close(); }

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
    return read([&](Conn* db) {
      Stmt s(db, ATIO_SELECT_PLAYBOOK " WHERE id=?");
      s.bind(1, id);
      return first(query<PlaybookRecord>(db, s, "get playbook", read_playbook));
    });
  }

  Result<std::vector<PlaybookRecord>> list_playbooks() override {
    return read([&](Conn* db) {
      Stmt s(db, ATIO_SELECT_PLAYBOOK " ORDER BY name, id");
      return query<PlaybookRecord>(db, s, "list playbooks", read_playbook);
    });
  }

  Result<std::optional<ExecutionRecord>> get_execution(const std::string& id) override {
    return read([&](Conn* db) {
      Stmt s(db, ATIO_SELECT_EXECUTION " WHERE id=?");
      s.bind(1, id);
      return first(query<ExecutionRecord>(db, s, "get execution", read_execution));
    });
  }

  Result<std::vector<ExecutionRecord>> list_executions(const ExecutionFilter& f) override {
    return read([&](Conn* db) {
    Stmt s(db, ATIO_SELECT_EXECUTION
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
    return query<ExecutionRecord>(db, s, "list executions", read_execution);
    });
  }

  Result<std::vector<ExecutionRecord>> unfinished_executions() override {
    return read([&](Conn* db) {
      Stmt s(db, ATIO_SELECT_EXECUTION " WHERE status IN ('pending','running') ORDER BY seq");
      return query<ExecutionRecord>(db, s, "unfinished executions", read_execution);
    });
  }

  Result<std::vector<StepRecord>> get_steps(const std::string& execution_id) override {
    return read([&](Conn* db) -> Result<std::vector<StepRecord>> {
      Stmt s(db, "SELECT records FROM step_journal WHERE execution_id=? ORDER BY seq");
      if (!s.ok()) return error_status(db, "get steps");
      s.bind(1, execution_id);
      std::vector<StepRecord> records;
      int rc;
      while ((rc = s.step()) == kRow) {
        ATIO_RETURN_IF_ERROR(decode_step_records(s.text(0), execution_id, &records));
      }
      if (rc != kDone) return error_status(db, "get steps");
      return latest_per_step(std::move(records));
    });
  }

  // Hooks and API keys are read on every request: served from caches that
  // every write to them clears.
  Result<std::optional<ApiKeyRecord>> find_api_key(const std::string& key_hash) override {
    return key_cache_.get(key_hash, [&] {
      return read([&](Conn* db) { return sql::find_api_key(db, key_hash); });
    });
  }
  Result<std::optional<ApiKeyRecord>> get_api_key(const std::string& id) override {
    return read([&](Conn* db) { return sql::get_api_key(db, id); });
  }
  Result<std::optional<UserRecord>> get_user(const std::string& id) override {
    return user_cache_.get(id, [&] {
      return read([&](Conn* db) { return sql::get_user(db, id); });
    });
  }
  Result<std::optional<UserRecord>> find_user(const std::string& name) override {
    return read([&](Conn* db) { return sql::find_user(db, name); });
  }
  Result<std::vector<UserRecord>> list_users() override {
    return read([&](Conn* db) { return sql::list_users(db); });
  }
  Result<std::optional<SessionRecord>> find_session(const std::string& token_hash) override {
    return session_cache_.get(token_hash, [&] {
      return read([&](Conn* db) { return sql::find_session(db, token_hash); });
    });
  }
  Result<std::vector<ApiKeyRecord>> list_api_keys() override {
    return read([&](Conn* db) { return sql::list_api_keys(db); });
  }
  Result<std::optional<HookRecord>> get_hook(const std::string& id) override {
    return hook_cache_.get(id, [&] {
      return read([&](Conn* db) { return sql::get_hook(db, id); });
    });
  }
  Result<std::vector<HookRecord>> list_hooks() override {
    return read([&](Conn* db) { return sql::list_hooks(db); });
  }
  Result<std::optional<ScheduleRecord>> get_schedule(const std::string& id) override {
    return read([&](Conn* db) { return sql::get_schedule(db, id); });
  }
  Result<std::vector<ScheduleRecord>> list_schedules() override {
    return read([&](Conn* db) { return sql::list_schedules(db); });
  }

  Result<std::vector<NodeRecord>> list_nodes() override {
    return read([&](Conn* db) { return sql::list_nodes(db); });
  }

  Result<std::vector<ManualWaitRecord>> list_manual_waits(const std::string& execution_id) override {
    return read([&](Conn* db) { return sql::list_manual_waits(db, execution_id); });
  }
  Result<std::vector<SignalRecord>> pending_signals(const std::string& owner) override {
    return read([&](Conn* db) { return sql::pending_signals(db, owner); });
  }
  Result<std::optional<SignalRecord>> get_signal(const std::string& id) override {
    return read([&](Conn* db) { return sql::get_signal(db, id); });
  }

  Result<std::optional<LargeOutputRecord>> get_large_output(const std::string& id) override {
    return read([&](Conn* db) { return sql::get_large_output(db, id); });
  }
  Result<std::string> read_large_output(const std::string& id, std::int64_t offset,
                                        std::int64_t length) override {
    return read([&](Conn* db) { return sql::read_large_output(db, id, offset, length); });
  }

  Result<std::vector<AssetRecord>> list_assets() override {
    return read([&](Conn* db) { return sql::list_assets(db); });
  }

  Result<std::optional<AssetRecord>> get_asset(const std::string& id) override {
    return read([&](Conn* db) { return sql::get_asset(db, id); });
  }

  Result<std::optional<SecretRecord>> get_secret(const std::string& name) override {
    return read([&](Conn* db) { return sql::get_secret(db, name); });
  }

  Result<std::vector<SecretRecord>> list_secrets() override {
    return read([&](Conn* db) { return sql::list_secrets(db); });
  }

  Result<std::optional<bj::value>> get_setting(const std::string& name) override {
    return read([&](Conn* db) { return sql::get_setting(db, name); });
  }

  Result<std::optional<SightingRecord>> get_sighting(const std::string& detection_id) override {
    return read([&](Conn* db) { return sql::get_sighting(db, detection_id); });
  }

  Result<std::vector<SightingRecord>> recent_sightings(const std::string& since,
                                                       std::int64_t limit) override {
    return read([&](Conn* db) { return sql::recent_sightings(db, since, limit); });
  }

  Result<std::vector<std::int64_t>> asset_importances(const std::string& asset_id,
                                                      const std::string& since) override {
    return read([&](Conn* db) { return sql::asset_importances(db, asset_id, since); });
  }

  Result<std::vector<AuditRecord>> list_audit(const AuditFilter& filter) override {
    return read([&](Conn* db) { return sql::list_audit(db, filter); });
  }

  Result<std::optional<AuditRecord>> get_audit(std::int64_t seq) override {
    return read([&](Conn* db) { return sql::get_audit(db, seq); });
  }

  Result<AuditHead> audit_head() override {
    return read([&](Conn* db) { return sql::audit_head(db); });
  }

  Result<std::vector<AuditCheckpoint>> list_audit_checkpoints(std::int64_t after_seq,
                                                              std::int64_t limit) override {
    return read([&](Conn* db) { return sql::list_audit_checkpoints(db, after_seq, limit); });
  }

  Result<std::vector<PlaybookVersionRecord>> list_playbook_versions(const std::string& id,
                                                                    bool with_documents) override {
    return read([&](Conn* db) { return sql::list_playbook_versions(db, id, with_documents); });
  }

  Result<std::optional<PlaybookVersionRecord>> get_playbook_version(const std::string& id,
                                                                    std::int64_t version) override {
    return read([&](Conn* db) { return sql::get_playbook_version(db, id, version); });
  }

  Result<std::vector<PlaybookProtection>> list_protected_playbooks() override {
    return read([&](Conn* db) { return sql::list_protected_playbooks(db); });
  }

  Result<std::vector<MonitorEventRecord>> list_monitor_events(const SeqPage& page) override {
    return read([&](Conn* db) { return sql::list_monitor_events(db, page); });
  }

  Result<std::int64_t> last_monitor_event_seq() override {
    return read([&](Conn* db) { return sql::last_monitor_event_seq(db); });
  }

  Result<std::vector<MonitorTriggerRecord>> list_monitor_triggers() override {
    return read([&](Conn* db) { return sql::list_monitor_triggers(db); });
  }

  Result<std::unique_ptr<PlaybookWatch>> watch_playbooks() override {
    return open_watch_();
  }

  Result<std::unique_ptr<Listener>> listen(const std::vector<std::string>& channels) override {
    if (!open_listener_) return std::unique_ptr<Listener>();
    return open_listener_(channels);
  }

  Result<std::optional<CaseRecord>> get_case(const std::string& id) override {
    return read([&](Conn* db) { return sql::get_case(db, id); });
  }
  Result<std::vector<CaseRecord>> list_cases(const CaseFilter& filter) override {
    return read([&](Conn* db) { return sql::list_cases(db, filter); });
  }
  Result<std::vector<CaseTimelineEntry>> case_timeline(const std::string& case_id) override {
    return read([&](Conn* db) { return sql::case_timeline(db, case_id); });
  }
  Result<std::vector<CaseLink>> case_links(const std::string& case_id) override {
    return read([&](Conn* db) { return sql::case_links(db, case_id); });
  }
  Result<std::optional<CaseRecord>> correlated_case(const std::string& key,
                                                    std::int64_t at_ms) override {
    return read([&](Conn* db) { return sql::correlated_case(db, key, at_ms); });
  }
  Result<std::vector<CaseRecord>> cases_linked_to(const std::string& kind,
                                                  const std::string& ref) override {
    return read([&](Conn* db) { return sql::cases_linked_to(db, kind, ref); });
  }
  Result<std::vector<CaseTimes>> case_times(const CaseTimesFilter& filter) override {
    return read([&](Conn* db) { return sql::case_times(db, filter); });
  }
  Result<std::map<std::string, std::int64_t>> case_status_counts() override {
    return read([&](Conn* db) { return sql::case_status_counts(db); });
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
    r.owner = s.text(9);
    return r;
  }

  template <typename F>
  auto read(F f) -> decltype(f(static_cast<Conn*>(nullptr))) {
    return readers_.with(std::move(f));
  }

  std::unique_ptr<Writer> writer_;
  ReaderPool readers_;
  std::function<Result<std::unique_ptr<PlaybookWatch>>()> open_watch_;
  std::function<Result<std::unique_ptr<Listener>>(const std::vector<std::string>&)>
      open_listener_;

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

Result<std::unique_ptr<Store>> make_sql_store(SqlStoreParts parts) {
  ATIO_ASSIGN_OR_RETURN(std::unique_ptr<Conn> first, parts.open_reader());
  return std::unique_ptr<Store>(new SqlStore(std::move(parts), std::move(first)));
}

}  // namespace atio::store::sql
