// A test's own connection to an atio SQLite file, for what an outside tool or
// an insider with the file would do: run SQL on it, read a number or a list.
#pragma once

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <cstdint>
#include <string>
#include <vector>

namespace atio::testing {

// Runs `text` (one or more statements) on the database at `path`.
inline void run_sql(const std::string& path, const std::string& text) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  sqlite3_busy_timeout(db, 10000);
  char* err = nullptr;
  EXPECT_EQ(sqlite3_exec(db, text.c_str(), nullptr, nullptr, &err), SQLITE_OK) << (err ? err : "");
  sqlite3_free(err);
  sqlite3_close(db);
}

// The first column of every row `query` returns, as text.
inline std::vector<std::string> sql_column(const std::string& path, const std::string& query) {
  std::vector<std::string> out;
  sqlite3* db = nullptr;
  EXPECT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  sqlite3_busy_timeout(db, 10000);
  sqlite3_stmt* st = nullptr;
  EXPECT_EQ(sqlite3_prepare_v2(db, query.c_str(), -1, &st, nullptr), SQLITE_OK) << query;
  while (st && sqlite3_step(st) == SQLITE_ROW) {
    const unsigned char* t = sqlite3_column_text(st, 0);
    out.emplace_back(t ? reinterpret_cast<const char*>(t) : "");
  }
  sqlite3_finalize(st);
  sqlite3_close(db);
  return out;
}

// The integer in the first column of the first row of `query`; -1 when none.
inline std::int64_t sql_int(const std::string& path, const std::string& query) {
  const auto rows = sql_column(path, query);
  return rows.empty() ? -1 : std::stoll(rows.front());
}

// Takes an atio database back to an older schema for a migration test:
// drops every trigger (only later migrations made triggers) and every table
// not named in `kept` (what the older schema had), and executions.owner
// (migration 11, newer than every schema these tests go back to). Other
// columns later migrations added to kept tables are the caller's to drop.
inline void drop_all_but(const std::string& path, const std::vector<std::string>& kept) {
  for (const auto& trigger :
       sql_column(path, "SELECT name FROM sqlite_master WHERE type='trigger'")) {
    run_sql(path, "DROP TRIGGER \"" + trigger + "\"");
  }
  for (const auto& table : sql_column(
           path, "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'")) {
    bool keep = false;
    for (const auto& k : kept) keep = keep || k == table;
    if (!keep) run_sql(path, "DROP TABLE \"" + table + "\"");
  }
  if (sql_int(path, "SELECT count(*) FROM pragma_table_info('executions') WHERE name='owner'") > 0) {
    run_sql(path, "ALTER TABLE executions DROP COLUMN owner");
  }
}

}  // namespace atio::testing
