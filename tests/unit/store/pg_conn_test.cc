// PgConn against a real PostgreSQL: parameters numbered as SQLite numbers
// them (SQLite itself is the oracle), values round-trip byte for byte,
// changes() and errors are what a caller of sql::Conn relies on.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "atio/store/postgres/conn.h"
#include "pg_test.h"

namespace atio::store::postgres {
namespace {

using PgConnTest = PgTest;

// What `sql` gives on SQLite when each parameter i is bound to "p<i>": how
// many parameters SQLite counted, and the first `ncols` columns of its row.
struct SqliteAnswer {
  int params = 0;
  std::vector<std::string> row;
};
SqliteAnswer ask_sqlite(const std::string& sql, int ncols) {
  SqliteAnswer a;
  sqlite3* db = nullptr;
  EXPECT_EQ(sqlite3_open(":memory:", &db), SQLITE_OK);
  sqlite3_stmt* s = nullptr;
  EXPECT_EQ(sqlite3_prepare_v2(db, sql.c_str(), -1, &s, nullptr), SQLITE_OK)
      << sqlite3_errmsg(db) << ": " << sql;
  if (s) {
    a.params = sqlite3_bind_parameter_count(s);
    for (int i = 1; i <= a.params; ++i) {
      sqlite3_bind_text(s, i, ("p" + std::to_string(i)).c_str(), -1, SQLITE_TRANSIENT);
    }
    EXPECT_EQ(sqlite3_step(s), SQLITE_ROW) << sqlite3_errmsg(db);
    for (int c = 0; c < ncols; ++c) {
      const unsigned char* t = sqlite3_column_text(s, c);
      a.row.push_back(t ? reinterpret_cast<const char*>(t) : "NULL");
    }
  }
  sqlite3_finalize(s);
  sqlite3_close(db);
  return a;
}

TEST_F(PgConnTest, ParametersAreNumberedAsSqliteNumbersThem) {
  const std::pair<std::string, int> cases[] = {
      {"SELECT ? || '|' || ? || '|' || ?", 1},
      {"SELECT ?2 || '|' || ? || '|' || ?1 || '|' || ?2", 1},
      {"SELECT ?3, ?1", 2},  // ?2 is never used
      {"SELECT '?' || ?, 'it''s ?' || ?", 2},
      {"SELECT \"a?\" FROM (SELECT ? AS \"a?\") AS t", 1},
      {"SELECT ? -- a comment?\n || ?", 1},
      {"SELECT ? /* ? */ || ?", 1},
  };
  for (const auto& [sql, ncols] : cases) {
    const SqliteAnswer expected = ask_sqlite(sql, ncols);
    sql::Stmt s(conn_.get(), sql.c_str());
    ASSERT_TRUE(s.ok()) << conn_->error();
    for (int i = 1; i <= expected.params; ++i) s.bind(i, "p" + std::to_string(i));
    ASSERT_EQ(s.step(), sql::kRow) << conn_->error() << ": " << sql;
    std::vector<std::string> got;
    for (int c = 0; c < ncols; ++c) got.push_back(s.is_null(c) ? "NULL" : s.text(c));
    EXPECT_EQ(got, expected.row) << sql;
    EXPECT_EQ(s.step(), sql::kDone);
  }
}

TEST_F(PgConnTest, QuestionMarksInPostgresLiteralsAreText) {
  sql::Stmt s(conn_.get(), "SELECT E'\\'?' || ?, $$?$$ || ?, $q$ ? $q$ || ?3");
  ASSERT_TRUE(s.ok());
  s.bind(1, "a").bind(2, "b").bind(3, "c");
  ASSERT_EQ(s.step(), sql::kRow) << conn_->error();
  EXPECT_EQ(s.text(0), "'?a");
  EXPECT_EQ(s.text(1), "?b");
  EXPECT_EQ(s.text(2), " ? c");
}

TEST_F(PgConnTest, ValuesRoundTripByteForByte) {
  exec("CREATE TABLE t (k BIGINT PRIMARY KEY, s TEXT, n BIGINT)");
  std::string big(1 << 20, '\0');
  for (std::size_t i = 0; i < big.size(); ++i) big[i] = static_cast<char>('a' + i * 7919 % 26);
  const std::string utf8 =
      "gr\xc3\xbc\xc3\x9f"
      "e \xf0\x9f\x9b\xa1 \xe6\x97\xa5\xe6\x9c\xac 'quoted' \\";
  const std::int64_t extremes[] = {std::numeric_limits<std::int64_t>::min(), -1, 0,
                                   std::numeric_limits<std::int64_t>::max()};
  sql::Stmt ins(conn_.get(), "INSERT INTO t(k, s, n) VALUES(?, ?, ?)");
  ins.bind(1, std::int64_t{1}).bind(2, utf8).bind(3, extremes[0]);
  ASSERT_TRUE(sql::run(conn_.get(), ins, "insert").is_ok()) << conn_->error();
  ins.reset();
  ins.bind(1, std::int64_t{2}).bind(2, big).bind(3, extremes[3]);
  ASSERT_TRUE(sql::run(conn_.get(), ins, "insert").is_ok()) << conn_->error();
  ins.reset();
  // bind_ref of bytes that are not NUL-terminated: exactly the view is stored.
  const std::string buffer = "viewXYZ";
  ins.bind(1, std::int64_t{3}).bind_ref(2, std::string_view(buffer).substr(0, 4)).bind(3, -1);
  ASSERT_TRUE(sql::run(conn_.get(), ins, "insert").is_ok()) << conn_->error();
  ins.reset();
  // Reset cleared the bindings: parameters 2 and 3 are NULL now.
  ins.bind(1, std::int64_t{4});
  ASSERT_TRUE(sql::run(conn_.get(), ins, "insert").is_ok()) << conn_->error();
  ins.reset();
  ins.bind(1, std::int64_t{5}).bind(2, "").bind_null(3);
  ASSERT_TRUE(sql::run(conn_.get(), ins, "insert").is_ok()) << conn_->error();

  sql::Stmt sel(conn_.get(), "SELECT s, n FROM t WHERE k = ?");
  auto read = [&](std::int64_t k) {
    sel.reset();
    sel.bind(1, k);
    EXPECT_EQ(sel.step(), sql::kRow) << conn_->error();
  };
  read(1);
  EXPECT_EQ(sel.text(0), utf8);
  EXPECT_EQ(sel.int64(1), extremes[0]);
  read(2);
  EXPECT_EQ(sel.text(0), big);
  EXPECT_EQ(sel.int64(1), extremes[3]);
  read(3);
  EXPECT_EQ(sel.text(0), "view");
  EXPECT_EQ(sel.int64(1), -1);
  read(4);
  EXPECT_TRUE(sel.is_null(0));
  EXPECT_TRUE(sel.is_null(1));
  EXPECT_EQ(sel.text(0), "");
  EXPECT_EQ(sel.int64(1), 0);
  read(5);
  EXPECT_FALSE(sel.is_null(0));  // '' is not NULL
  EXPECT_EQ(sel.text(0), "");
  EXPECT_TRUE(sel.is_null(1));
}

TEST_F(PgConnTest, TextBoundToABigintColumnTakesTheColumnsType) {
  exec("CREATE TABLE t (n BIGINT NOT NULL)");
  sql::Stmt ins(conn_.get(), "INSERT INTO t(n) SELECT ? WHERE ? > 0");
  ins.bind(1, "42").bind(2, std::int64_t{1});
  ASSERT_TRUE(sql::run(conn_.get(), ins, "insert").is_ok()) << conn_->error();
  EXPECT_EQ(column("SELECT n + 1 FROM t"), std::vector<std::string>{"43"});
  sql::Stmt b(conn_.get(), "SELECT 1 = 1, 1 = 2");
  ASSERT_EQ(b.step(), sql::kRow);
  EXPECT_EQ(b.int64(0), 1);  // booleans read as SQLite's 1 and 0
  EXPECT_EQ(b.int64(1), 0);
}

TEST_F(PgConnTest, RowsAreWalkedInOrderAndAStepAfterDoneRunsAgain) {
  exec("CREATE TABLE t (n BIGINT)");
  sql::Stmt ins(conn_.get(), "INSERT INTO t(n) VALUES(?)");
  ins.bind(1, std::int64_t{7});
  // As with SQLite, stepping a finished statement without reset() runs it
  // again with the same bindings.
  EXPECT_EQ(ins.step(), sql::kDone);
  EXPECT_EQ(ins.step(), sql::kDone);
  sql::Stmt sel(conn_.get(), "SELECT n FROM generate_series(1, 3) AS n UNION ALL SELECT n FROM t");
  std::vector<std::int64_t> got;
  while (sel.step() == sql::kRow) got.push_back(sel.int64(0));
  EXPECT_EQ(got, (std::vector<std::int64_t>{1, 2, 3, 7, 7}));
}

TEST_F(PgConnTest, ChangesCountsTheRowsTheLastStatementWrote) {
  exec("CREATE TABLE t (k BIGINT PRIMARY KEY, v TEXT NOT NULL DEFAULT '')");
  auto run = [&](const char* sql) {
    sql::Stmt s(conn_.get(), sql);
    Status st = sql::run(conn_.get(), s, sql);
    EXPECT_TRUE(st.is_ok()) << st.to_string();
    return conn_->changes();
  };
  EXPECT_EQ(run("INSERT INTO t(k) VALUES(1), (2), (3)"), 3);
  EXPECT_EQ(run("UPDATE t SET v = 'x' WHERE k >= 2"), 2);
  EXPECT_EQ(run("SELECT * FROM t"), 2);  // a query leaves the count alone
  EXPECT_EQ(run("DELETE FROM t WHERE k = 1"), 1);
  EXPECT_EQ(run("INSERT INTO t(k) VALUES(2) ON CONFLICT(k) DO NOTHING"), 0);
  EXPECT_EQ(run("INSERT INTO t(k) VALUES(9) ON CONFLICT(k) DO NOTHING"), 1);
  EXPECT_EQ(run("INSERT INTO t(k) VALUES(9), (10) ON CONFLICT(k) DO UPDATE SET v = 'y'"), 2);
  EXPECT_EQ(run("UPDATE t SET v = 'z' WHERE k = 12345"), 0);
  ASSERT_TRUE(conn_->exec("DELETE FROM t; INSERT INTO t(k) VALUES(100)").is_ok());
  EXPECT_EQ(conn_->changes(), 1);
}

TEST_F(PgConnTest, ABadStatementReportsTheServersMessage) {
  sql::Stmt s(conn_.get(), "SELEC 1");
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s.step(), sql::kError);
  EXPECT_NE(conn_->error().find("syntax error at or near \"SELEC\""), std::string::npos)
      << conn_->error();
  EXPECT_EQ(conn_->sqlstate(), "42601");
  EXPECT_EQ(conn_->error_code(), Code::kIo);
  const Status st = sql::error_status(conn_.get(), "reading things");
  EXPECT_EQ(st.message().rfind("postgresql: reading things: syntax error", 0), 0) << st.message();
  EXPECT_EQ(st.message().find('\n'), std::string::npos);

  sql::Stmt missing(conn_.get(), "SELECT * FROM no_such_table");
  EXPECT_EQ(missing.step(), sql::kError);
  EXPECT_NE(conn_->error().find("relation \"no_such_table\" does not exist"), std::string::npos);

  const Status e = conn_->exec("CREATE TABLE t (k BIGINT); CREATE TABLE t (k BIGINT)");
  EXPECT_EQ(e.code(), Code::kIo);
  EXPECT_NE(e.message().find("relation \"t\" already exists"), std::string::npos) << e.message();

  // Outside a transaction, the connection goes on working after an error.
  EXPECT_EQ(column("SELECT 1 + 1"), std::vector<std::string>{"2"});
}

TEST_F(PgConnTest, BindingAParameterTheStatementLacksIsAnError) {
  sql::Stmt s(conn_.get(), "SELECT ?");
  s.bind(1, "a").bind(2, "b");
  EXPECT_EQ(s.step(), sql::kError);
  EXPECT_NE(conn_->error().find("parameter ?2 does not exist"), std::string::npos)
      << conn_->error();
  s.reset();
  s.bind(1, std::string("a\0b", 3));
  EXPECT_EQ(s.step(), sql::kError);
  EXPECT_NE(conn_->error().find("NUL"), std::string::npos) << conn_->error();
  s.reset();
  s.bind(1, "a");
  EXPECT_EQ(s.step(), sql::kRow) << conn_->error();
  sql::Stmt bad(conn_.get(), "SELECT ?0");
  EXPECT_FALSE(bad.ok());
  EXPECT_NE(bad.error().find("outside"), std::string::npos) << bad.error();
}

TEST_F(PgConnTest, AnErrorInATransactionLeavesOnlyRollback) {
  exec("CREATE TABLE t (k BIGINT PRIMARY KEY)");
  exec("BEGIN");
  exec("INSERT INTO t VALUES (1)");
  EXPECT_FALSE(conn_->exec("INSERT INTO t VALUES (1)").is_ok());
  const Status after = conn_->exec("INSERT INTO t VALUES (2)");
  EXPECT_EQ(conn_->sqlstate(), "25P02") << after.to_string();  // in_failed_sql_transaction
  exec("ROLLBACK");
  EXPECT_EQ(column("SELECT count(*) FROM t"), std::vector<std::string>{"0"});
  // A savepoint keeps the transaction's earlier work, as the writer's batches do.
  exec("BEGIN; INSERT INTO t VALUES (1); SAVEPOINT batch");
  EXPECT_FALSE(conn_->exec("INSERT INTO t VALUES (1)").is_ok());
  exec("ROLLBACK TO batch; INSERT INTO t VALUES (2); COMMIT");
  EXPECT_EQ(column("SELECT k FROM t ORDER BY k"), (std::vector<std::string>{"1", "2"}));
}

}  // namespace
}  // namespace atio::store::postgres
