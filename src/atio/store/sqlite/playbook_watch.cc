// The SQLite PlaybookWatch: its own read-only connection, so that
// PRAGMA data_version moves whenever any other connection (atio's writer, or
// sqlite3 run by someone else) commits.
#include <set>

#include "atio/store/sql/audit_tables.h"
#include "atio/store/sql/monitor_tables.h"
#include "atio/store/sqlite/db.h"
#include "atio/store/sqlite/playbook_watch.h"

namespace atio::store::sqlite {

namespace {

using namespace sql;  // NOLINT: the table code's vocabulary

class SqlitePlaybookWatch final : public PlaybookWatch {
 public:
  explicit SqlitePlaybookWatch(std::unique_ptr<SqliteConn> conn)
      : conn_(std::move(conn)), db_(conn_.get()), data_version_(db_, "PRAGMA data_version") {}

  Result<bool> changed() override {
    if (!data_version_.ok() || data_version_.step() != kRow) {
      data_version_.reset();
      return error_status(db_, "PRAGMA data_version");
    }
    const std::int64_t v = data_version_.int64(0);
    data_version_.reset();
    const bool moved = v != last_version_;
    last_version_ = v;
    return moved;
  }

  Result<PlaybookScan> scan(bool full, std::int64_t after_change_seq,
                            std::int64_t after_audit_seq) override {
    ATIO_RETURN_IF_ERROR(exec(db_, "BEGIN"));
    auto r = scan_in_transaction(full, after_change_seq, after_audit_seq);
    (void)exec(db_, "COMMIT");
    return r;
  }

 private:
  Result<PlaybookScan> scan_in_transaction(bool full, std::int64_t after_change_seq,
                                           std::int64_t after_audit_seq) {
    PlaybookScan out;
    {
      Stmt s(db_, "PRAGMA schema_version");
      if (!s.ok() || s.step() != kRow) return error_status(db_, "PRAGMA schema_version");
      out.schema_version = s.int64(0);
    }
    {
      Stmt s(db_, "SELECT seq, playbook_id, op, time FROM playbook_changes WHERE seq > ?"
                  " ORDER BY seq");
      s.bind(1, after_change_seq);
      ATIO_ASSIGN_OR_RETURN(out.changes,
                            query<PlaybookChange>(db_, s, "read playbook changes", [](Stmt& st) {
                              return PlaybookChange{st.int64(0), st.text(1), st.text(2),
                                                    st.int64(3)};
                            }));
    }
    auto read = [](Stmt& st) {
      PlaybookRecord r;
      r.id = st.text(0);
      r.version = st.text(1);
      r.name = st.text(2);
      r.document = st.object(3);
      r.created_at_ms = st.int64(4);
      r.updated_at_ms = st.int64(5);
      return r;
    };
    const char* select =
        "SELECT id, version, name, document, created_at, updated_at FROM playbooks";
    if (full) {
      Stmt s(db_, select);
      ATIO_ASSIGN_OR_RETURN(out.playbooks, query<PlaybookRecord>(db_, s, "read playbooks", read));
    } else {
      std::set<std::string> ids;
      for (const auto& c : out.changes) ids.insert(c.playbook_id);
      Stmt s(db_, (std::string(select) + " WHERE id=?").c_str());
      for (const auto& id : ids) {
        s.bind(1, id);
        ATIO_ASSIGN_OR_RETURN(auto rows, query<PlaybookRecord>(db_, s, "read playbook", read));
        s.reset();
        for (auto& r : rows) out.playbooks.push_back(std::move(r));
      }
    }
    ATIO_ASSIGN_OR_RETURN(out.protection, list_protected_playbooks(db_));
    {
      Stmt s(db_, "SELECT COALESCE(MAX(seq), 0) FROM audit");
      if (!s.ok() || s.step() != kRow) return error_status(db_, "audit head");
      out.audit_head_seq = s.int64(0);
    }
    if (!out.changes.empty() || full) {
      AuditFilter f;
      f.object_type = "playbook";
      f.after_seq = after_audit_seq;
      f.limit = 1'000'000;
      ATIO_ASSIGN_OR_RETURN(out.audit, list_audit(db_, f));
    }
    return out;
  }

  std::unique_ptr<SqliteConn> conn_;
  Conn* db_;
  Stmt data_version_;
  std::int64_t last_version_ = -1;
};

}  // namespace

Result<std::unique_ptr<PlaybookWatch>> open_playbook_watch(const std::string& path) {
  ATIO_ASSIGN_OR_RETURN(std::unique_ptr<SqliteConn> db,
                        open(path, SQLITE_OPEN_READONLY, 10000, "the database to watch playbooks"));
  return std::unique_ptr<PlaybookWatch>(new SqlitePlaybookWatch(std::move(db)));
}

}  // namespace atio::store::sqlite
