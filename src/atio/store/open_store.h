// Opens the store a location names: a PostgreSQL URL (postgresql:// or
// postgres://, or libpq key=value pairs starting with "host=" or
// "dbname="), else a SQLite file path.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "atio/store/store.h"

namespace atio::store {

struct StoreOptions {
  std::string location;
  std::string synchronous = "full";  // SQLite only (SqliteOptions)
  AuditCheckpointPolicy audit;
};

// True when `location` names a PostgreSQL server rather than a file.
bool is_postgres_location(std::string_view location);

Result<std::unique_ptr<Store>> open_store(const StoreOptions& options);

// `location` for messages: a URL's password replaced by "***".
std::string redacted_location(std::string_view location);

}  // namespace atio::store
