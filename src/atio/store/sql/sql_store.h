// The Store (store.h) over SQL, whichever the backend: the group-commit
// writer for submit(), a pool of reader connections for the queries, and
// caches of the credentials read on every request. A backend (sqlite/,
// postgres/) opens its connections, migrates the schema and hands the parts
// to make_sql_store().
#pragma once

#include <functional>
#include <memory>

#include "atio/store/sql/conn.h"
#include "atio/store/sql/writer.h"
#include "atio/store/store.h"

namespace atio::store::sql {

struct SqlStoreParts {
  std::unique_ptr<Writer> writer;
  // Opens a reader connection; called once now (its error is the store's)
  // and again when the pool grows or a connection broke.
  std::function<Result<std::unique_ptr<Conn>>()> open_reader;
  std::size_t readers = 1;  // at most this many reads run at once
  // Opens a PlaybookWatch (store.h) on a connection of its own.
  std::function<Result<std::unique_ptr<PlaybookWatch>>()> open_watch;
  // Opens a Listener (store.h); empty when no other process can notify.
  std::function<Result<std::unique_ptr<Listener>>(const std::vector<std::string>&)> open_listener;
};

Result<std::unique_ptr<Store>> make_sql_store(SqlStoreParts parts);

}  // namespace atio::store::sql
