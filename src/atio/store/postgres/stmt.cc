#include "atio/store/postgres/stmt.h"

#include <libpq-fe.h>

#include <charconv>

#include "atio/store/postgres/conn.h"

namespace atio::store::postgres {

namespace {

constexpr Oid kInt8Oid = 20;  // bigint, pg_type.h's INT8OID
constexpr Oid kTextOid = 25;  // text, pg_type.h's TEXTOID
constexpr Oid kByteaOid = 17;  // bytea, pg_type.h's BYTEAOID

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

PgStmt::PgStmt(PgConn* conn, PgSql sql)
    : conn_(conn),
      sql_(std::move(sql)),
      values_(sql_.params),
      null_(sql_.params, true),
      types_(sql_.params, 0),
      formats_(sql_.params, 0) {
  reset();
}

PgStmt::~PgStmt() { clear_result(); }

// A parameter the SQL never names ($2 of "SELECT $1, $3") has no context to
// infer a type from, and PostgreSQL refuses an unknown: it is sent as text.
unsigned int PgStmt::untyped(int i) const { return sql_.used[i - 1] ? 0 : kTextOid; }

bool PgStmt::slot(int i) {
  if (i >= 1 && i <= sql_.params) return true;
  if (bind_error_.empty()) {
    bind_error_ = "parameter ?" + std::to_string(i) + " does not exist (the statement has " +
                  std::to_string(sql_.params) + ")";
  }
  return false;
}

void PgStmt::bind_text(int i, std::string_view v, bool) {
  if (!slot(i)) return;
  if (v.find('\0') != std::string_view::npos && bind_error_.empty()) {
    // PostgreSQL text cannot hold NUL; libpq would cut the value short.
    bind_error_ = "parameter ?" + std::to_string(i) + " holds a NUL byte";
  }
  values_[i - 1].assign(v);
  null_[i - 1] = false;
  types_[i - 1] = untyped(i);
  formats_[i - 1] = 0;
}

void PgStmt::bind_blob(int i, std::string_view v, bool) {
  if (!slot(i)) return;
  values_[i - 1].assign(v);
  null_[i - 1] = false;
  types_[i - 1] = kByteaOid;
  formats_[i - 1] = 1;
}

void PgStmt::bind_int64(int i, std::int64_t v) {
  if (!slot(i)) return;
  char buf[24];
  const auto end = std::to_chars(buf, buf + sizeof buf, v).ptr;
  values_[i - 1].assign(buf, end);
  null_[i - 1] = false;
  types_[i - 1] = sql_.used[i - 1] ? kInt8Oid : kTextOid;
  formats_[i - 1] = 0;
}

void PgStmt::bind_null(int i) {
  if (!slot(i)) return;
  values_[i - 1].clear();
  null_[i - 1] = true;
  types_[i - 1] = untyped(i);
  formats_[i - 1] = 0;
}

int PgStmt::step() {
  if (state_ != State::kRows) return run();
  if (++row_ < rows_) return sql::kRow;
  state_ = State::kDone;
  return sql::kDone;
}

int PgStmt::run() {
  clear_result();
  if (!bind_error_.empty()) {
    conn_->set_error(bind_error_, "");
    state_ = State::kDone;
    return sql::kError;
  }
  std::vector<const char*> values(values_.size());
  std::vector<int> lengths(values_.size());
  for (std::size_t i = 0; i < values_.size(); ++i) {
    values[i] = null_[i] ? nullptr : values_[i].c_str();
    lengths[i] = static_cast<int>(values_[i].size());  // read for binary parameters only
  }
  PGresult* r = PQexecParams(conn_->conn_, sql_.text.c_str(), sql_.params, types_.data(),
                             values.data(), lengths.data(), formats_.data(), 0);
  if (!conn_->take_result(r)) {
    PQclear(r);
    state_ = State::kDone;
    return sql::kError;
  }
  if (PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) > 0) {
    result_ = r;
    rows_ = PQntuples(r);
    row_ = 0;
    state_ = State::kRows;
    return sql::kRow;
  }
  PQclear(r);
  state_ = State::kDone;
  return sql::kDone;
}

void PgStmt::reset() {
  clear_result();
  state_ = State::kReady;
  bind_error_.clear();
  for (int i = 1; i <= sql_.params; ++i) bind_null(i);
}

void PgStmt::clear_result() {
  if (result_) PQclear(result_);
  result_ = nullptr;
  rows_ = 0;
  row_ = 0;
}

bool PgStmt::has_value(int col) const {
  return state_ == State::kRows && col >= 0 && col < PQnfields(result_) &&
         !PQgetisnull(result_, row_, col);
}

std::string_view PgStmt::text(int col) const {
  if (!has_value(col)) return {};
  return std::string_view(PQgetvalue(result_, row_, col),
                          static_cast<std::size_t>(PQgetlength(result_, row_, col)));
}

std::int64_t PgStmt::int64(int col) const {
  const std::string_view t = text(col);
  std::int64_t v = 0;
  if (std::from_chars(t.data(), t.data() + t.size(), v).ec == std::errc()) return v;
  return t == "t" ? 1 : 0;  // a boolean column
}

std::string PgStmt::blob(int col) const {
  const std::string_view t = text(col);
  if (t.size() < 2 || t[0] != '\\' || t[1] != 'x') return std::string(t);  // not hex: as is
  std::string out;
  out.reserve((t.size() - 2) / 2);
  for (std::size_t i = 2; i + 1 < t.size(); i += 2) {
    const int hi = hex_value(t[i]), lo = hex_value(t[i + 1]);
    if (hi < 0 || lo < 0) break;
    out.push_back(static_cast<char>(hi << 4 | lo));
  }
  return out;
}

bool PgStmt::is_null(int col) const {
  return state_ == State::kRows && col >= 0 && col < PQnfields(result_) &&
         PQgetisnull(result_, row_, col);
}

}  // namespace atio::store::postgres
