#include "atio/store/sql/audit_tables.h"

#include "atio/store/sql/conn.h"

namespace atio::store::sql {

namespace {

constexpr const char* kSelectAudit =
    "SELECT seq, time, actor, actor_kind, actor_name, role, source_ip, user_agent, action,"
    " object_type, object_id, outcome, detail, prev_hash, hash FROM audit";

AuditRecord read_audit(Stmt& s) {
  AuditRecord r;
  r.seq = s.int64(0);
  r.time_ms = s.int64(1);
  r.actor = s.text(2);
  r.actor_kind = s.text(3);
  r.actor_name = s.text(4);
  r.role = s.text(5);
  r.source_ip = s.text(6);
  r.user_agent = s.text(7);
  r.action = s.text(8);
  r.object_type = s.text(9);
  r.object_id = s.text(10);
  r.outcome = s.text(11);
  r.detail = s.text(12);
  r.prev_hash = s.text(13);
  r.hash = s.text(14);
  return r;
}

AuditCheckpoint read_checkpoint(Stmt& s) {
  AuditCheckpoint c;
  c.seq = s.int64(0);
  c.hash = s.text(1);
  c.time_ms = s.int64(2);
  c.signature = s.text(3);
  c.public_key = s.text(4);
  return c;
}

// The seq of the newest checkpoint; 0 when there is none.
Result<std::int64_t> last_checkpoint_seq(Conn* db) {
  Stmt s(db, "SELECT coalesce(max(seq), 0) FROM audit_checkpoints");
  if (!s.ok() || s.step() != kRow) return error_status(db, "last audit checkpoint");
  return s.int64(0);
}

Status insert_checkpoint(Conn* db, const AuditCheckpointPolicy& policy, const AuditHead& head,
                         std::int64_t now_ms) {
  AuditCheckpoint c;
  c.seq = head.seq;
  c.hash = head.hash;
  c.time_ms = now_ms;
  c.public_key = policy.signer->public_key_hex();
  c.signature = policy.signer->sign_hex(audit_checkpoint_message(c.seq, c.hash, c.time_ms));
  Stmt s(db,
         "INSERT INTO audit_checkpoints(seq, hash, time, signature, public_key)"
         " VALUES(?,?,?,?,?)");
  s.bind(1, c.seq).bind(2, c.hash).bind(3, c.time_ms).bind(4, c.signature).bind(5, c.public_key);
  return run(db, s, "insert audit checkpoint");
}

}  // namespace

Result<AuditHead> audit_head(Conn* db) {
  Stmt s(db, "SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1");
  if (!s.ok()) return error_status(db, "audit head");
  const int rc = s.step();
  AuditHead h;
  h.hash = std::string(kAuditGenesisHash);
  if (rc == kRow) {
    h.seq = s.int64(0);
    h.hash = s.text(1);
  } else if (rc != kDone) {
    return error_status(db, "audit head");
  }
  return h;
}

Status apply_op(Conn* db, const AppendAudit& op, const AuditCheckpointPolicy& policy,
                std::int64_t now_ms, bool* checkpointed) {
  *checkpointed = false;
  // The head is read inside the writer's transaction, holding the chain:
  // no other record (from this node or another) can slip in between.
  ATIO_RETURN_IF_ERROR(serialize_on(db, "audit chain"));
  ATIO_ASSIGN_OR_RETURN(AuditHead head, audit_head(db));
  AuditRecord r = op.record;
  r.seq = head.seq + 1;
  r.time_ms = now_ms;
  r.prev_hash = head.hash;
  if (r.detail.empty()) r.detail = "{}";
  r.hash = audit_record_hash(r);
  Stmt s(db,
         "INSERT INTO audit(seq, time, actor, actor_kind, actor_name, role, source_ip, user_agent,"
         " action, object_type, object_id, outcome, detail, prev_hash, hash)"
         " VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
  s.bind(1, r.seq).bind(2, r.time_ms).bind(3, r.actor).bind(4, r.actor_kind).bind(5, r.actor_name)
      .bind(6, r.role).bind(7, r.source_ip).bind(8, r.user_agent).bind(9, r.action)
      .bind(10, r.object_type).bind(11, r.object_id).bind(12, r.outcome).bind(13, r.detail)
      .bind(14, r.prev_hash).bind(15, r.hash);
  ATIO_RETURN_IF_ERROR(run(db, s, "append audit record"));
  if (!policy.signer || policy.every_records <= 0) return Status();
  ATIO_ASSIGN_OR_RETURN(std::int64_t last, last_checkpoint_seq(db));
  if (r.seq - last < policy.every_records) return Status();
  ATIO_RETURN_IF_ERROR(insert_checkpoint(db, policy, AuditHead{r.seq, r.hash}, now_ms));
  *checkpointed = true;
  return Status();
}

Status checkpoint_audit(Conn* db, const AuditCheckpointPolicy& policy, std::int64_t now_ms,
                        bool* checkpointed) {
  *checkpointed = false;
  if (!policy.signer) return Status();
  ATIO_RETURN_IF_ERROR(serialize_on(db, "audit chain"));
  ATIO_ASSIGN_OR_RETURN(AuditHead head, audit_head(db));
  if (head.seq == 0) return Status();
  ATIO_ASSIGN_OR_RETURN(std::int64_t last, last_checkpoint_seq(db));
  if (last >= head.seq) return Status();
  ATIO_RETURN_IF_ERROR(insert_checkpoint(db, policy, head, now_ms));
  *checkpointed = true;
  return Status();
}

Result<std::vector<AuditRecord>> list_audit(Conn* db, const AuditFilter& f) {
  Stmt s(db, (std::string(kSelectAudit) +
              (f.newest_first ? " WHERE (?1 = 0 OR seq < ?1)" : " WHERE seq > ?1") +
              " AND (?2 = 0 OR time >= ?2) AND (?3 = 0 OR time < ?3)"
              " AND (?4 = '' OR actor = ?4) AND (?5 = '' OR action = ?5)"
              " AND (?6 = '' OR object_type = ?6) AND (?7 = '' OR object_id = ?7)"
              " AND (?8 = '' OR outcome = ?8) ORDER BY seq" +
              (f.newest_first ? " DESC" : "") + " LIMIT ?9")
                 .c_str());
  s.bind(1, f.newest_first ? f.before_seq : f.after_seq).bind(2, f.since_ms).bind(3, f.until_ms).bind(4, f.actor)
      .bind(5, f.action).bind(6, f.object_type).bind(7, f.object_id).bind(8, f.outcome)
      .bind(9, f.limit);
  return query<AuditRecord>(db, s, "list audit records", read_audit);
}

Result<std::optional<AuditRecord>> get_audit(Conn* db, std::int64_t seq) {
  Stmt s(db, (std::string(kSelectAudit) + " WHERE seq = ?").c_str());
  s.bind(1, seq);
  return first(query<AuditRecord>(db, s, "get audit record", read_audit));
}

Result<std::vector<AuditCheckpoint>> list_audit_checkpoints(Conn* db, std::int64_t after_seq,
                                                            std::int64_t limit) {
  Stmt s(db,
         "SELECT seq, hash, time, signature, public_key FROM audit_checkpoints"
         " WHERE seq > ? ORDER BY seq LIMIT ?");
  s.bind(1, after_seq).bind(2, limit);
  return query<AuditCheckpoint>(db, s, "list audit checkpoints", read_checkpoint);
}

}  // namespace atio::store::sql
