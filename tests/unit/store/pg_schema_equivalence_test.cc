// The PostgreSQL schema is the SQLite store's, table for table: the same
// tables, columns (in order, with the same NOT NULL and defaults),
// primary keys, unique constraints and indexes, as read from the catalogs
// of a database each store's own migrations made. The only differences are
// the documented ones: INTEGER is BIGINT, BLOB is BYTEA, and users' case-insensitive unique
// name is a unique index on lower(name).
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include "atio/core/ids.h"
#include "atio/store/postgres/schema.h"
#include "atio/store/sqlite/sqlite_store.h"
#include "pg_test.h"
#include "support/sqlite_file.h"

namespace atio::store::postgres {
namespace {

using testing::sql_column;

// What SQLite's catalog says of the schema, as sorted lines.
std::vector<std::string> sqlite_facts(const std::string& path) {
  std::vector<std::string> facts;
  for (const std::string& t : sql_column(path,
                                         "SELECT name FROM sqlite_master WHERE type = 'table'"
                                         " AND name NOT LIKE 'sqlite_%'")) {
    facts.push_back("table " + t);
    int i = 0;
    for (const std::string& c :
         sql_column(path,
                    "SELECT name || ' ' ||"
                    " CASE lower(type) WHEN 'integer' THEN 'bigint' WHEN 'blob' THEN 'bytea'"
                    " ELSE lower(type) END ||"
                    " CASE WHEN \"notnull\" OR pk > 0 THEN ' not null' ELSE '' END ||"
                    " coalesce(' default ' || dflt_value, '')"
                    " FROM pragma_table_info('" +
                        t + "') ORDER BY cid")) {
      facts.push_back("column " + t + "#" + std::to_string(++i) + " " + c);
    }
    facts.push_back("pk " + t + "(" +
                    sql_column(path,
                               "SELECT coalesce(group_concat(name, ','), '') FROM (SELECT name"
                               " FROM pragma_table_info('" +
                                   t + "') WHERE pk > 0 ORDER BY pk)")
                        .at(0) +
                    ")");
    for (const std::string& idx : sql_column(
             path, "SELECT name FROM pragma_index_list('" + t + "') WHERE origin IN ('u', 'c')")) {
      const std::string cols = sql_column(path,
                                          "SELECT group_concat(name, ',') FROM (SELECT name FROM"
                                          " pragma_index_info('" +
                                              idx + "') ORDER BY seqno)")
                                   .at(0);
      const bool created = !sql_column(path, "SELECT 1 FROM sqlite_master WHERE name = '" + idx +
                                                 "' AND sql IS NOT NULL")
                                .empty();
      if (created) {
        const bool partial = !sql_column(path, "SELECT 1 FROM sqlite_master WHERE name = '" + idx +
                                                   "' AND upper(sql) LIKE '% WHERE %'")
                                  .empty();
        facts.push_back("index " + t + "." + idx + "(" + cols + ")" + (partial ? " partial" : ""));
      } else {
        facts.push_back("unique " + t + "(" + cols + ")");
      }
    }
  }
  std::sort(facts.begin(), facts.end());
  return facts;
}

class PgSchemaEquivalenceTest : public PgTest {
 protected:
  std::vector<std::string> pg_facts();
};

// What PostgreSQL's catalog says of the schema, in the same lines.
std::vector<std::string> PgSchemaEquivalenceTest::pg_facts() {
  std::vector<std::string> facts;
  for (const std::string& table :
       column("SELECT table_name FROM information_schema.tables WHERE table_schema ="
              " current_schema() AND table_type = 'BASE TABLE' AND table_name <>"
              " 'schema_migrations'")) {
    facts.push_back("table " + table);
    int i = 0;
    for (const std::string& c : column(
             "SELECT column_name || ' ' || data_type ||"
             " CASE WHEN is_nullable = 'NO' THEN ' not null' ELSE '' END ||"
             " coalesce(' default ' || regexp_replace(column_default, '::(text|bigint)$', ''), '')"
             " FROM information_schema.columns WHERE table_schema = current_schema()"
             " AND table_name = '" +
             table + "' ORDER BY ordinal_position")) {
      facts.push_back("column " + table + "#" + std::to_string(++i) + " " + c);
    }
    // Key columns of the table's primary key, unique constraints and other
    // indexes, in key order; an expression (lower(name)) has no column.
    const std::string key_columns =
        "(SELECT coalesce(string_agg(a.attname, ',' ORDER BY k.ord), '')"
        " FROM unnest(i.indkey) WITH ORDINALITY AS k(attnum, ord)"
        " JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum)";
    for (const std::string& f :
         column("SELECT CASE WHEN i.indisprimary THEN 'pk " + table +
                "('"
                " WHEN con.contype = 'u' THEN 'unique " +
                table +
                "('"
                " ELSE 'index " +
                table + ".' || c.relname || '(' END || " + key_columns +
                " || ')'"
                " || CASE WHEN i.indpred IS NOT NULL THEN ' partial' ELSE '' END"
                " FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid"
                " LEFT JOIN pg_constraint con ON con.conindid = i.indexrelid"
                " WHERE i.indrelid = '" +
                table + "'::regclass")) {
      facts.push_back(f);
    }
    if (std::none_of(facts.begin(), facts.end(),
                     [&](const std::string& f) { return f.rfind("pk " + table + "(", 0) == 0; })) {
      facts.push_back("pk " + table + "()");
    }
  }
  std::sort(facts.begin(), facts.end());
  return facts;
}

TEST_F(PgSchemaEquivalenceTest, TablesColumnsKeysAndIndexesAreSqlites) {
  std::vector<std::string> expected;
  {
    SqliteReference reference;
    ASSERT_TRUE(reference.status.is_ok()) << reference.status.to_string();
    expected = sqlite_facts(reference.path);
  }
  ASSERT_GT(expected.size(), 100u);  // the whole schema was read

  ASSERT_TRUE(migrate(conn_.get()).is_ok());
  std::vector<std::string> got = pg_facts();

  // The documented difference: SQLite's `name UNIQUE COLLATE NOCASE` is a
  // unique index on lower(name).
  auto sqlite_unique = std::find(expected.begin(), expected.end(), "unique users(name)");
  ASSERT_NE(sqlite_unique, expected.end());
  expected.erase(sqlite_unique);
  auto pg_index = std::find(got.begin(), got.end(), "index users.users_by_lower_name()");
  ASSERT_NE(pg_index, got.end());
  got.erase(pg_index);
  EXPECT_EQ(
      column("SELECT pg_get_indexdef('users_by_lower_name'::regclass)"),
      std::vector<std::string>{
          "CREATE UNIQUE INDEX users_by_lower_name ON public.users USING btree (lower(name))"});

  EXPECT_EQ(got, expected);
}

}  // namespace
}  // namespace atio::store::postgres
