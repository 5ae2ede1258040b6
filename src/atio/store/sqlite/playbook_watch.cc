// The SQLite PlaybookWatch: its own read-only connection, so that
// PRAGMA data_version moves whenever any other connection (atio's writer, or
// sqlite3 run by someone else) commits.
#include "atio/store/sql/playbook_scan.h"
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
    ATIO_RETURN_IF_ERROR(scan_playbooks(db_, full, after_change_seq, after_audit_seq, &out));
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
