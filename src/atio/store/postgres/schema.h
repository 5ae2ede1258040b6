// Schema migrations of the PostgreSQL store.
//
// The schema is the SQLite store's (sqlite/schema.cc), table for table and
// column for column, in PostgreSQL's types (postgres/migrations.cc). The
// version reached is kept in the table schema_migrations (one row per
// migration applied, with the time it was applied).
#pragma once

#include "atio/core/status.h"
#include "atio/store/sql/conn.h"

namespace atio::store::postgres {

// Brings the database `db` is connected to to the newest schema, all
// migrations in one transaction (a failure leaves the database as it was).
// Idempotent, and safe when several atio nodes start at once: they take
// turns on a transaction-scoped advisory lock, the first migrates and the
// others find the work done. A database whose schema is newer than this
// atio's is refused (kIo, naming both versions) and left untouched.
// REQUIRES: a PostgreSQL connection with no transaction open.
Status migrate(sql::Conn* db);

// The version migrate() brings a database to.
int newest_schema_version();

// The version of the database's schema: 0 for an empty database.
Result<int> schema_version(sql::Conn* db);

}  // namespace atio::store::postgres
