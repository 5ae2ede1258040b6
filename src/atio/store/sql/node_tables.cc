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
