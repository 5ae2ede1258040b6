#include "atio/store/sqlite/db.h"

#include <boost/json/parse.hpp>

namespace atio::store::sqlite {

Stmt::Stmt(sqlite3* db, const char* sql) : db_(db) {
  if (sqlite3_prepare_v3(db, sql, -1, SQLITE_PREPARE_PERSISTENT, &s_, nullptr) != SQLITE_OK) {
    s_ = nullptr;
  }
}

Stmt::~Stmt() {
  if (s_) sqlite3_finalize(s_);
}

Stmt& Stmt::operator=(Stmt&& o) noexcept {
  if (this != &o) {
    if (s_) sqlite3_finalize(s_);
    db_ = o.db_;
    s_ = o.s_;
    o.s_ = nullptr;
  }
  return *this;
}

std::string Stmt::error() const { return db_ ? sqlite3_errmsg(db_) : "no database"; }

Stmt& Stmt::bind(int i, std::string_view v) {
  sqlite3_bind_text(s_, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
  return *this;
}

Stmt& Stmt::bind_ref(int i, std::string_view v) {
  sqlite3_bind_text(s_, i, v.data(), static_cast<int>(v.size()), SQLITE_STATIC);
  return *this;
}

Stmt& Stmt::bind(int i, std::int64_t v) {
  sqlite3_bind_int64(s_, i, v);
  return *this;
}

Stmt& Stmt::bind_null(int i) {
  sqlite3_bind_null(s_, i);
  return *this;
}

int Stmt::step() { return sqlite3_step(s_); }

void Stmt::reset() {
  sqlite3_reset(s_);
  sqlite3_clear_bindings(s_);
}

std::string Stmt::text(int col) const {
  const unsigned char* t = sqlite3_column_text(s_, col);
  if (!t) return {};
  return std::string(reinterpret_cast<const char*>(t),
                     static_cast<std::size_t>(sqlite3_column_bytes(s_, col)));
}

boost::json::object Stmt::object(int col) const {
  boost::system::error_code ec;
  boost::json::value v = boost::json::parse(text(col), ec);
  if (ec || !v.is_object()) return {};
  return std::move(v.get_object());
}

std::int64_t Stmt::int64(int col) const { return sqlite3_column_int64(s_, col); }

bool Stmt::is_null(int col) const { return sqlite3_column_type(s_, col) == SQLITE_NULL; }

Status exec(sqlite3* db, const char* sql) {
  char* err = nullptr;
  if (sqlite3_exec(db, sql, nullptr, nullptr, &err) != SQLITE_OK) {
    std::string m = err ? err : "unknown error";
    sqlite3_free(err);
    return Status(Code::kIo, "sqlite: " + m);
  }
  return Status();
}

Status error_status(sqlite3* db, std::string_view what) {
  return Status(Code::kIo, "sqlite: " + std::string(what) + ": " + sqlite3_errmsg(db));
}

}  // namespace atio::store::sqlite
