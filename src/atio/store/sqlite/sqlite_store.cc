#include "atio/store/sqlite/sqlite_store.h"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <condition_variable>
#include <deque>
#include <map>
#include <mutex>
#include <thread>

#include "atio/store/sqlite/db.h"
#include "atio/store/sqlite/schema.h"
#include "atio/store/sqlite/server_tables.h"

namespace atio::store {

namespace {

using sqlite::Stmt;

#define ATIO_SELECT_EXECUTION                                                               \
  "SELECT id, playbook_id, playbook_version, status, variables, trigger, error, created_at," \
  " finished_at FROM executions"

std::string to_text(const bj::object& o) { return bj::serialize(o); }

bj::object to_object(const std::string& text) {
  boost::system::error_code ec;
  bj::value v = bj::parse(text, ec);
  if (ec || !v.is_object()) return {};
  return std::move(v.get_object());
}

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

class SqliteStore final : public Store {
 public:
  SqliteStore(SqliteOptions o, sqlite3* writer, sqlite3* reader)
      : options_(std::move(o)), wdb_(writer), rdb_(reader) {
    thread_ = std::thread([this] { writer_loop(); });
  }

  ~SqliteStore() override {
    close();
    sqlite3_close(rdb_);
  }

  void submit(std::vector<WriteOp> ops, std::function<void(Status)> done) override {
    bool closed = false;
    {
      std::lock_guard<std::mutex> lk(mu_);
      closed = stopping_;
      if (!closed) queue_.push_back(Batch{std::move(ops), std::move(done)});
    }
    if (closed) {
      if (done) done(Status(Code::kUnavailable, "store is closed"));
      return;
    }
    cv_.notify_one();
  }

  Result<std::optional<PlaybookRecord>> get_playbook(const std::string& id) override {
    std::lock_guard<std::mutex> lk(rmu_);
    Stmt s(rdb_, "SELECT id, version, name, document, created_at, updated_at FROM playbooks WHERE id=?");
    s.bind(1, id);
    int rc = s.step();
    if (rc == SQLITE_DONE) return std::optional<PlaybookRecord>();
    if (rc != SQLITE_ROW) return sqlite::error_status(rdb_, "get playbook");
    return std::optional<PlaybookRecord>(read_playbook(s));
  }

  Result<std::vector<PlaybookRecord>> list_playbooks() override {
    std::lock_guard<std::mutex> lk(rmu_);
    Stmt s(rdb_, "SELECT id, version, name, document, created_at, updated_at FROM playbooks ORDER BY name, id");
    std::vector<PlaybookRecord> out;
    int rc;
    while ((rc = s.step()) == SQLITE_ROW) out.push_back(read_playbook(s));
    if (rc != SQLITE_DONE) return sqlite::error_status(rdb_, "list playbooks");
    return out;
  }

  Result<std::optional<ExecutionRecord>> get_execution(const std::string& id) override {
    std::lock_guard<std::mutex> lk(rmu_);
    Stmt s(rdb_, ATIO_SELECT_EXECUTION " WHERE id=?");
    s.bind(1, id);
    int rc = s.step();
    if (rc == SQLITE_DONE) return std::optional<ExecutionRecord>();
    if (rc != SQLITE_ROW) return sqlite::error_status(rdb_, "get execution");
    return std::optional<ExecutionRecord>(read_execution(s));
  }

  Result<std::vector<ExecutionRecord>> list_executions(const ExecutionFilter& f) override {
    std::lock_guard<std::mutex> lk(rmu_);
    Stmt s(rdb_, ATIO_SELECT_EXECUTION
           " WHERE (?1 = '' OR playbook_id = ?1) AND (?2 = '' OR status = ?2)"
           " AND (?3 = '' OR seq < (SELECT seq FROM executions WHERE id = ?3))"
           " ORDER BY seq DESC LIMIT ?4");
    s.bind(1, f.playbook_id);
    s.bind(2, std::string_view(f.status ? to_string(*f.status) : ""));
    s.bind(3, f.after_id);
    s.bind(4, f.limit);
    std::vector<ExecutionRecord> out;
    int rc;
    while ((rc = s.step()) == SQLITE_ROW) out.push_back(read_execution(s));
    if (rc != SQLITE_DONE) return sqlite::error_status(rdb_, "list executions");
    return out;
  }

  Result<std::vector<ExecutionRecord>> unfinished_executions() override {
    std::lock_guard<std::mutex> lk(rmu_);
    Stmt s(rdb_, ATIO_SELECT_EXECUTION " WHERE status IN ('pending','running') ORDER BY seq");
    std::vector<ExecutionRecord> out;
    int rc;
    while ((rc = s.step()) == SQLITE_ROW) out.push_back(read_execution(s));
    if (rc != SQLITE_DONE) return sqlite::error_status(rdb_, "unfinished executions");
    return out;
  }

  Result<std::vector<StepRecord>> get_steps(const std::string& execution_id) override {
    std::lock_guard<std::mutex> lk(rmu_);
    Stmt s(rdb_,
           "SELECT execution_id, step_key, step_id, step_type, status, started_at, finished_at,"
           " inputs, outputs, variables, branch, error FROM steps WHERE execution_id=? ORDER BY seq");
    s.bind(1, execution_id);
    std::vector<StepRecord> out;
    int rc;
    while ((rc = s.step()) == SQLITE_ROW) {
      StepRecord r;
      r.execution_id = s.text(0);
      r.step_key = s.text(1);
      r.step_id = s.text(2);
      r.step_type = s.text(3);
      parse_step_status(s.text(4), &r.status);
      r.started_at_ms = s.int64(5);
      r.finished_at_ms = s.int64(6);
      r.inputs = to_object(s.text(7));
      r.outputs = to_object(s.text(8));
      r.variables = to_object(s.text(9));
      r.branch = s.text(10);
      r.error = s.text(11);
      out.push_back(std::move(r));
    }
    if (rc != SQLITE_DONE) return sqlite::error_status(rdb_, "get steps");
    return out;
  }

  Result<std::optional<ApiKeyRecord>> find_api_key(const std::string& key_hash) override {
    std::lock_guard<std::mutex> lk(rmu_);
    return sqlite::find_api_key(rdb_, key_hash);
  }
  Result<std::vector<ApiKeyRecord>> list_api_keys() override {
    std::lock_guard<std::mutex> lk(rmu_);
    return sqlite::list_api_keys(rdb_);
  }
  Result<std::optional<HookRecord>> get_hook(const std::string& id) override {
    std::lock_guard<std::mutex> lk(rmu_);
    return sqlite::get_hook(rdb_, id);
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

  void close() override {
    {
      std::lock_guard<std::mutex> lk(mu_);
      if (stopping_ && !thread_.joinable()) return;
      stopping_ = true;
    }
    cv_.notify_one();
    if (thread_.joinable()) thread_.join();
    if (wdb_) {
      wstmts_.reset();
      sqlite3_close(wdb_);
      wdb_ = nullptr;
    }
  }

 private:

  struct Batch {
    std::vector<WriteOp> ops;
    std::function<void(Status)> done;
  };

  // Prepared once on the writer connection; used only by the writer thread.
  struct WriterStmts {
    explicit WriterStmts(sqlite3* db)
        : put_playbook(db,
                       "INSERT INTO playbooks(id, version, name, document, created_at, updated_at)"
                       " VALUES(?,?,?,?,?,?) ON CONFLICT(id) DO UPDATE SET version=excluded.version,"
                       " name=excluded.name, document=excluded.document, updated_at=excluded.updated_at"),
          delete_playbook(db, "DELETE FROM playbooks WHERE id=?"),
          insert_execution(db,
                           "INSERT INTO executions(id, playbook_id, playbook_version, status,"
                           " variables, trigger, error, created_at, finished_at)"
                           " VALUES(?,?,?,?,?,?,?,?,?)"),
          finish_execution(db, "UPDATE executions SET status=?, error=?, finished_at=? WHERE id=?"),
          running_execution(db,
                            "UPDATE executions SET status='running' WHERE id=? AND status='pending'"),
          put_step(db,
                   "INSERT INTO steps(execution_id, step_key, step_id, step_type, status,"
                   " started_at, finished_at, inputs, outputs, variables, branch, error)"
                   " VALUES(?,?,?,?,?,?,?,?,?,?,?,?) ON CONFLICT(execution_id, step_key) DO UPDATE"
                   " SET status=excluded.status, started_at=excluded.started_at,"
                   " finished_at=excluded.finished_at, inputs=excluded.inputs,"
                   " outputs=excluded.outputs, variables=excluded.variables,"
                   " branch=excluded.branch, error=excluded.error"),
          begin(db, "BEGIN IMMEDIATE"),
          commit(db, "COMMIT"),
          rollback(db, "ROLLBACK"),
          savepoint(db, "SAVEPOINT batch"),
          release(db, "RELEASE batch"),
          rollback_to(db, "ROLLBACK TO batch") {}
    Stmt put_playbook, delete_playbook, insert_execution, finish_execution, running_execution,
        put_step, begin, commit, rollback, savepoint, release, rollback_to;
  };

  static PlaybookRecord read_playbook(Stmt& s) {
    PlaybookRecord r;
    r.id = s.text(0);
    r.version = s.text(1);
    r.name = s.text(2);
    r.document = to_object(s.text(3));
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
    r.variables = to_object(s.text(4));
    r.trigger = to_object(s.text(5));
    r.error = s.text(6);
    r.created_at_ms = s.int64(7);
    r.finished_at_ms = s.int64(8);
    return r;
  }

  // Runs one statement to completion and resets it.
  Status run(Stmt& s, const char* what) {
    int rc = s.step();
    s.reset();
    if (rc != SQLITE_DONE && rc != SQLITE_ROW) return sqlite::error_status(wdb_, what);
    return Status();
  }

  Status apply(const WriteOp& op) {
    WriterStmts& w = *wstmts_;
    return std::visit(
        [&](const auto& o) -> Status {
          using T = std::decay_t<decltype(o)>;
          if constexpr (std::is_same_v<T, PutPlaybook>) {
            const auto& p = o.playbook;
            w.put_playbook.bind(1, p.id).bind(2, p.version).bind(3, p.name)
                .bind(4, to_text(p.document)).bind(5, p.created_at_ms).bind(6, p.updated_at_ms);
            return run(w.put_playbook, "put playbook");
          } else if constexpr (std::is_same_v<T, DeletePlaybook>) {
            w.delete_playbook.bind(1, o.id);
            return run(w.delete_playbook, "delete playbook");
          } else if constexpr (std::is_same_v<T, InsertExecution>) {
            const auto& e = o.execution;
            w.insert_execution.bind(1, e.id).bind(2, e.playbook_id).bind(3, e.playbook_version)
                .bind(4, std::string_view(to_string(e.status))).bind(5, to_text(e.variables))
                .bind(6, to_text(e.trigger)).bind(7, e.error).bind(8, e.created_at_ms)
                .bind(9, e.finished_at_ms);
            return run(w.insert_execution, "insert execution");
          } else if constexpr (std::is_same_v<T, FinishExecution>) {
            w.finish_execution.bind(1, std::string_view(to_string(o.status))).bind(2, o.error)
                .bind(3, o.finished_at_ms).bind(4, o.id);
            return run(w.finish_execution, "finish execution");
          } else if constexpr (std::is_same_v<T, MarkExecutionRunning>) {
            w.running_execution.bind(1, o.id);
            return run(w.running_execution, "mark execution running");
          } else if constexpr (!std::is_same_v<T, PutStep>) {
            return sqlite::apply_op(wdb_, o);  // the server's tables (server_tables.cc)
          } else {
            const auto& s = o.step;
            w.put_step.bind(1, s.execution_id).bind(2, s.step_key).bind(3, s.step_id)
                .bind(4, s.step_type).bind(5, std::string_view(to_string(s.status)))
                .bind(6, s.started_at_ms).bind(7, s.finished_at_ms).bind(8, to_text(s.inputs))
                .bind(9, to_text(s.outputs)).bind(10, to_text(s.variables)).bind(11, s.branch)
                .bind(12, s.error);
            return run(w.put_step, "put step");
          }
        },
        op);
  }

  // Applies a group of batches in one transaction, each batch in a savepoint
  // so one failing batch does not fail the others.
  void commit_group(std::vector<Batch>& group) {
    WriterStmts& w = *wstmts_;
    std::vector<Status> results(group.size());
    // A step's "running" record superseded by its end in the same group is
    // not written: the end record carries the start time too. Same for an
    // execution marked running and finished in one group.
    std::map<std::string, const WriteOp*> last;
    for (const auto& b : group) {
      for (const auto& op : b.ops) {
        if (const auto* ps = std::get_if<PutStep>(&op)) {
          last[ps->step.execution_id + '\0' + ps->step.step_key] = &op;
        } else if (const auto* fe = std::get_if<FinishExecution>(&op)) {
          last[fe->id] = &op;
        }
      }
    }
    auto superseded = [&](const WriteOp& op) {
      if (const auto* ps = std::get_if<PutStep>(&op)) {
        return last[ps->step.execution_id + '\0' + ps->step.step_key] != &op;
      }
      if (const auto* mr = std::get_if<MarkExecutionRunning>(&op)) {
        auto it = last.find(mr->id);
        return it != last.end();
      }
      return false;
    };
    Status tx = run(w.begin, "begin");
    if (tx.is_ok()) {
      for (std::size_t i = 0; i < group.size(); ++i) {
        Status s = run(w.savepoint, "savepoint");
        for (const auto& op : group[i].ops) {
          if (!s.is_ok()) break;
          if (superseded(op)) continue;
          s = apply(op);
        }
        if (s.is_ok()) {
          s = run(w.release, "release");
        } else {
          (void)run(w.rollback_to, "rollback to");
          (void)run(w.release, "release");
        }
        results[i] = std::move(s);
      }
      tx = run(w.commit, "commit");
      if (!tx.is_ok()) (void)run(w.rollback, "rollback");
    }
    for (std::size_t i = 0; i < group.size(); ++i) {
      if (group[i].done) group[i].done(tx.is_ok() ? results[i] : tx);
    }
  }

  void writer_loop() {
    wstmts_ = std::make_unique<WriterStmts>(wdb_);
    std::vector<Batch> group;
    for (;;) {
      {
        std::unique_lock<std::mutex> lk(mu_);
        cv_.wait(lk, [this] { return stopping_ || !queue_.empty(); });
        if (queue_.empty() && stopping_) return;
        while (!queue_.empty() && group.size() < options_.max_batches_per_commit) {
          group.push_back(std::move(queue_.front()));
          queue_.pop_front();
        }
      }
      commit_group(group);
      group.clear();
    }
  }

  SqliteOptions options_;
  sqlite3* wdb_;
  sqlite3* rdb_;
  std::unique_ptr<WriterStmts> wstmts_;

  std::mutex mu_;  // guards queue_, stopping_
  std::condition_variable cv_;
  std::deque<Batch> queue_;
  bool stopping_ = false;
  std::thread thread_;

  std::mutex rmu_;  // serialises reads on rdb_
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
