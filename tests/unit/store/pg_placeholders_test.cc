// SQLite-style parameters rewritten into PostgreSQL's $N: numbered as
// SQLite numbers them (its documentation: "?NNN" is parameter NNN, a bare "?"
// is one more than the largest number assigned so far), and only outside
// literals, quoted identifiers and comments (PostgreSQL's lexical rules).
#include <gtest/gtest.h>

#include "atio/store/postgres/placeholders.h"

namespace atio::store::postgres {
namespace {

PgSql rewrite(std::string_view sql) {
  Result<PgSql> r = to_postgres_placeholders(sql);
  EXPECT_TRUE(r.is_ok()) << r.status().to_string();
  return r.is_ok() ? *r : PgSql{};
}

TEST(PgPlaceholdersTest, BareParametersAreNumberedLeftToRight) {
  PgSql p = rewrite("INSERT INTO t(a, b, c) VALUES(?,?, ?)");
  EXPECT_EQ(p.text, "INSERT INTO t(a, b, c) VALUES($1,$2, $3)");
  EXPECT_EQ(p.params, 3);
}

TEST(PgPlaceholdersTest, NumberedParametersKeepTheirNumberAndMayRepeat) {
  PgSql p = rewrite("SELECT ?1, COALESCE(MAX(version), 0) + 1, ?2 FROM v WHERE id = ?1");
  EXPECT_EQ(p.text, "SELECT $1, COALESCE(MAX(version), 0) + 1, $2 FROM v WHERE id = $1");
  EXPECT_EQ(p.params, 2);
}

TEST(PgPlaceholdersTest, ABareParameterAfterANumberedOneFollowsTheLargestNumber) {
  // SQLite: "?3, ?" are parameters 3 and 4; "?2, ?1, ?" are 2, 1 and 3.
  EXPECT_EQ(rewrite("SELECT ?3, ?").text, "SELECT $3, $4");
  EXPECT_EQ(rewrite("SELECT ?2, ?1, ?").text, "SELECT $2, $1, $3");
}

TEST(PgPlaceholdersTest, GapsAreCountedAndMarkedUnused) {
  PgSql p = rewrite("SELECT ?3 || ?1");
  EXPECT_EQ(p.params, 3);
  EXPECT_EQ(p.used, (std::vector<bool>{true, false, true}));
}

TEST(PgPlaceholdersTest, QuestionMarksInLiteralsIdentifiersAndCommentsStay) {
  const std::string cases[][2] = {
      {"SELECT '?', ?", "SELECT '?', $1"},
      {"SELECT 'it''s ?', ?", "SELECT 'it''s ?', $1"},
      {"SELECT E'\\'?', ?", "SELECT E'\\'?', $1"},
      {"SELECT e'a\\\\', ?", "SELECT e'a\\\\', $1"},
      // Not an E'' string: a backslash in a standard string is a character.
      {"SELECT name'\\', ?", "SELECT name'\\', $1"},
      {"SELECT \"a?\" FROM t WHERE x = ?", "SELECT \"a?\" FROM t WHERE x = $1"},
      {"SELECT \"a\"\"?\" , ?", "SELECT \"a\"\"?\" , $1"},
      {"SELECT ? -- why?\n, ?", "SELECT $1 -- why?\n, $2"},
      {"SELECT ? /* a /* nested ? */ still ? */, ?",
       "SELECT $1 /* a /* nested ? */ still ? */, $2"},
      {"SELECT $$?$$, $q$ it's ? $q$, ?", "SELECT $$?$$, $q$ it's ? $q$, $1"},
      {"SELECT a$b, ?", "SELECT a$b, $1"},
  };
  for (const auto& c : cases) EXPECT_EQ(rewrite(c[0]).text, c[1]) << c[0];
}

TEST(PgPlaceholdersTest, DollarParametersAlreadyThereAreCounted) {
  PgSql p = rewrite("SELECT $2, ?");
  EXPECT_EQ(p.text, "SELECT $2, $3");
  EXPECT_EQ(p.params, 3);
}

TEST(PgPlaceholdersTest, UnterminatedLiteralIsLeftForTheServerToReport) {
  EXPECT_EQ(rewrite("SELECT 'abc ?").text, "SELECT 'abc ?");
  EXPECT_EQ(rewrite("SELECT /* ?").text, "SELECT /* ?");
}

TEST(PgPlaceholdersTest, ParameterNumbersOutsidePostgresRangeAreRefused) {
  for (const char* sql : {"SELECT ?0", "SELECT ?65536", "SELECT $0", "SELECT ?99999999999"}) {
    Result<PgSql> r = to_postgres_placeholders(sql);
    ASSERT_FALSE(r.is_ok()) << sql;
    EXPECT_EQ(r.status().code(), Code::kInvalidArgument);
    EXPECT_NE(r.status().message().find("outside 1..65535"), std::string::npos)
        << r.status().message();
  }
  EXPECT_TRUE(to_postgres_placeholders("SELECT ?65535").is_ok());
}

}  // namespace
}  // namespace atio::store::postgres
