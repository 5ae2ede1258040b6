// The fixture of the tests that run on a real PostgreSQL
// (tests/support/pg_server.h): each test gets a new empty database and a
// connection to it, and helpers to run SQL and read what it returns.
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "atio/core/ids.h"
#include "atio/store/postgres/conn.h"
#include "atio/store/sqlite/sqlite_store.h"
#include "support/pg_server.h"

namespace atio::store::postgres {

// A SQLite store file as atio makes it, the reference the PostgreSQL schema
// is compared with; removed with this object.
struct SqliteReference {
  SqliteReference() {
    std::filesystem::create_directories(dir);
    SqliteOptions o;
    o.path = path;
    o.synchronous = "normal";
    auto store = open_sqlite_store(o);
    status = store.status();
    if (store.is_ok()) (*store)->close();
  }
  ~SqliteReference() { std::filesystem::remove_all(dir); }

  const std::filesystem::path dir =
      std::filesystem::temp_directory_path() / ("atio-pg-reference-" + uuid_v4());
  const std::string path = (dir / "atio.db").string();
  Status status;
};

class PgTest : public ::testing::Test {
 protected:
  void SetUp() override {
    testing::PgServer& server = testing::PgServer::get();
    ASSERT_TRUE(server.ok()) << server.error();
    Result<std::string> info = server.fresh_database();
    ASSERT_TRUE(info.is_ok()) << info.status().to_string();
    conninfo_ = *info;
    conn_ = connect();
    ASSERT_NE(conn_, nullptr);
  }

  // Another connection to the test's database.
  std::unique_ptr<PgConn> connect() {
    Result<std::unique_ptr<PgConn>> c = PgConn::connect(conninfo_);
    EXPECT_TRUE(c.is_ok()) << c.status().to_string();
    return c.is_ok() ? std::move(c).value() : nullptr;
  }

  void exec(const std::string& sql) {
    Status s = conn_->exec(sql.c_str());
    ASSERT_TRUE(s.is_ok()) << s.to_string() << "\n" << sql;
  }

  // Every row of a query, its first `ncols` columns as text ("NULL" for NULL).
  std::vector<std::vector<std::string>> rows(const std::string& sql, int ncols,
                                             PgConn* conn = nullptr) {
    sql::Conn* db = conn ? conn : conn_.get();
    sql::Stmt s(db, sql.c_str());
    auto r = sql::query<std::vector<std::string>>(db, s, "test query", [&](sql::Stmt& st) {
      std::vector<std::string> row;
      for (int c = 0; c < ncols; ++c) row.push_back(st.is_null(c) ? "NULL" : st.text(c));
      return row;
    });
    EXPECT_TRUE(r.is_ok()) << r.status().to_string() << "\n" << sql;
    return r.is_ok() ? *r : std::vector<std::vector<std::string>>{};
  }

  // The first column of every row.
  std::vector<std::string> column(const std::string& sql, PgConn* conn = nullptr) {
    std::vector<std::string> out;
    for (auto& row : rows(sql, 1, conn)) out.push_back(row[0]);
    return out;
  }

  std::string conninfo_;
  std::unique_ptr<PgConn> conn_;

};

}  // namespace atio::store::postgres
