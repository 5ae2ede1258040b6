#include "atio/store/sql/node_tables.h"

namespace atio::store::sql {

Status apply_op(Conn* db, const PutNode& op) {
  const NodeRecord& n = op.node;
  Stmt s(db,
         "INSERT INTO nodes(id, version, hostname, started_at, heartbeat_at, executions_running,"
         " state) VALUES(?,?,?,?,?,?,?) ON CONFLICT(id) DO UPDATE SET version=excluded.version,"
         " hostname=excluded.hostname, started_at=excluded.started_at,"
         " heartbeat_at=excluded.heartbeat_at, executions_running=excluded.executions_running,"
         " state=excluded.state");
  s.bind(1, n.id).bind(2, n.version).bind(3, n.hostname).bind(4, n.started_at_ms)
      .bind(5, n.heartbeat_at_ms).bind(6, n.executions_running).bind(7, n.state);
  return run(db, s, "put node");
}

Status apply_op(Conn* db, const PruneNodes& op) {
  Stmt s(db, "DELETE FROM nodes WHERE heartbeat_at < ?");
  s.bind(1, op.before_ms);
  return run(db, s, "prune nodes");
}

namespace {

// Makes `owner` the owner of the executions `where` selects from executions
// e (with ?1 the owner, ?2 a time, ?3 the limit), oldest first; the ids taken.
// Nodes taking at once skip each other's rows instead of waiting.
Result<std::vector<std::string>> take(Conn* db, const char* where, const std::string& owner,
                                      std::int64_t time_ms, std::int64_t limit, const char* what) {
  std::string sql = "UPDATE executions SET owner=?1 WHERE id IN (SELECT e.id FROM executions e WHERE ";
  sql += where;
  sql += " ORDER BY e.seq LIMIT ?3";
  if (db->dialect() == Dialect::kPostgres) sql += " FOR UPDATE OF e SKIP LOCKED";
  sql += ") RETURNING id";
  Stmt s(db, sql.c_str());
  s.bind(1, owner).bind(2, time_ms).bind(3, limit);
  return query<std::string>(db, s, what, [](Stmt& st) { return st.text(0); });
}

}  // namespace

Status apply_op(Conn* db, const ClaimExecutions& op) {
  // The node's lease is its heartbeat: a node whose record is gone, stopped
  // or silent since stale_before_ms holds nothing any more.
  ATIO_ASSIGN_OR_RETURN(
      auto ids, take(db,
                     "e.status IN ('pending','running') AND e.owner <> ?1 AND NOT EXISTS"
                     " (SELECT 1 FROM nodes n WHERE n.id = e.owner AND n.state = 'active'"
                     " AND n.heartbeat_at >= ?2)",
                     op.owner, op.stale_before_ms, op.limit, "claim executions"));
  *op.claimed = std::move(ids);  // a group applied again replaces, not adds
  return Status();
}

Status apply_op(Conn* db, const StealBacklog& op) {
  ATIO_ASSIGN_OR_RETURN(
      auto ids, take(db, "e.status = 'pending' AND e.owner <> ?1 AND e.created_at < ?2", op.owner,
                     op.created_before_ms, op.limit, "steal backlog"));
  *op.claimed = std::move(ids);
  return Status();
}

Status apply_op(Conn* db, const Notify& op) {
  if (db->dialect() != Dialect::kPostgres) return Status();  // one process: nobody to wake
  Stmt s(db, "SELECT pg_notify(?, ?)");
  s.bind(1, op.channel).bind(2, op.payload);
  return run(db, s, "notify");
}

Result<std::vector<NodeRecord>> list_nodes(Conn* db) {
  Stmt s(db,
         "SELECT id, version, hostname, started_at, heartbeat_at, executions_running, state"
         " FROM nodes ORDER BY started_at DESC, id");
  return query<NodeRecord>(db, s, "list nodes", [](Stmt& st) {
    NodeRecord n;
    n.id = st.text(0);
    n.version = st.text(1);
    n.hostname = st.text(2);
    n.started_at_ms = st.int64(3);
    n.heartbeat_at_ms = st.int64(4);
    n.executions_running = st.int64(5);
    n.state = st.text(6);
    return n;
  });
}

}  // namespace atio::store::sql
