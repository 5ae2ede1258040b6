#include "atio/store/sql/secret_tables.h"

#include "atio/store/sql/conn.h"

namespace atio::store::sql {

namespace {

constexpr const char* kSelectSecret =
    "SELECT name, sealed, description, created_at, updated_at, updated_by FROM secrets";

SecretRecord read_secret(Stmt& s) {
  SecretRecord r;
  r.name = s.text(0);
  r.sealed = s.text(1);
  r.description = s.text(2);
  r.created_at_ms = s.int64(3);
  r.updated_at_ms = s.int64(4);
  r.updated_by = s.text(5);
  return r;
}

}  // namespace

Status apply_op(Conn* db, const PutSecret& op) {
  const SecretRecord& r = op.secret;
  Stmt s(db,
         "INSERT INTO secrets(name, sealed, description, created_at, updated_at, updated_by)"
         " VALUES(?,?,?,?,?,?) ON CONFLICT(name) DO UPDATE SET sealed=excluded.sealed,"
         " description=excluded.description, updated_at=excluded.updated_at,"
         " updated_by=excluded.updated_by");
  s.bind(1, r.name).bind(2, r.sealed).bind(3, r.description).bind(4, r.created_at_ms)
      .bind(5, r.updated_at_ms).bind(6, r.updated_by);
  return run(db, s, "put secret");
}

Status apply_op(Conn* db, const DeleteSecret& op) {
  Stmt s(db, "DELETE FROM secrets WHERE name=?");
  s.bind(1, op.name);
  ATIO_RETURN_IF_ERROR(run(db, s, "delete secret"));
  if (db->changes() == 0) return Status(Code::kNotFound, "secret " + op.name + " not found");
  return Status();
}

Result<std::optional<SecretRecord>> get_secret(Conn* db, const std::string& name) {
  Stmt s(db, (std::string(kSelectSecret) + " WHERE name=?").c_str());
  s.bind(1, name);
  return first(query<SecretRecord>(db, s, "get secret", read_secret));
}

Result<std::vector<SecretRecord>> list_secrets(Conn* db) {
  Stmt s(db, (std::string(kSelectSecret) + " ORDER BY name").c_str());
  return query<SecretRecord>(db, s, "list secrets", read_secret);
}

}  // namespace atio::store::sql
