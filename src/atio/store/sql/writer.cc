#include "atio/store/sql/writer.h"
#include "atio/core/clock.h"
#include "atio/core/thread_name.h"

#include <boost/json/serialize.hpp>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <string_view>
#include <unordered_map>
#include <mutex>
#include <thread>

#include "atio/store/sql/audit_tables.h"
#include "atio/store/sql/case_tables.h"
#include "atio/store/sql/conn.h"
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

std::string to_text(const bj::object& o) { return bj::serialize(o); }

// JSON columns of one op, serialised by the submitting thread. A step record
// is encoded whole (step_json.h); its JSON members are moved out of the op,
// so their memory is freed by the submitter, not by the writer thread.
struct Encoded {
  std::string a, b;
};

Encoded encode(WriteOp& op) {
  Encoded e;
  if (auto* ps = std::get_if<PutStep>(&op)) {
    e.a = encode_step_record(std::move(ps->step));
  } else if (auto* ie = std::get_if<InsertExecution>(&op)) {
    e.a = to_text(ie->execution.variables);
    e.b = to_text(ie->execution.trigger);
    bj::object().swap(ie->execution.variables);
    bj::object().swap(ie->execution.trigger);
  } else if (auto* pp = std::get_if<PutPlaybook>(&op)) {
    e.a = to_text(pp->playbook.document);
    bj::object().swap(pp->playbook.document);
  }
  return e;
}

struct Batch {
  std::vector<WriteOp> ops;
  std::vector<Encoded> encoded;  // parallel to ops
  std::function<void(Status)> done;
};

// Prepared once on the writer connection; used only by the writer thread.
struct Stmts {
  Stmts(Conn* db, const char* begin_sql)
      : put_playbook(db,
                     "INSERT INTO playbooks(id, version, name, document, created_at, updated_at)"
                     " VALUES(?,?,?,?,?,?) ON CONFLICT(id) DO UPDATE SET version=excluded.version,"
                     " name=excluded.name, document=excluded.document, updated_at=excluded.updated_at"),
        delete_playbook(db, "DELETE FROM playbooks WHERE id=?"),
        insert_execution(db,
                         "INSERT INTO executions(id, playbook_id, playbook_version, status,"
                         " variables, trigger, error, created_at, finished_at, owner)"
                         " VALUES(?,?,?,?,?,?,?,?,?,?)"),
        // ?5 = '': a write of no node, unfenced (store.h).
        finish_execution(db,
                         "UPDATE executions SET status=?1, error=?2, finished_at=?3"
                         " WHERE id=?4 AND (?5 = '' OR owner=?5)"),
        running_execution(db,
                          "UPDATE executions SET status='running' WHERE id=?1 AND status='pending'"
                          " AND (?2 = '' OR owner=?2)"),
        put_steps(db, "INSERT INTO step_journal(execution_id, records) VALUES(?,?)"),
        put_steps_owned(db,
                        "INSERT INTO step_journal(execution_id, records) SELECT ?1, ?2"
                        " WHERE EXISTS (SELECT 1 FROM executions WHERE id=?1 AND owner=?3)"),
        owned(db, "SELECT 1 FROM executions WHERE id=? AND owner=?"),
        begin(db, begin_sql),
        commit(db, "COMMIT"),
        rollback(db, "ROLLBACK"),
        savepoint(db, "SAVEPOINT batch"),
        release(db, "RELEASE batch"),
        rollback_to(db, "ROLLBACK TO batch") {}
  Stmt put_playbook, delete_playbook, insert_execution, finish_execution, running_execution,
      put_steps, put_steps_owned, owned, begin, commit, rollback, savepoint, release, rollback_to;
};

}  // namespace

struct Writer::Impl {
  std::unique_ptr<Conn> conn;
  Conn* db;
  WriterOptions options;
  std::size_t max_batches;
  std::unique_ptr<Stmts> stmts;
  AuditCheckpointPolicy& audit = options.audit;
  std::int64_t last_audit_checkpoint_ms = 0;  // writer thread only

  std::mutex mu;  // guards queue, stopping
  std::condition_variable cv;
  std::deque<Batch> queue;
  bool stopping = false;
  bool closed = false;
  std::thread thread;

  // Committed groups wait here for their callbacks, which run on the
  // completer thread: callbacks answer requests and start work, and the
  // group's memory is freed there too, all off the single writer's path.
  struct Committed {
    std::vector<Batch> group;
    std::vector<Status> results;
  };
  std::mutex done_mu;  // guards done_queue, done_stop
  std::condition_variable done_cv;
  std::deque<Committed> done_queue;
  bool done_stop = false;
  std::thread completer;

  // Reconnection (writer thread only).
  std::chrono::milliseconds backoff{50};
  std::chrono::steady_clock::time_point next_reopen{};

  std::mutex ck_mu;  // guards ck_stop
  std::condition_variable ck_cv;
  bool ck_stop = false;
  std::thread maintainer;

  // Runs one statement to completion and resets it.
  Status run(Stmt& s, const char* what) {
    int rc = s.step();
    s.reset();
    if (rc != kDone && rc != kRow) return error_status(db, what);
    return Status();
  }

  // A journal row; fenced by `owner` when not "" (store.h).
  Status put_steps(const std::string& execution_id, const std::string& records,
                   const std::string& owner) {
    if (owner.empty()) {
      stmts->put_steps.bind_ref(1, execution_id).bind_ref(2, records);
      return run(stmts->put_steps, "put steps");
    }
    stmts->put_steps_owned.bind_ref(1, execution_id).bind_ref(2, records).bind_ref(3, owner);
    ATIO_RETURN_IF_ERROR(run(stmts->put_steps_owned, "put steps"));
    if (db->changes() == 0) return ownership_lost(execution_id);
    return Status();
  }

  // An UPDATE of an execution fenced by `owner`: it changed nothing when the
  // execution is another node's now (or gone, or not in the state asked).
  Status fenced(Stmt& s, const char* what, const std::string& id, const std::string& owner) {
    ATIO_RETURN_IF_ERROR(run(s, what));
    if (owner.empty() || db->changes() > 0) return Status();
    stmts->owned.bind_ref(1, id).bind_ref(2, owner);
    const int rc = stmts->owned.step();
    stmts->owned.reset();
    if (rc == kRow) return Status();  // still ours; the state made it a no-op
    if (rc != kDone) return error_status(db, what);
    return ownership_lost(id);
  }

  // Strings bound here live in the batch until the statement has run.
  Status apply(const WriteOp& op, const Encoded& e) {
    Stmts& w = *stmts;
    return std::visit(
        [&](const auto& o) -> Status {
          using T = std::decay_t<decltype(o)>;
          if constexpr (std::is_same_v<T, PutPlaybook>) {
            const auto& p = o.playbook;
            w.put_playbook.bind_ref(1, p.id).bind_ref(2, p.version).bind_ref(3, p.name).bind_ref(4, e.a)
                .bind_ref(5, p.created_at_ms).bind_ref(6, p.updated_at_ms);
            return run(w.put_playbook, "put playbook");
          } else if constexpr (std::is_same_v<T, DeletePlaybook>) {
            w.delete_playbook.bind_ref(1, o.id);
            return run(w.delete_playbook, "delete playbook");
          } else if constexpr (std::is_same_v<T, InsertExecution>) {
            const auto& x = o.execution;
            w.insert_execution.bind_ref(1, x.id).bind_ref(2, x.playbook_id).bind_ref(3, x.playbook_version)
                .bind_ref(4, std::string_view(to_string(x.status))).bind_ref(5, e.a).bind_ref(6, e.b)
                .bind_ref(7, x.error).bind_ref(8, x.created_at_ms).bind_ref(9, x.finished_at_ms)
                .bind_ref(10, x.owner);
            return run(w.insert_execution, "insert execution");
          } else if constexpr (std::is_same_v<T, FinishExecution>) {
            w.finish_execution.bind_ref(1, std::string_view(to_string(o.status))).bind_ref(2, o.error)
                .bind_ref(3, o.finished_at_ms).bind_ref(4, o.id).bind_ref(5, o.owner);
            return fenced(w.finish_execution, "finish execution", o.id, o.owner);
          } else if constexpr (std::is_same_v<T, MarkExecutionRunning>) {
            w.running_execution.bind_ref(1, o.id).bind_ref(2, o.owner);
            return fenced(w.running_execution, "mark execution running", o.id, o.owner);
          } else if constexpr (std::is_same_v<T, AppendAudit>) {
            bool checkpointed = false;
            const std::int64_t now = wall_ms();
            Status st = apply_op(db, o, audit, now, &checkpointed);
            if (checkpointed) last_audit_checkpoint_ms = now;
            return st;
          } else if constexpr (std::is_same_v<T, CheckpointAudit>) {
            bool checkpointed = false;
            const std::int64_t now = wall_ms();
            Status st = checkpoint_audit(db, audit, now, &checkpointed);
            if (checkpointed) last_audit_checkpoint_ms = now;
            return st;
          } else if constexpr (std::is_same_v<T, WriteCase>) {
            // The case and its audit record in one savepoint (commit_group):
            // neither without the other.
            ATIO_RETURN_IF_ERROR(apply_op(db, o));
            bool checkpointed = false;
            const std::int64_t now = wall_ms();
            Status st = apply_op(db, AppendAudit{o.audit}, audit, now, &checkpointed);
            if (checkpointed) last_audit_checkpoint_ms = now;
            return st;
          } else if constexpr (std::is_same_v<T, PutStep>) {
            // A step record in a batch with other ops: a row of its own.
            const std::string row = "[" + e.a + "]";
            return put_steps(o.step.execution_id, row, o.owner);
          } else {
            return apply_op(db, o);  // server_, user_, enrich_, large_output_, ..._tables.cc
          }
        },
        op);
  }

  // Applies a group of batches in one transaction. A batch that is one step
  // record (what the engine submits) joins the other records of its
  // execution in this group: one journal row per execution per commit. Any
  // other batch runs in a savepoint of its own, so one failing batch does not
  // fail the others.
  // Returns each batch's result. `isolate_all`: every batch in a savepoint
  // of its own, step records too (see commit()).
  std::vector<Status> commit_group(std::vector<Batch>& group, bool isolate_all,
                                   bool* unisolated_failure) {
    *unisolated_failure = false;
    std::vector<Status> results(group.size());
    // A step's "running" record superseded by its end in the same group is
    // not written: the end record carries the start time too. Same for an
    // execution marked running and finished in one group.
    std::unordered_map<std::string, const WriteOp*> last;
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
        return last.find(mr->id) != last.end();
      }
      return false;
    };
    struct Rows {
      std::string records;             // JSON array being built
      std::vector<std::size_t> batches;  // which batches it carries
      const std::string* owner;          // of the first record: one node writes an execution
    };
    std::vector<std::pair<const std::string*, Rows>> rows;  // in first-seen order
    std::unordered_map<std::string_view, std::size_t> row_of;
    Status tx = run(stmts->begin, "begin");
    if (tx.is_ok()) {
      for (std::size_t i = 0; i < group.size(); ++i) {
        Batch& b = group[i];
        if (b.ops.size() == 1 && !isolate_all) {
          if (const auto* ps = std::get_if<PutStep>(&b.ops[0])) {
            if (superseded(b.ops[0])) continue;
            const std::string& id = ps->step.execution_id;
            auto [it, fresh] = row_of.emplace(id, rows.size());
            if (fresh) rows.push_back({&id, Rows{"[", {}, &ps->owner}});
            Rows& r = rows[it->second].second;
            if (r.records.size() > 1) r.records += ',';
            r.records += b.encoded[0].a;
            r.batches.push_back(i);
            continue;
          }
          // One statement is atomic by itself: no savepoint needed. An
          // audit record may bring a checkpoint along, and a case change
          // is several statements and its audit record.
          if (!std::holds_alternative<AppendAudit>(b.ops[0]) &&
              !std::holds_alternative<WriteCase>(b.ops[0])) {
            if (!superseded(b.ops[0])) results[i] = apply(b.ops[0], b.encoded[0]);
            if (!results[i].is_ok() && db->transaction_failed()) *unisolated_failure = true;
            continue;
          }
        }
        Status s = run(stmts->savepoint, "savepoint");
        for (std::size_t k = 0; k < b.ops.size(); ++k) {
          if (!s.is_ok()) break;
          if (superseded(b.ops[k])) continue;
          s = apply(b.ops[k], b.encoded[k]);
        }
        if (s.is_ok()) {
          s = run(stmts->release, "release");
        } else {
          (void)run(stmts->rollback_to, "rollback to");
          (void)run(stmts->release, "release");
        }
        results[i] = std::move(s);
      }
      for (auto& [id, r] : rows) {
        r.records += ']';
        Status s = put_steps(*id, r.records, *r.owner);
        // A fenced row that was not written spoils no transaction.
        if (!s.is_ok() && db->transaction_failed()) *unisolated_failure = true;
        for (std::size_t i : r.batches) results[i] = s;
      }
      tx = run(stmts->commit, "commit");
      if (!tx.is_ok()) (void)run(stmts->rollback, "rollback");
    }
    if (!tx.is_ok()) {
      for (auto& r : results) r = tx;
    }
    return results;
  }

  // Commits a group. On PostgreSQL a failed statement spoils the whole
  // transaction, so when one ran outside a savepoint failed, the group is
  // rolled back and applied again with every batch in its own savepoint:
  // only the failing batch fails. (SQLite undoes just the failed statement.)
  std::vector<Status> commit(std::vector<Batch>& group) {
    bool unisolated_failure = false;
    std::vector<Status> results = commit_group(group, false, &unisolated_failure);
    if (unisolated_failure && db->dialect() == Dialect::kPostgres && !db->broken()) {
      results = commit_group(group, true, &unisolated_failure);
    }
    return results;
  }

  // The connection again after it broke (the server restarted): tried once
  // per group, at most every `backoff`, which doubles up to 1 s while the
  // database stays away; a group that comes sooner waits for the next try
  // (nothing can be written meanwhile), so the first write after the
  // database is back does not fail on an old backoff. False: the group fails
  // as unavailable.
  bool ensure_connected() {
    if (!db->broken()) return true;
    if (!options.reopen) return false;
    std::this_thread::sleep_until(next_reopen);
    auto fresh = options.reopen();
    if (!fresh.is_ok()) {
      backoff = std::min(backoff * 2, std::chrono::milliseconds(1000));
      next_reopen = std::chrono::steady_clock::now() + backoff;
      return false;
    }
    stmts.reset();
    conn = std::move(*fresh);
    db = conn.get();
    stmts = std::make_unique<Stmts>(db, options.begin_sql.c_str());
    backoff = std::chrono::milliseconds(50);
    return true;
  }

  void completer_loop() {
    for (;;) {
      Committed c;
      {
        std::unique_lock<std::mutex> lk(done_mu);
        done_cv.wait(lk, [this] { return done_stop || !done_queue.empty(); });
        if (done_queue.empty()) return;  // done_stop, and everything ran
        c = std::move(done_queue.front());
        done_queue.pop_front();
      }
      for (std::size_t i = 0; i < c.group.size(); ++i) {
        if (c.group[i].done) c.group[i].done(std::move(c.results[i]));
      }
    }
  }

  // A checkpoint of the audit log's head in a transaction of its own.
  void checkpoint_now() {
    if (!audit.signer || !ensure_connected()) return;
    if (!run(stmts->begin, "begin").is_ok()) return;
    Status s = apply(CheckpointAudit{}, Encoded{});
    if (s.is_ok()) s = run(stmts->commit, "commit");
    if (!s.is_ok()) (void)run(stmts->rollback, "rollback");
    // Tried either way: a failure is retried at the next period, not in a loop.
    last_audit_checkpoint_ms = wall_ms();
  }

  // How long the idle writer may sleep before the audit log's timed checkpoint.
  std::chrono::milliseconds until_checkpoint() const {
    const std::int64_t left = last_audit_checkpoint_ms + audit.every_ms - wall_ms();
    return std::chrono::milliseconds(std::max<std::int64_t>(left, 0));
  }

  void writer_loop() {
    stmts = std::make_unique<Stmts>(db, options.begin_sql.c_str());
    last_audit_checkpoint_ms = wall_ms();
    const bool timed = audit.signer && audit.every_ms > 0;
    std::vector<Batch> group;
    for (;;) {
      if (timed && until_checkpoint().count() == 0) checkpoint_now();
      {
        std::unique_lock<std::mutex> lk(mu);
        auto ready = [this] { return stopping || !queue.empty(); };
        if (timed) {
          if (!cv.wait_for(lk, until_checkpoint(), ready)) continue;
        } else {
          cv.wait(lk, ready);
        }
        if (queue.empty() && stopping) {
          lk.unlock();
          checkpoint_now();  // what the log holds at shutdown is signed
          return;
        }
        while (!queue.empty() && group.size() < max_batches) {
          group.push_back(std::move(queue.front()));
          queue.pop_front();
        }
      }
      std::vector<Status> results;
      if (ensure_connected()) {
        results = commit(group);
      } else {
        results.assign(group.size(), Status(Code::kUnavailable, "the database cannot be reached"));
      }
      {
        std::lock_guard<std::mutex> lk(done_mu);
        done_queue.push_back(Committed{std::move(group), std::move(results)});
      }
      done_cv.notify_one();
      group = {};
    }
  }

  // The backend's maintenance, off the commit path.
  void maintenance_loop() {
    Maintenance& m = *options.maintenance;
    std::unique_lock<std::mutex> lk(ck_mu);
    while (!ck_stop) {
      ck_cv.wait_for(lk, m.period());
      if (ck_stop) break;
      lk.unlock();
      m.run();
      lk.lock();
    }
  }
};

Writer::Writer(std::unique_ptr<Conn> db, WriterOptions options)
    : impl_(std::make_unique<Impl>()) {
  impl_->conn = std::move(db);
  impl_->db = impl_->conn.get();
  impl_->options = std::move(options);
  impl_->max_batches = std::max<std::size_t>(impl_->options.max_batches_per_commit, 1);
  impl_->thread = named_thread("atio-journal", [this] { impl_->writer_loop(); });
  impl_->completer = named_thread("atio-journaled", [this] { impl_->completer_loop(); });
  if (impl_->options.maintenance) {
    impl_->maintainer = named_thread("atio-checkpoint", [this] { impl_->maintenance_loop(); });
  }
}

Writer::~Writer() { close(); }

void Writer::submit(std::vector<WriteOp> ops, std::function<void(Status)> done) {
  Batch b;
  b.encoded.reserve(ops.size());
  for (auto& op : ops) b.encoded.push_back(encode(op));
  b.ops = std::move(ops);
  b.done = std::move(done);
  bool closed = false;
  {
    std::lock_guard<std::mutex> lk(impl_->mu);
    closed = impl_->stopping;
    if (!closed) impl_->queue.push_back(std::move(b));
  }
  if (closed) {
    if (b.done) b.done(Status(Code::kUnavailable, "store is closed"));
    return;
  }
  impl_->cv.notify_one();
}

void Writer::close() {
  {
    std::lock_guard<std::mutex> lk(impl_->mu);
    if (impl_->closed) return;
    impl_->closed = true;
    impl_->stopping = true;
  }
  impl_->cv.notify_one();
  if (impl_->thread.joinable()) impl_->thread.join();
  {
    std::lock_guard<std::mutex> lk(impl_->done_mu);
    impl_->done_stop = true;
  }
  impl_->done_cv.notify_one();
  if (impl_->completer.joinable()) impl_->completer.join();
  {
    std::lock_guard<std::mutex> lk(impl_->ck_mu);
    impl_->ck_stop = true;
  }
  impl_->ck_cv.notify_one();
  if (impl_->maintainer.joinable()) impl_->maintainer.join();
  impl_->options.maintenance.reset();
  impl_->stmts.reset();
  if (!impl_->options.close_sql.empty()) (void)exec(impl_->db, impl_->options.close_sql.c_str());
  impl_->db = nullptr;
  impl_->conn.reset();
}

}  // namespace atio::store::sql
