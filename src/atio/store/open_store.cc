#include "atio/store/open_store.h"

#include "atio/store/postgres/pg_store.h"
#include "atio/store/sqlite/sqlite_store.h"

namespace atio::store {

bool is_postgres_location(std::string_view l) {
  return l.starts_with("postgresql://") || l.starts_with("postgres://") ||
         l.starts_with("host=") || l.starts_with("dbname=");
}

std::string redacted_location(std::string_view l) {
  std::string out(l);
  if (!is_postgres_location(l)) return out;
  const std::size_t scheme = out.find("://");
  if (scheme != std::string::npos) {
    // scheme://user:password@host → scheme://user:***@host
    const std::size_t start = scheme + 3;
    const std::size_t at = out.find('@', start);
    const std::size_t slash = out.find('/', start);
    const std::size_t colon = out.find(':', start);
    if (at != std::string::npos && (slash == std::string::npos || at < slash) &&
        colon != std::string::npos && colon < at) {
      out.replace(colon + 1, at - colon - 1, "***");
    }
  }
  const std::size_t pw = out.find("password=");
  if (pw != std::string::npos) {
    const std::size_t end = out.find_first_of(" &", pw);
    out.replace(pw + 9, (end == std::string::npos ? out.size() : end) - pw - 9, "***");
  }
  return out;
}

Result<std::unique_ptr<Store>> open_store(const StoreOptions& options) {
  if (is_postgres_location(options.location)) {
    PostgresOptions po;
    po.conninfo = options.location;
    po.audit = options.audit;
    return open_postgres_store(po);
  }
  SqliteOptions so;
  so.path = options.location;
  so.synchronous = options.synchronous;
  so.audit = options.audit;
  return open_sqlite_store(so);
}

}  // namespace atio::store
