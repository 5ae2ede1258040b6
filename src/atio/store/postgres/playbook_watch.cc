#include "atio/store/postgres/playbook_watch.h"

#include "atio/store/postgres/conn.h"
#include "atio/store/sql/playbook_scan.h"

namespace atio::store::postgres {

namespace {

class PgPlaybookWatch final : public PlaybookWatch {
 public:
  explicit PgPlaybookWatch(std::unique_ptr<PgConn> db) : db_(std::move(db)) {}

  // The change log's and the audit log's newest seq: one of them moves with
  // every change the watcher looks at.
  Result<bool> changed() override {
    ATIO_RETURN_IF_ERROR(ensure_connected());
    sql::Stmt s(db_.get(),
                "SELECT (SELECT coalesce(max(seq), 0) FROM playbook_changes),"
                " (SELECT coalesce(max(seq), 0) FROM audit)");
    if (!s.ok() || s.step() != sql::kRow) return sql::error_status(db_.get(), "watch playbooks");
    const std::string mark = s.text(0) + "/" + s.text(1);
    const bool moved = mark != last_mark_;
    last_mark_ = mark;
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
  std::string last_mark_;
};

}  // namespace

Result<std::unique_ptr<PlaybookWatch>> open_playbook_watch(const std::string& conninfo) {
  ATIO_ASSIGN_OR_RETURN(auto db, PgConn::connect(conninfo));
  return std::unique_ptr<PlaybookWatch>(new PgPlaybookWatch(std::move(db)));
}

}  // namespace atio::store::postgres
