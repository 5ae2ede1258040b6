#include "atio/store/postgres/schema.h"

#include <string>

#include "atio/store/postgres/migrations.h"

namespace atio::store::postgres {

namespace {

// pg_advisory_xact_lock's key for "atio is migrating this database"
// (0x6174696f, "atio" in ASCII). Advisory locks are per database.
constexpr const char* kLockMigrations = "SELECT pg_advisory_xact_lock(1635019119)";

Status migrate_in_transaction(sql::Conn* db) {
  ATIO_RETURN_IF_ERROR(sql::exec(db, kLockMigrations));
  // Under the lock: two nodes creating the table at once would otherwise
  // collide in the catalog even with IF NOT EXISTS.
  ATIO_RETURN_IF_ERROR(sql::exec(db,
                                 "CREATE TABLE IF NOT EXISTS schema_migrations ("
                                 " version INTEGER PRIMARY KEY,"
                                 " applied_at BIGINT NOT NULL)"));
  ATIO_ASSIGN_OR_RETURN(const int version, schema_version(db));
  const int newest = newest_schema_version();
  if (version > newest) {
    return Status(Code::kIo, "database schema version " + std::to_string(version) +
                                 " is newer than this atio's (" + std::to_string(newest) +
                                 "): run a newer atio on this database");
  }
  sql::Stmt done(db,
                 "INSERT INTO schema_migrations(version, applied_at)"
                 " VALUES(?, round(extract(epoch FROM now()) * 1000)::BIGINT)");
  for (int v = version + 1; v <= newest; ++v) {
    const std::string what = "postgresql migration " + std::to_string(v);
    Status s = sql::exec(db, migrations()[v - 1]);
    if (!s.is_ok()) return std::move(s).with_context(what);
    done.bind(1, std::int64_t{v});
    ATIO_RETURN_IF_ERROR(sql::run(db, done, what.c_str()));
    done.reset();
  }
  return Status();
}

}  // namespace

int newest_schema_version() { return static_cast<int>(migrations().size()); }

Result<int> schema_version(sql::Conn* db) {
  sql::Stmt exists(db, "SELECT to_regclass('schema_migrations') IS NOT NULL");
  ATIO_ASSIGN_OR_RETURN(
      auto found, sql::first(sql::query<std::int64_t>(db, exists, "looking for schema_migrations",
                                                      [](sql::Stmt& s) { return s.int64(0); })));
  if (!found || *found == 0) return 0;
  sql::Stmt max(db, "SELECT coalesce(max(version), 0) FROM schema_migrations");
  ATIO_ASSIGN_OR_RETURN(
      auto version, sql::first(sql::query<std::int64_t>(db, max, "reading the schema version",
                                                        [](sql::Stmt& s) { return s.int64(0); })));
  return static_cast<int>(version.value_or(0));
}

Status migrate(sql::Conn* db) {
  if (db->dialect() != sql::Dialect::kPostgres) {
    return Status(Code::kInternal, "postgres::migrate given a connection that is not PostgreSQL");
  }
  ATIO_RETURN_IF_ERROR(sql::exec(db, "BEGIN"));
  Status s = migrate_in_transaction(db);
  if (!s.is_ok()) {
    (void)sql::exec(db, "ROLLBACK");
    return s;
  }
  return sql::exec(db, "COMMIT");
}

}  // namespace atio::store::postgres
