#include "atio/store/sql/conn.h"

#include <boost/json/parse.hpp>

namespace atio::store::sql {

boost::json::object Stmt::object(int col) const {
  boost::system::error_code ec;
  boost::json::value v = boost::json::parse(impl_->text(col), ec);
  if (ec || !v.is_object()) return {};
  return std::move(v.get_object());
}

Status error_status(Conn* db, std::string_view what) {
  const char* backend = db->dialect() == Dialect::kSqlite ? "sqlite: " : "postgresql: ";
  return Status(db->error_code(), backend + std::string(what) + ": " + db->error());
}

Status serialize_on(Conn* db, std::string_view key) {
  if (db->dialect() == Dialect::kSqlite) return Status();
  Stmt s(db, "SELECT pg_advisory_xact_lock(hashtext(?))");
  s.bind(1, key);
  return run(db, s, "serialize on a key");
}

}  // namespace atio::store::sql
