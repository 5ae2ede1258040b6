#include "atio/store/postgres/conn.h"

#include <libpq-fe.h>

#include <cstdlib>
#include <cstring>
#include <set>
#include <utility>
#include <vector>

#include "atio/store/postgres/placeholders.h"
#include "atio/store/postgres/stmt.h"

namespace atio::store::postgres {

namespace {

// What a connection gets unless the conninfo or libpq's environment says
// otherwise: a dead or unreachable server is noticed in seconds, not after
// the kernel's two-hour keepalive default.
struct Default {
  const char* keyword;
  const char* value;
  const char* env;  // libpq's environment variable for it, if any
};
constexpr Default kDefaults[] = {
    {"connect_timeout", "5", "PGCONNECT_TIMEOUT"},
    {"keepalives", "1", nullptr},
    {"keepalives_idle", "10", nullptr},
    {"keepalives_interval", "5", nullptr},
    {"keepalives_count", "3", nullptr},
    {"tcp_user_timeout", "20000", nullptr},
    {"application_name", "atio", "PGAPPNAME"},
    {"client_encoding", "UTF8", "PGCLIENTENCODING"},
};

// libpq's multi-line messages ("…\n\tThis probably means…") on one line.
std::string one_line(std::string_view m) {
  std::string out;
  bool space = false;
  for (char c : m) {
    if (c == '\n' || c == '\t' || c == '\r' || c == ' ') {
      space = !out.empty();
    } else {
      if (space) out += ' ';
      space = false;
      out += c;
    }
  }
  return out;
}

// The password a conninfo spells out, found without libpq (which could not
// read the conninfo), so that its error message can be cleaned of it.
std::string password_in(std::string_view conninfo) {
  const std::size_t scheme = conninfo.find("://");
  if (scheme != std::string_view::npos) {
    std::string_view rest = conninfo.substr(scheme + 3);
    rest = rest.substr(0, rest.find_first_of("/?"));
    const std::size_t at = rest.rfind('@');
    if (at == std::string_view::npos) return {};
    rest = rest.substr(0, at);
    const std::size_t colon = rest.find(':');
    return colon == std::string_view::npos ? std::string() : std::string(rest.substr(colon + 1));
  }
  std::size_t p = conninfo.find("password");
  if (p == std::string_view::npos) return {};
  p = conninfo.find('=', p);
  if (p == std::string_view::npos) return {};
  ++p;
  while (p < conninfo.size() && conninfo[p] == ' ') ++p;
  if (p < conninfo.size() && conninfo[p] == '\'') {
    const std::size_t end = conninfo.find('\'', p + 1);
    return std::string(conninfo.substr(p + 1, end == std::string_view::npos ? end : end - p - 1));
  }
  const std::size_t end = conninfo.find(' ', p);
  return std::string(conninfo.substr(p, end == std::string_view::npos ? end : end - p));
}

std::string redact(std::string message, const std::string& password) {
  if (password.empty()) return message;
  for (std::size_t p; (p = message.find(password)) != std::string::npos;) {
    message.replace(p, password.size(), "***");
  }
  return message;
}

std::string describe(PGconn* c) {
  auto str = [](const char* s) { return std::string(s ? s : ""); };
  return str(PQhost(c)) + ":" + str(PQport(c)) + "/" + str(PQdb(c)) + " as " + str(PQuser(c));
}

bool changes_rows(const char* command) {
  for (const char* verb : {"INSERT", "UPDATE", "DELETE", "MERGE"}) {
    if (std::strncmp(command, verb, std::strlen(verb)) == 0) return true;
  }
  return false;
}

// A COPY started through this interface would leave the connection waiting
// for data; end it and read its results so that the next statement runs.
void end_copy(PGconn* c, ExecStatusType status) {
  if (status == PGRES_COPY_IN || status == PGRES_COPY_BOTH) {
    (void)PQputCopyEnd(c, "COPY is not supported by atio's SQL interface");
  } else if (status == PGRES_COPY_OUT) {
    char* buf = nullptr;
    while (PQgetCopyData(c, &buf, 0) > 0) PQfreemem(buf);
  }
  while (PGresult* r = PQgetResult(c)) PQclear(r);
}

}  // namespace

Result<std::unique_ptr<PgConn>> PgConn::connect(const std::string& conninfo) {
  char* parse_error = nullptr;
  PQconninfoOption* options = PQconninfoParse(conninfo.c_str(), &parse_error);
  if (!options) {
    std::string m = parse_error ? one_line(parse_error) : "out of memory";
    PQfreemem(parse_error);
    return Status(Code::kInvalidArgument, "postgresql: cannot read the connection string: " +
                                              redact(std::move(m), password_in(conninfo)));
  }
  std::vector<const char*> keywords, values;
  std::set<std::string> given;
  std::string password;
  for (const PQconninfoOption* o = options; o->keyword; ++o) {
    if (!o->val) continue;
    keywords.push_back(o->keyword);
    values.push_back(o->val);
    given.insert(o->keyword);
    if (std::strcmp(o->keyword, "password") == 0) password = o->val;
  }
  for (const Default& d : kDefaults) {
    if (given.count(d.keyword) || (d.env && std::getenv(d.env))) continue;
    keywords.push_back(d.keyword);
    values.push_back(d.value);
  }
  keywords.push_back(nullptr);
  values.push_back(nullptr);
  PGconn* c = PQconnectdbParams(keywords.data(), values.data(), 0);
  PQconninfoFree(options);
  if (!c) return Status(Code::kInternal, "postgresql: out of memory");
  std::string server = describe(c);
  if (PQstatus(c) != CONNECTION_OK) {
    std::string m = redact(one_line(PQerrorMessage(c)), password);
    PQfinish(c);
    return Status(Code::kUnavailable, "postgresql: cannot connect to " + server + ": " + m);
  }
  // Notices (e.g. "relation already exists, skipping") would go to stderr.
  PQsetNoticeReceiver(c, [](void*, const PGresult*) {}, nullptr);
  return std::unique_ptr<PgConn>(new PgConn(c, std::move(server)));
}

PgConn::~PgConn() { PQfinish(conn_); }

std::unique_ptr<sql::StmtImpl> PgConn::prepare(const char* sql) {
  Result<PgSql> translated = to_postgres_placeholders(sql);
  if (!translated.is_ok()) {
    set_error(translated.status().message(), "");
    return nullptr;
  }
  return std::make_unique<PgStmt>(this, std::move(translated.value()));
}

Status PgConn::exec(const char* sql) {
  PGresult* r = PQexec(conn_, sql);
  const bool ok = take_result(r);
  PQclear(r);
  if (!ok) return Status(error_code(), "postgresql: " + error());
  return Status();
}

std::string PgConn::error() const {
  return error_.empty() ? one_line(PQerrorMessage(conn_)) : error_;
}

Code PgConn::error_code() const {
  if (PQstatus(conn_) == CONNECTION_BAD) return Code::kUnavailable;
  // 08: connection exception; 57P01 admin shutdown, 57P02 crash shutdown,
  // 57P03 cannot connect now (the server is starting or stopping).
  if (sqlstate_.rfind("08", 0) == 0 || sqlstate_ == "57P01" || sqlstate_ == "57P02" ||
      sqlstate_ == "57P03") {
    return Code::kUnavailable;
  }
  return Code::kIo;
}

bool PgConn::connected() const { return PQstatus(conn_) == CONNECTION_OK; }

bool PgConn::transaction_failed() const {
  return PQtransactionStatus(conn_) == PQTRANS_INERROR;
}

bool PgConn::reconnect() {
  PQreset(conn_);
  if (PQstatus(conn_) != CONNECTION_OK) {
    set_error(one_line(PQerrorMessage(conn_)), "");
    return false;
  }
  set_error("", "");
  return true;
}

bool PgConn::take_result(pg_result* result) {
  if (!result) {
    set_error(one_line(PQerrorMessage(conn_)), "");
    return false;
  }
  const ExecStatusType status = PQresultStatus(result);
  switch (status) {
    case PGRES_COMMAND_OK:
    case PGRES_TUPLES_OK:
    case PGRES_SINGLE_TUPLE:
    case PGRES_EMPTY_QUERY:
      set_error("", "");
      if (changes_rows(PQcmdStatus(result))) {
        changes_ = std::strtoll(PQcmdTuples(result), nullptr, 10);
      }
      return true;
    case PGRES_COPY_IN:
    case PGRES_COPY_OUT:
    case PGRES_COPY_BOTH:
      end_copy(conn_, status);
      set_error("COPY is not supported by atio's SQL interface", "");
      return false;
    default:
      break;
  }
  const char* primary = PQresultErrorField(result, PG_DIAG_MESSAGE_PRIMARY);
  const char* state = PQresultErrorField(result, PG_DIAG_SQLSTATE);
  std::string m = one_line(primary ? primary : PQresultErrorMessage(result));
  if (m.empty()) m = one_line(PQerrorMessage(conn_));
  if (m.empty()) m = PQresStatus(status);
  set_error(std::move(m), state ? state : "");
  return false;
}

void PgConn::set_error(std::string message, std::string sqlstate) {
  error_ = std::move(message);
  sqlstate_ = std::move(sqlstate);
}

}  // namespace atio::store::postgres
