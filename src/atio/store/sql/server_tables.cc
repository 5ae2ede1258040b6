#include "atio/store/sql/server_tables.h"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "atio/store/sql/conn.h"

namespace atio::store::sql {

namespace {

ApiKeyRecord read_api_key(Stmt& s) {
  ApiKeyRecord r;
  r.id = s.text(0);
  r.name = s.text(1);
  r.key_hash = s.text(2);
  r.created_at_ms = s.int64(3);
  r.role = s.text(4);
  r.expires_at_ms = s.int64(5);
  r.revoked_at_ms = s.int64(6);
  r.owner_user_id = s.text(7);
  return r;
}

HookRecord read_hook(Stmt& s) {
  HookRecord r;
  r.id = s.text(0);
  r.playbook_id = s.text(1);
  r.name = s.text(2);
  r.auth = s.text(3);
  r.token_hash = s.text(4);
  r.secret = s.text(5);
  r.created_at_ms = s.int64(6);
  return r;
}

ScheduleRecord read_schedule(Stmt& s) {
  ScheduleRecord r;
  r.id = s.text(0);
  r.playbook_id = s.text(1);
  r.name = s.text(2);
  r.interval_seconds = s.int64(3);
  r.cron = s.text(4);
  r.variables = s.object(5);
  r.created_at_ms = s.int64(6);
  r.last_run_at_ms = s.int64(7);
  return r;
}

constexpr const char* kSelectApiKey =
    "SELECT id, name, key_hash, created_at, role, expires_at, revoked_at, owner_user_id"
    " FROM api_keys";
constexpr const char* kSelectHook =
    "SELECT id, playbook_id, name, auth, token_hash, secret, created_at FROM hooks";
constexpr const char* kSelectSchedule =
    "SELECT id, playbook_id, name, interval_seconds, cron, variables, created_at, last_run_at"
    " FROM schedules";

}  // namespace

Status apply_op(Conn* db, const CreatePlaybook& op) {
  const PlaybookRecord& p = op.playbook;
  Stmt s(db,
         "INSERT INTO playbooks(id, version, name, document, created_at, updated_at)"
         " VALUES(?,?,?,?,?,?) ON CONFLICT(id) DO NOTHING");
  s.bind(1, p.id).bind(2, p.version).bind(3, p.name).bind(4, bj::serialize(p.document))
      .bind(5, p.created_at_ms).bind(6, p.updated_at_ms);
  ATIO_RETURN_IF_ERROR(run(db, s, "create playbook"));
  if (db->changes() == 0) {
    return Status(Code::kAlreadyExists, "a playbook with id " + p.id + " already exists");
  }
  return Status();
}

Status apply_op(Conn* db, const UpdatePlaybook& op) {
  const PlaybookRecord& p = op.playbook;
  Stmt s(db, "UPDATE playbooks SET version=?, name=?, document=?, updated_at=? WHERE id=?");
  s.bind(1, p.version).bind(2, p.name).bind(3, bj::serialize(p.document))
      .bind(4, p.updated_at_ms).bind(5, p.id);
  ATIO_RETURN_IF_ERROR(run(db, s, "update playbook"));
  if (db->changes() == 0) return Status(Code::kNotFound, "playbook " + p.id + " not found");
  return Status();
}

Status apply_op(Conn* db, const PutApiKey& op) {
  const ApiKeyRecord& k = op.key;
  Stmt s(db,
         "INSERT INTO api_keys(id, name, key_hash, created_at, role, expires_at, revoked_at,"
         " owner_user_id) VALUES(?,?,?,?,?,?,?,?)"
         " ON CONFLICT(id) DO UPDATE SET name=excluded.name, key_hash=excluded.key_hash,"
         " role=excluded.role, expires_at=excluded.expires_at, revoked_at=excluded.revoked_at,"
         " owner_user_id=excluded.owner_user_id");
  s.bind(1, k.id).bind(2, k.name).bind(3, k.key_hash).bind(4, k.created_at_ms).bind(5, k.role)
      .bind(6, k.expires_at_ms).bind(7, k.revoked_at_ms).bind(8, k.owner_user_id);
  return run(db, s, "put api key");
}

Status apply_op(Conn* db, const DeleteApiKey& op) {
  Stmt s(db, "DELETE FROM api_keys WHERE id=?");
  s.bind(1, op.id);
  return run(db, s, "delete api key");
}

Status apply_op(Conn* db, const PutHook& op) {
  const HookRecord& h = op.hook;
  Stmt s(db,
         "INSERT INTO hooks(id, playbook_id, name, auth, token_hash, secret, created_at)"
         " VALUES(?,?,?,?,?,?,?) ON CONFLICT(id) DO UPDATE SET playbook_id=excluded.playbook_id,"
         " name=excluded.name, auth=excluded.auth, token_hash=excluded.token_hash,"
         " secret=excluded.secret");
  s.bind(1, h.id).bind(2, h.playbook_id).bind(3, h.name).bind(4, h.auth).bind(5, h.token_hash)
      .bind(6, h.secret).bind(7, h.created_at_ms);
  return run(db, s, "put hook");
}

Status apply_op(Conn* db, const DeleteHook& op) {
  Stmt s(db, "DELETE FROM hooks WHERE id=?");
  s.bind(1, op.id);
  return run(db, s, "delete hook");
}

Status apply_op(Conn* db, const PutSchedule& op) {
  const ScheduleRecord& r = op.schedule;
  Stmt s(db,
         "INSERT INTO schedules(id, playbook_id, name, interval_seconds, cron, variables,"
         " created_at, last_run_at) VALUES(?,?,?,?,?,?,?,?) ON CONFLICT(id) DO UPDATE SET"
         " playbook_id=excluded.playbook_id, name=excluded.name,"
         " interval_seconds=excluded.interval_seconds, cron=excluded.cron,"
         " variables=excluded.variables, last_run_at=excluded.last_run_at");
  s.bind(1, r.id).bind(2, r.playbook_id).bind(3, r.name).bind(4, r.interval_seconds)
      .bind(5, r.cron).bind(6, bj::serialize(r.variables)).bind(7, r.created_at_ms)
      .bind(8, r.last_run_at_ms);
  return run(db, s, "put schedule");
}

Status apply_op(Conn* db, const DeleteSchedule& op) {
  Stmt s(db, "DELETE FROM schedules WHERE id=?");
  s.bind(1, op.id);
  return run(db, s, "delete schedule");
}

Status apply_op(Conn* db, const MarkScheduleRun& op) {
  if (!op.expect_last_run_at_ms) {
    Stmt s(db, "UPDATE schedules SET last_run_at=? WHERE id=?");
    s.bind(1, op.last_run_at_ms).bind(2, op.id);
    return run(db, s, "mark schedule run");
  }
  Stmt s(db, "UPDATE schedules SET last_run_at=? WHERE id=? AND last_run_at=?");
  s.bind(1, op.last_run_at_ms).bind(2, op.id).bind(3, *op.expect_last_run_at_ms);
  ATIO_RETURN_IF_ERROR(run(db, s, "mark schedule run"));
  if (db->changes() == 0) {
    return Status(Code::kAlreadyExists,
                  "schedule " + op.id + " already ran for this due time, or is gone");
  }
  return Status();
}

Result<std::optional<ApiKeyRecord>> find_api_key(Conn* db, const std::string& key_hash) {
  Stmt s(db, (std::string(kSelectApiKey) + " WHERE key_hash=?").c_str());
  s.bind(1, key_hash);
  return first(query<ApiKeyRecord>(db, s, "find api key", read_api_key));
}

Result<std::optional<ApiKeyRecord>> get_api_key(Conn* db, const std::string& id) {
  Stmt s(db, (std::string(kSelectApiKey) + " WHERE id=?").c_str());
  s.bind(1, id);
  return first(query<ApiKeyRecord>(db, s, "get api key", read_api_key));
}

Result<std::vector<ApiKeyRecord>> list_api_keys(Conn* db) {
  Stmt s(db, (std::string(kSelectApiKey) + " ORDER BY created_at, id").c_str());
  return query<ApiKeyRecord>(db, s, "list api keys", read_api_key);
}

Result<std::optional<HookRecord>> get_hook(Conn* db, const std::string& id) {
  Stmt s(db, (std::string(kSelectHook) + " WHERE id=?").c_str());
  s.bind(1, id);
  return first(query<HookRecord>(db, s, "get hook", read_hook));
}

Result<std::vector<HookRecord>> list_hooks(Conn* db) {
  Stmt s(db, (std::string(kSelectHook) + " ORDER BY seq").c_str());
  return query<HookRecord>(db, s, "list hooks", read_hook);
}

Result<std::optional<ScheduleRecord>> get_schedule(Conn* db, const std::string& id) {
  Stmt s(db, (std::string(kSelectSchedule) + " WHERE id=?").c_str());
  s.bind(1, id);
  return first(query<ScheduleRecord>(db, s, "get schedule", read_schedule));
}

Result<std::vector<ScheduleRecord>> list_schedules(Conn* db) {
  Stmt s(db, (std::string(kSelectSchedule) + " ORDER BY seq").c_str());
  return query<ScheduleRecord>(db, s, "list schedules", read_schedule);
}

}  // namespace atio::store::sql
