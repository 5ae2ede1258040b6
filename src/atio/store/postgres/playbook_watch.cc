#include "atio/store/postgres/playbook_watch.h"

#include "atio/store/postgres/conn.h"
#include "atio/store/postgres/listener.h"
#include "atio/store/sql/playbook_scan.h"

namespace atio::store::postgres {

namespace {

class PgPlaybookWatch final : public PlaybookWatch {
 public:
  PgPlaybookWatch(std::unique_ptr<PgConn> db, std::unique_ptr<Listener> listener)
      : db_(std::move(db)), listener_(std::move(listener)) {}

  // Whether atio_playbooks was notified (migration 5's triggers on the change
  // log and the audit log) since the last call: no query, so an idle node
  // costs the database nothing here. After the listening connection broke,
  // notifications may have been lost: the first call that reaches the
  // database again answers true.
  Result<bool> changed() override {
    auto got = listener_->wait(std::chrono::milliseconds(0));
    if (!got.is_ok()) {
      missed_ = true;
      return got.status().with_context("watch playbooks");
    }
    const bool moved = missed_ || !got->empty();
    missed_ = false;
    return moved;
  }

  Result<PlaybookScan> scan(bool full, std::int64_t after_change_seq,
                            std::int64_t after_audit_seq) override {
    ATIO_RETURN_IF_ERROR(ensure_connected());
    // One snapshot for every part of the scan.
    ATIO_RETURN_IF_ERROR(db_->exec("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"));
    PlaybookScan out;
    Status st = schema_version(&out.schema_version);
    if (st.is_ok()) st = sql::scan_playbooks(db_.get(), full, after_change_seq, after_audit_seq, &out);
    (void)db_->exec(st.is_ok() ? "COMMIT" : "ROLLBACK");
    if (!st.is_ok()) return st;
    return out;
  }

 private:
  Status ensure_connected() {
    if (db_->broken() && !db_->reconnect()) {
      return Status(Code::kUnavailable, "postgresql: watch playbooks: " + db_->error());
    }
    return Status();
  }

  // Moves when a trigger that writes the change log is dropped, disabled or
  // replaced, so the watcher compares everything again.
  Status schema_version(std::int64_t* out) {
    sql::Stmt s(db_.get(),
                "SELECT coalesce(sum(hashtext(t.tgname::text || t.tgenabled::text || t.tgfoid::text)::bigint),"
                " 0) + count(*) FROM pg_trigger t"
                " WHERE t.tgrelid IN ('playbooks'::regclass, 'playbook_protection'::regclass)"
                " AND NOT t.tgisinternal");
    if (!s.ok() || s.step() != sql::kRow) return sql::error_status(db_.get(), "schema version");
    *out = s.int64(0);
    return Status();
  }

  std::unique_ptr<PgConn> db_;
  std::unique_ptr<Listener> listener_;
  bool missed_ = true;
};

}  // namespace

Result<std::unique_ptr<PlaybookWatch>> open_playbook_watch(const std::string& conninfo) {
  ATIO_ASSIGN_OR_RETURN(auto db, PgConn::connect(conninfo));
  ATIO_ASSIGN_OR_RETURN(auto listener, open_listener(conninfo, {kPlaybooksChannel}));
  return std::unique_ptr<PlaybookWatch>(new PgPlaybookWatch(std::move(db), std::move(listener)));
}

}  // namespace atio::store::postgres
