#include "atio/store/sql/monitor_tables.h"

#include <boost/json/serialize.hpp>

#include "atio/core/json.h"
#include "atio/store/sql/conn.h"

namespace atio::store::sql {

namespace {

constexpr const char* kSelectVersion =
    "SELECT playbook_id, version, content_hash, name, author, author_kind, author_name, time,"
    " comment, document FROM playbook_versions";

PlaybookVersionRecord read_version(Stmt& s, bool with_document) {
  PlaybookVersionRecord v;
  v.playbook_id = s.text(0);
  v.version = s.int64(1);
  v.content_hash = s.text(2);
  v.name = s.text(3);
  v.author = s.text(4);
  v.author_kind = s.text(5);
  v.author_name = s.text(6);
  v.time_ms = s.int64(7);
  v.comment = s.text(8);
  if (with_document) v.document = s.object(9);
  return v;
}

std::string join(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& x : v) out += (out.empty() ? "" : ",") + x;
  return out;
}

std::vector<std::string> split(const std::string& s) {
  std::vector<std::string> out;
  std::size_t pos = 0;
  while (pos <= s.size() && !s.empty()) {
    std::size_t end = s.find(',', pos);
    if (end == std::string::npos) end = s.size();
    if (end > pos) out.push_back(s.substr(pos, end - pos));
    pos = end + 1;
  }
  return out;
}

}  // namespace

Status apply_op(Conn* db, const AppendPlaybookVersion& op) {
  const PlaybookVersionRecord& v = op.version;
  ATIO_RETURN_IF_ERROR(serialize_on(db, "playbook versions " + v.playbook_id));
  Stmt s(db,
         "INSERT INTO playbook_versions(playbook_id, version, content_hash, name, document,"
         " author, author_kind, author_name, time, comment)"
         " SELECT ?1, COALESCE(MAX(version), 0) + 1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9"
         " FROM playbook_versions WHERE playbook_id = ?1");
  s.bind(1, v.playbook_id).bind(2, v.content_hash).bind(3, v.name)
      .bind(4, boost::json::serialize(v.document)).bind(5, v.author).bind(6, v.author_kind)
      .bind(7, v.author_name).bind(8, v.time_ms).bind(9, v.comment);
  return run(db, s, "append playbook version");
}

Status apply_op(Conn* db, const SetPlaybookProtection& op) {
  if (op.is_protected) {
    Stmt s(db,
           "INSERT INTO playbook_protection(playbook_id, protected_by, protected_at)"
           " VALUES(?,?,?) ON CONFLICT(playbook_id) DO NOTHING");
    s.bind(1, op.playbook_id).bind(2, op.by).bind(3, op.at_ms);
    return run(db, s, "protect playbook");
  }
  Stmt s(db, "DELETE FROM playbook_protection WHERE playbook_id=?");
  s.bind(1, op.playbook_id);
  return run(db, s, "unprotect playbook");
}

Status apply_op(Conn* db, const PrunePlaybookChanges& op) {
  Stmt s(db, "DELETE FROM playbook_changes WHERE seq <= ?");
  s.bind(1, op.up_to_seq);
  return run(db, s, "prune playbook changes");
}

Status apply_op(Conn* db, const AppendMonitorEvent& op) {
  const MonitorEventRecord& e = op.event;
  Stmt s(db, "INSERT INTO monitor_events(id, time, source, body) VALUES(?,?,?,?)");
  s.bind(1, e.id).bind(2, e.time_ms).bind(3, e.source).bind(4, e.body);
  return run(db, s, "append monitor event");
}

Status apply_op(Conn* db, const PutMonitorTrigger& op) {
  const MonitorTriggerRecord& t = op.trigger;
  Stmt s(db,
         "INSERT INTO monitor_triggers(id, playbook_id, name, kinds, created_at) VALUES(?,?,?,?,?)"
         " ON CONFLICT(id) DO UPDATE SET playbook_id=excluded.playbook_id, name=excluded.name,"
         " kinds=excluded.kinds");
  s.bind(1, t.id).bind(2, t.playbook_id).bind(3, t.name).bind(4, join(t.kinds))
      .bind(5, t.created_at_ms);
  return run(db, s, "put monitor trigger");
}

Status apply_op(Conn* db, const DeleteMonitorTrigger& op) {
  Stmt s(db, "DELETE FROM monitor_triggers WHERE id=?");
  s.bind(1, op.id);
  return run(db, s, "delete monitor trigger");
}

Result<std::vector<PlaybookVersionRecord>> list_playbook_versions(Conn* db,
                                                                  const std::string& id,
                                                                  bool with_documents) {
  Stmt s(db, (std::string(kSelectVersion) + " WHERE playbook_id=? ORDER BY version DESC").c_str());
  s.bind(1, id);
  return query<PlaybookVersionRecord>(db, s, "list playbook versions", [&](Stmt& st) {
    return read_version(st, with_documents);
  });
}

Result<std::optional<PlaybookVersionRecord>> get_playbook_version(Conn* db,
                                                                  const std::string& id,
                                                                  std::int64_t version) {
  Stmt s(db, (std::string(kSelectVersion) +
              " WHERE playbook_id=?1 AND (?2 = 0 OR version = ?2) ORDER BY version DESC LIMIT 1")
                 .c_str());
  s.bind(1, id).bind(2, version);
  return first(query<PlaybookVersionRecord>(db, s, "get playbook version",
                                            [](Stmt& st) { return read_version(st, true); }));
}

Result<std::vector<PlaybookProtection>> list_protected_playbooks(Conn* db) {
  Stmt s(db, "SELECT playbook_id, protected_by, protected_at FROM playbook_protection"
             " ORDER BY playbook_id");
  return query<PlaybookProtection>(db, s, "list protected playbooks", [](Stmt& st) {
    return PlaybookProtection{st.text(0), st.text(1), st.int64(2)};
  });
}

Result<std::vector<MonitorEventRecord>> list_monitor_events(Conn* db, const SeqPage& page) {
  Stmt s(db, page.newest_first
                 ? "SELECT seq, id, time, source, body FROM monitor_events"
                   " WHERE (?1 = 0 OR seq < ?1) ORDER BY seq DESC LIMIT ?2"
                 : "SELECT seq, id, time, source, body FROM monitor_events WHERE seq > ?1"
                   " ORDER BY seq LIMIT ?2");
  s.bind(1, page.newest_first ? page.before_seq : page.after_seq).bind(2, page.limit);
  return query<MonitorEventRecord>(db, s, "list monitor events", [](Stmt& st) {
    return MonitorEventRecord{st.int64(0), st.text(1), st.int64(2), st.text(3), st.text(4)};
  });
}

Result<std::int64_t> last_monitor_event_seq(Conn* db) {
  Stmt s(db, "SELECT COALESCE(MAX(seq), 0) FROM monitor_events");
  if (!s.ok() || s.step() != kRow) return error_status(db, "last monitor event");
  return s.int64(0);
}

Result<std::vector<MonitorTriggerRecord>> list_monitor_triggers(Conn* db) {
  Stmt s(db, "SELECT id, playbook_id, name, kinds, created_at FROM monitor_triggers ORDER BY seq");
  return query<MonitorTriggerRecord>(db, s, "list monitor triggers", [](Stmt& st) {
    return MonitorTriggerRecord{st.text(0), st.text(1), st.text(2), split(st.text(3)),
                                st.int64(4)};
  });
}

}  // namespace atio::store::sql
