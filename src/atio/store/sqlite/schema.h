// Schema migrations of the SQLite store, applied in order by user_version.
#pragma once

#include <sqlite3.h>

#include "atio/core/status.h"

namespace atio::store::sqlite {

// Brings the database to the newest schema. Idempotent.
Status migrate(sqlite3* db);

// The user_version migrate() brings a database to.
int newest_schema_version();

// Computes the content hash of playbook versions that have none (those the
// migration to versions made: SQL has no SHA-256). Called by migrate().
Status fill_version_hashes(sqlite3* db);

}  // namespace atio::store::sqlite
