#include "atio/store/postgres/pg_store.h"

#include "atio/store/postgres/conn.h"
#include "atio/store/postgres/listener.h"
#include "atio/store/postgres/playbook_watch.h"
#include "atio/store/postgres/schema.h"
#include "atio/store/sql/sql_store.h"

namespace atio::store {

namespace {

Result<std::unique_ptr<sql::Conn>> connect(const std::string& conninfo) {
  ATIO_ASSIGN_OR_RETURN(auto db, postgres::PgConn::connect(conninfo));
  return std::unique_ptr<sql::Conn>(std::move(db));
}

}  // namespace

Result<std::unique_ptr<Store>> open_postgres_store(const PostgresOptions& options) {
  ATIO_ASSIGN_OR_RETURN(auto writer, connect(options.conninfo));
  ATIO_RETURN_IF_ERROR(postgres::migrate(writer.get()));

  const std::string conninfo = options.conninfo;
  sql::WriterOptions wo;
  wo.max_batches_per_commit = options.max_batches_per_commit;
  wo.audit = options.audit;
  wo.begin_sql = "BEGIN";
  wo.reopen = [conninfo] { return connect(conninfo); };

  sql::SqlStoreParts parts;
  parts.writer = std::make_unique<sql::Writer>(std::move(writer), std::move(wo));
  parts.open_reader = [conninfo] { return connect(conninfo); };
  parts.readers = options.readers;
  parts.open_watch = [conninfo] { return postgres::open_playbook_watch(conninfo); };
  parts.open_listener = [conninfo](const std::vector<std::string>& channels) {
    return postgres::open_listener(conninfo, channels);
  };
  return sql::make_sql_store(std::move(parts));
}

}  // namespace atio::store
