#include "atio/store/sql/playbook_scan.h"

#include <set>

#include "atio/store/sql/audit_tables.h"
#include "atio/store/sql/monitor_tables.h"

namespace atio::store::sql {

Status scan_playbooks(Conn* db, bool full, std::int64_t after_change_seq,
                      std::int64_t after_audit_seq, PlaybookScan* scan) {
  PlaybookScan& out = *scan;
  {
    Stmt s(db, "SELECT seq, playbook_id, op, time FROM playbook_changes WHERE seq > ?"
                " ORDER BY seq");
    s.bind(1, after_change_seq);
    ATIO_ASSIGN_OR_RETURN(out.changes,
                          query<PlaybookChange>(db, s, "read playbook changes", [](Stmt& st) {
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
    Stmt s(db, select);
    ATIO_ASSIGN_OR_RETURN(out.playbooks, query<PlaybookRecord>(db, s, "read playbooks", read));
  } else {
    std::set<std::string> ids;
    for (const auto& c : out.changes) ids.insert(c.playbook_id);
    Stmt s(db, (std::string(select) + " WHERE id=?").c_str());
    for (const auto& id : ids) {
      s.bind(1, id);
      ATIO_ASSIGN_OR_RETURN(auto rows, query<PlaybookRecord>(db, s, "read playbook", read));
      s.reset();
      for (auto& r : rows) out.playbooks.push_back(std::move(r));
    }
  }
  ATIO_ASSIGN_OR_RETURN(out.protection, list_protected_playbooks(db));
  {
    Stmt s(db, "SELECT COALESCE(MAX(seq), 0) FROM audit");
    if (!s.ok() || s.step() != kRow) return error_status(db, "audit head");
    out.audit_head_seq = s.int64(0);
  }
  if (!out.changes.empty() || full) {
    AuditFilter f;
    f.object_type = "playbook";
    f.after_seq = after_audit_seq;
    f.limit = 1'000'000;
    ATIO_ASSIGN_OR_RETURN(out.audit, list_audit(db, f));
  }
  return Status();
}

}  // namespace atio::store::sql
