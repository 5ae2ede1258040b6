// Schema migrations of the SQLite store, applied in order by user_version.
#pragma once


#include "atio/core/status.h"
#include "atio/store/sql/conn.h"

namespace atio::store::sqlite {

// Brings the database to the newest schema. Idempotent.
Status migrate(sql::Conn* db);

// The user_version migrate() brings a database to.
int newest_schema_version();

// Computes the content hash of playbook versions that have none (those the
// migration to versions made: SQL has no SHA-256). Called by migrate().
Status fill_version_hashes(sql::Conn* db);

}  // namespace atio::store::sqlite
