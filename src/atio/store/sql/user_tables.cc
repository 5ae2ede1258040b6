#include "atio/store/sql/user_tables.h"

#include "atio/store/sql/conn.h"

namespace atio::store::sql {

namespace {

UserRecord read_user(Stmt& s) {
  UserRecord r;
  r.id = s.text(0);
  r.name = s.text(1);
  r.password_hash = s.text(2);
  r.role = s.text(3);
  r.disabled = s.int64(4) != 0;
  r.created_at_ms = s.int64(5);
  r.last_login_at_ms = s.int64(6);
  return r;
}

SessionRecord read_session(Stmt& s) {
  SessionRecord r;
  r.id = s.text(0);
  r.token_hash = s.text(1);
  r.user_id = s.text(2);
  r.created_at_ms = s.int64(3);
  r.expires_at_ms = s.int64(4);
  r.source_ip = s.text(5);
  return r;
}

constexpr const char* kSelectUser =
    "SELECT id, name, password_hash, role, disabled, created_at, last_login_at FROM users";
constexpr const char* kSelectSession =
    "SELECT id, token_hash, user_id, created_at, expires_at, source_ip FROM sessions";

}  // namespace

Status apply_op(Conn* db, const CreateUser& op) {
  const UserRecord& u = op.user;
  // The name's uniqueness (without regard to case) is checked by the table itself,
  // inside the transaction, so two concurrent creations cannot both win.
  Stmt s(db,
         "INSERT INTO users(id, name, password_hash, role, disabled, created_at, last_login_at)"
         " VALUES(?,?,?,?,?,?,?) ON CONFLICT DO NOTHING");
  s.bind(1, u.id).bind(2, u.name).bind(3, u.password_hash).bind(4, u.role)
      .bind(5, std::int64_t{u.disabled ? 1 : 0}).bind(6, u.created_at_ms)
      .bind(7, u.last_login_at_ms);
  ATIO_RETURN_IF_ERROR(run(db, s, "create user"));
  if (db->changes() == 0) {
    return Status(Code::kAlreadyExists, "a user named " + u.name + " already exists");
  }
  return Status();
}

Status apply_op(Conn* db, const UpdateUser& op) {
  Stmt s(db,
         "UPDATE users SET password_hash=coalesce(?1, password_hash), role=coalesce(?2, role),"
         " disabled=coalesce(?3, disabled) WHERE id=?4");
  if (op.password_hash) s.bind(1, *op.password_hash); else s.bind_null(1);
  if (op.role) s.bind(2, *op.role); else s.bind_null(2);
  if (op.disabled) s.bind(3, std::int64_t{*op.disabled ? 1 : 0}); else s.bind_null(3);
  s.bind(4, op.id);
  ATIO_RETURN_IF_ERROR(run(db, s, "update user"));
  if (db->changes() == 0) return Status(Code::kNotFound, "user " + op.id + " not found");
  return Status();
}

Status apply_op(Conn* db, const RecordLogin& op) {
  Stmt s(db, "UPDATE users SET last_login_at=? WHERE id=?");
  s.bind(1, op.at_ms).bind(2, op.user_id);
  return run(db, s, "record login");
}

Status apply_op(Conn* db, const PutSession& op) {
  const SessionRecord& r = op.session;
  Stmt s(db,
         "INSERT INTO sessions(id, token_hash, user_id, created_at, expires_at, source_ip)"
         " VALUES(?,?,?,?,?,?)");
  s.bind(1, r.id).bind(2, r.token_hash).bind(3, r.user_id).bind(4, r.created_at_ms)
      .bind(5, r.expires_at_ms).bind(6, r.source_ip);
  return run(db, s, "put session");
}

Status apply_op(Conn* db, const DeleteSession& op) {
  Stmt s(db, "DELETE FROM sessions WHERE id=?");
  s.bind(1, op.id);
  return run(db, s, "delete session");
}

Status apply_op(Conn* db, const DeleteUserSessions& op) {
  Stmt s(db, "DELETE FROM sessions WHERE user_id=?");
  s.bind(1, op.user_id);
  return run(db, s, "delete user sessions");
}

Status apply_op(Conn* db, const DeleteExpiredSessions& op) {
  Stmt s(db, "DELETE FROM sessions WHERE expires_at<?");
  s.bind(1, op.now_ms);
  return run(db, s, "delete expired sessions");
}

Status apply_op(Conn* db, const RevokeApiKey& op) {
  Stmt s(db, "UPDATE api_keys SET revoked_at=? WHERE id=? AND revoked_at=0");
  s.bind(1, op.at_ms).bind(2, op.id);
  ATIO_RETURN_IF_ERROR(run(db, s, "revoke api key"));
  if (db->changes() > 0) return Status();
  Stmt e(db, "SELECT 1 FROM api_keys WHERE id=?");
  e.bind(1, op.id);
  auto found = query<int>(db, e, "revoke api key", [](Stmt&) { return 1; });
  if (!found.is_ok()) return found.status();
  if (found->empty()) return Status(Code::kNotFound, "API key " + op.id + " not found");
  return Status();
}

Result<std::optional<UserRecord>> get_user(Conn* db, const std::string& id) {
  Stmt s(db, (std::string(kSelectUser) + " WHERE id=?").c_str());
  s.bind(1, id);
  return first(query<UserRecord>(db, s, "get user", read_user));
}

Result<std::optional<UserRecord>> find_user(Conn* db, const std::string& name) {
  // Without regard to ASCII case, as the table's uniqueness is.
  Stmt s(db, (std::string(kSelectUser) + " WHERE lower(name)=lower(?)").c_str());
  s.bind(1, name);
  return first(query<UserRecord>(db, s, "find user", read_user));
}

Result<std::vector<UserRecord>> list_users(Conn* db) {
  Stmt s(db, (std::string(kSelectUser) + " ORDER BY name, id").c_str());
  return query<UserRecord>(db, s, "list users", read_user);
}

Result<std::optional<SessionRecord>> find_session(Conn* db, const std::string& token_hash) {
  Stmt s(db, (std::string(kSelectSession) + " WHERE token_hash=?").c_str());
  s.bind(1, token_hash);
  return first(query<SessionRecord>(db, s, "find session", read_session));
}

}  // namespace atio::store::sql
