// The store's conformance suite: fixtures whose tests run on every backend.
//
// A test written TEST_P on a fixture derived from BackendTest runs twice:
// on SQLite (a file in a new temporary directory) and on PostgreSQL (a new
// empty database on the server the tests start themselves,
// support/pg_server.h). ATIO_ON_EVERY_BACKEND(Fixture) instantiates it on
// both; ATIO_ON_SQLITE_ONLY(Fixture) for what only SQLite has (its file
// format, PRAGMAs, migrations of databases older than the PostgreSQL
// backend).
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "atio/core/ids.h"
#include "atio/store/open_store.h"
#include "atio/store/postgres/conn.h"
#include "atio/store/sqlite/db.h"
#include "support/pg_server.h"

namespace atio::store {

enum class Backend { kSqlite, kPostgres };

inline std::string backend_name(const ::testing::TestParamInfo<Backend>& info) {
  return info.param == Backend::kSqlite ? "Sqlite" : "Postgres";
}

class BackendTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    if (sqlite()) {
      dir_ = std::filesystem::temp_directory_path() / ("atio-store-" + uuid_v4());
      std::filesystem::create_directories(dir_);
      location_ = (dir_ / "atio.db").string();
    } else {
      testing::PgServer& server = testing::PgServer::get();
      ASSERT_TRUE(server.ok()) << server.error();
      auto info = server.fresh_database();
      ASSERT_TRUE(info.is_ok()) << info.status().to_string();
      location_ = *info;
    }
    open();
  }

  void TearDown() override {
    store_.reset();
    if (!dir_.empty()) std::filesystem::remove_all(dir_);
  }

  bool sqlite() const { return GetParam() == Backend::kSqlite; }

  // Opens the test's store (again, after reset()), with `audit`.
  void open(AuditCheckpointPolicy audit = {}) {
    store_.reset();
    StoreOptions o;
    o.location = location_;
    o.synchronous = "normal";
    o.audit = std::move(audit);
    auto r = open_store(o);
    ASSERT_TRUE(r.is_ok()) << r.status().to_string();
    store_ = std::move(r).value();
  }

  // A connection of the test's own to the database, as an outside tool (or
  // an insider with access) would have.
  std::unique_ptr<sql::Conn> raw() {
    if (sqlite()) {
      auto c = sqlite::open(location_, SQLITE_OPEN_READWRITE, 10000, "test database");
      EXPECT_TRUE(c.is_ok()) << c.status().to_string();
      return c.is_ok() ? std::unique_ptr<sql::Conn>(std::move(*c)) : nullptr;
    }
    auto c = postgres::PgConn::connect(location_);
    EXPECT_TRUE(c.is_ok()) << c.status().to_string();
    return c.is_ok() ? std::unique_ptr<sql::Conn>(std::move(*c)) : nullptr;
  }

  // Runs SQL (one or more statements) on a connection of the test's own.
  void sql(const std::string& text) {
    auto db = raw();
    ASSERT_NE(db, nullptr);
    Status s = db->exec(text.c_str());
    ASSERT_TRUE(s.is_ok()) << s.to_string() << "\n" << text;
  }

  // The first column of every row of `query`, as text.
  std::vector<std::string> column(const std::string& query) {
    auto db = raw();
    if (!db) return {};
    sql::Stmt s(db.get(), query.c_str());
    auto rows = sql::query<std::string>(db.get(), s, "test query",
                                        [](sql::Stmt& st) { return st.text(0); });
    EXPECT_TRUE(rows.is_ok()) << rows.status().to_string() << "\n" << query;
    return rows.is_ok() ? *rows : std::vector<std::string>{};
  }

  // The number `query` returns (its first row's first column).
  std::int64_t count(const std::string& query) {
    auto values = column(query);
    EXPECT_FALSE(values.empty()) << query;
    return values.empty() ? -1 : std::stoll(values.front());
  }

  std::string location_;  // the SQLite file, or the PostgreSQL database's URL
  std::unique_ptr<Store> store_;

 private:
  std::filesystem::path dir_;
};

#define ATIO_ON_EVERY_BACKEND(Fixture)                                                      \
  INSTANTIATE_TEST_SUITE_P(Backends, Fixture,                                               \
                           ::testing::Values(::atio::store::Backend::kSqlite,              \
                                             ::atio::store::Backend::kPostgres),           \
                           ::atio::store::backend_name)
#define ATIO_ON_SQLITE_ONLY(Fixture)                                                        \
  INSTANTIATE_TEST_SUITE_P(Sqlite, Fixture, ::testing::Values(::atio::store::Backend::kSqlite), \
                           ::atio::store::backend_name)

}  // namespace atio::store
