#include "atio/store/sql/signal_tables.h"

#include <boost/json/serialize.hpp>

namespace atio::store::sql {

namespace {

constexpr const char* kSelectSignal =
    "SELECT s.id, s.execution_id, s.kind, s.step_key, s.body, s.created_at, s.state, s.result,"
    " s.done_at FROM execution_signals s";

SignalRecord read_signal(Stmt& st) {
  SignalRecord r;
  r.id = st.text(0);
  r.execution_id = st.text(1);
  r.kind = st.text(2);
  r.step_key = st.text(3);
  r.body = st.object(4);
  r.created_at_ms = st.int64(5);
  r.state = st.text(6);
  r.result = st.text(7);
  r.done_at_ms = st.int64(8);
  return r;
}

}  // namespace

Status apply_op(Conn* db, const PutManualWait& op) {
  const ManualWaitRecord& w = op.wait;
  Stmt s(db,
         "INSERT INTO manual_waits(execution_id, step_key, task, created_at) VALUES(?,?,?,?)"
         " ON CONFLICT(execution_id, step_key) DO UPDATE SET task=excluded.task,"
         " created_at=excluded.created_at");
  s.bind(1, w.execution_id).bind(2, w.step_key).bind(3, boost::json::serialize(w.task))
      .bind(4, w.created_at_ms);
  return run(db, s, "put manual wait");
}

Status apply_op(Conn* db, const DeleteManualWait& op) {
  Stmt s(db, "DELETE FROM manual_waits WHERE execution_id=? AND step_key=?");
  s.bind(1, op.execution_id).bind(2, op.step_key);
  return run(db, s, "delete manual wait");
}

Status apply_op(Conn* db, const SendSignal& op) {
  const SignalRecord& r = op.signal;
  Stmt s(db,
         "INSERT INTO execution_signals(id, execution_id, kind, step_key, body, created_at, state,"
         " result, done_at) VALUES(?,?,?,?,?,?,?,?,?)");
  s.bind(1, r.id).bind(2, r.execution_id).bind(3, r.kind).bind(4, r.step_key)
      .bind(5, boost::json::serialize(r.body)).bind(6, r.created_at_ms).bind(7, r.state)
      .bind(8, r.result).bind(9, r.done_at_ms);
  return run(db, s, "send signal");
}

Status apply_op(Conn* db, const FinishSignal& op) {
  // Only a pending signal ends, once: a node that lost the execution
  // meanwhile cannot overwrite what its new owner recorded.
  Stmt s(db, "UPDATE execution_signals SET state=?, result=?, done_at=? WHERE id=? AND state='pending'");
  s.bind(1, op.state).bind(2, op.result).bind(3, op.done_at_ms).bind(4, op.id);
  return run(db, s, "finish signal");
}

Status apply_op(Conn* db, const PruneSignals& op) {
  // A signal still pending for an execution that ended will never apply.
  Stmt s(db,
         "DELETE FROM execution_signals WHERE created_at < ?1 AND (state <> 'pending' OR NOT EXISTS"
         " (SELECT 1 FROM executions e WHERE e.id = execution_signals.execution_id"
         " AND e.status IN ('pending','running')))");
  s.bind(1, op.before_ms);
  return run(db, s, "prune signals");
}

Result<std::vector<ManualWaitRecord>> list_manual_waits(Conn* db, const std::string& execution_id) {
  Stmt s(db,
         "SELECT w.execution_id, w.step_key, w.task, w.created_at, e.owner FROM manual_waits w"
         " JOIN executions e ON e.id = w.execution_id WHERE e.status IN ('pending','running')"
         " AND (?1 = '' OR w.execution_id = ?1) ORDER BY w.created_at, w.execution_id, w.step_key");
  s.bind(1, execution_id);
  return query<ManualWaitRecord>(db, s, "list manual waits", [](Stmt& st) {
    ManualWaitRecord w;
    w.execution_id = st.text(0);
    w.step_key = st.text(1);
    w.task = st.object(2);
    w.created_at_ms = st.int64(3);
    w.owner = st.text(4);
    return w;
  });
}

Result<std::vector<SignalRecord>> pending_signals(Conn* db, const std::string& owner) {
  std::string sql = kSelectSignal;
  sql += " JOIN executions e ON e.id = s.execution_id WHERE s.state = 'pending' AND e.owner = ?"
         " AND e.status IN ('pending','running') ORDER BY s.created_at, s.id";
  Stmt s(db, sql.c_str());
  s.bind(1, owner);
  return query<SignalRecord>(db, s, "pending signals", read_signal);
}

Result<std::optional<SignalRecord>> get_signal(Conn* db, const std::string& id) {
  std::string sql = kSelectSignal;
  sql += " WHERE s.id = ?";
  Stmt s(db, sql.c_str());
  s.bind(1, id);
  return first(query<SignalRecord>(db, s, "get signal", read_signal));
}

}  // namespace atio::store::sql
