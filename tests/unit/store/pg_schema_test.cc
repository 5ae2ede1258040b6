// migrate() on a real PostgreSQL: once and only once however many nodes
// start together, all or nothing, never on a database newer than this atio;
// and the schema behaves as SQLite's does where users would notice (the
// playbook change log, case-insensitive user names, numbered rows).
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <latch>
#include <string>
#include <thread>
#include <vector>

#include "atio/core/ids.h"
#include "atio/store/postgres/schema.h"
#include "atio/store/sqlite/sqlite_store.h"
#include "pg_test.h"
#include "support/sqlite_file.h"

namespace atio::store::postgres {
namespace {

using PgSchemaTest = PgTest;

std::vector<std::string> versions_1_to(int n) {
  std::vector<std::string> v;
  for (int i = 1; i <= n; ++i) v.push_back(std::to_string(i));
  return v;
}

// Every table, index, sequence, function and trigger in the database.
constexpr const char* kCatalog =
    "SELECT kind || ' ' || name FROM ("
    " SELECT 'relation' AS kind, relname::text AS name FROM pg_class"
    "   WHERE relnamespace = current_schema()::regnamespace"
    " UNION ALL SELECT 'function', proname::text FROM pg_proc"
    "   WHERE pronamespace = current_schema()::regnamespace"
    " UNION ALL SELECT 'trigger', tgname::text FROM pg_trigger WHERE NOT tgisinternal) AS o"
    " ORDER BY 1";

TEST_F(PgSchemaTest, MigratingAgainChangesNothing) {
  EXPECT_EQ(schema_version(conn_.get()).value(), 0);
  ASSERT_TRUE(migrate(conn_.get()).is_ok());
  EXPECT_EQ(schema_version(conn_.get()).value(), newest_schema_version());
  const auto catalog = column(kCatalog);
  const auto applied = rows("SELECT version, applied_at FROM schema_migrations ORDER BY 1", 2);
  EXPECT_EQ(column("SELECT version FROM schema_migrations ORDER BY 1"),
            versions_1_to(newest_schema_version()));

  const Status again = migrate(conn_.get());
  ASSERT_TRUE(again.is_ok()) << again.to_string();
  EXPECT_EQ(column(kCatalog), catalog);
  EXPECT_EQ(rows("SELECT version, applied_at FROM schema_migrations ORDER BY 1", 2), applied);
}

TEST_F(PgSchemaTest, NodesMigratingAtOnceAllSucceedWithOneSchema) {
  constexpr int kNodes = 4;
  std::vector<std::unique_ptr<PgConn>> conns;
  for (int i = 0; i < kNodes; ++i) conns.push_back(connect());
  std::vector<Status> results(kNodes);
  std::latch ready(kNodes);
  std::vector<std::thread> threads;
  for (int i = 0; i < kNodes; ++i) {
    threads.emplace_back([&, i] {
      ready.arrive_and_wait();
      results[i] = migrate(conns[i].get());
    });
  }
  for (auto& t : threads) t.join();
  for (const Status& s : results) EXPECT_TRUE(s.is_ok()) << s.to_string();
  EXPECT_EQ(column("SELECT version FROM schema_migrations ORDER BY 1"),
            versions_1_to(newest_schema_version()));
  EXPECT_EQ(column("SELECT count(*) FROM pg_trigger WHERE tgrelid = 'playbooks'::regclass"),
            std::vector<std::string>{"2"});
}

TEST_F(PgSchemaTest, ADatabaseNewerThanThisAtioIsRefusedAndLeftAlone) {
  ASSERT_TRUE(migrate(conn_.get()).is_ok());
  const int newer = newest_schema_version() + 1;
  exec("INSERT INTO schema_migrations VALUES (" + std::to_string(newer) + ", 0)");
  const auto catalog = column(kCatalog);
  const Status s = migrate(conn_.get());
  ASSERT_FALSE(s.is_ok());
  EXPECT_EQ(s.code(), Code::kIo);
  EXPECT_NE(s.message().find("database schema version " + std::to_string(newer) +
                             " is newer than this atio's (" +
                             std::to_string(newest_schema_version()) + ")"),
            std::string::npos)
      << s.message();
  EXPECT_EQ(column(kCatalog), catalog);
  EXPECT_EQ(schema_version(conn_.get()).value(), newer);
}

TEST_F(PgSchemaTest, AFailedMigrationLeavesTheDatabaseAsItWas) {
  exec("CREATE TABLE playbooks (x BIGINT)");
  const Status s = migrate(conn_.get());
  ASSERT_FALSE(s.is_ok());
  EXPECT_NE(s.to_string().find("postgresql migration 1"), std::string::npos) << s.to_string();
  EXPECT_NE(s.to_string().find("relation \"playbooks\" already exists"), std::string::npos);
  EXPECT_EQ(column(kCatalog), (std::vector<std::string>{"relation playbooks"}));
  // The connection is usable: no transaction was left open.
  exec("DROP TABLE playbooks");
  ASSERT_TRUE(migrate(conn_.get()).is_ok());
}

TEST_F(PgSchemaTest, UserNamesAreUniqueRegardlessOfCase) {
  ASSERT_TRUE(migrate(conn_.get()).is_ok());
  exec(
      "INSERT INTO users(id, name, password_hash, role, created_at)"
      " VALUES ('u1', 'Alice', 'h', 'admin', 1)");
  sql::Stmt again(conn_.get(),
                  "INSERT INTO users(id, name, password_hash, role, created_at)"
                  " VALUES (?, ?, 'h', 'analyst', 2)");
  again.bind(1, "u2").bind(2, "aLICE");
  const Status s = sql::run(conn_.get(), again, "add user");
  EXPECT_EQ(s.code(), Code::kIo);
  EXPECT_EQ(conn_->sqlstate(), "23505");
  EXPECT_NE(s.message().find("users_by_lower_name"), std::string::npos) << s.message();
  again.reset();
  again.bind(1, "u3").bind(2, "Bob");
  EXPECT_TRUE(sql::run(conn_.get(), again, "add user").is_ok()) << conn_->error();
  // Found whatever the case, as SQLite's NOCASE column finds it.
  sql::Stmt find(conn_.get(), "SELECT id FROM users WHERE lower(name) = lower(?)");
  find.bind(1, "ALICE");
  ASSERT_EQ(find.step(), sql::kRow);
  EXPECT_EQ(find.text(0), "u1");
}

TEST_F(PgSchemaTest, RowsAtioDoesNotNumberAreNumberedInOrder) {
  ASSERT_TRUE(migrate(conn_.get()).is_ok());
  exec(
      "INSERT INTO step_journal(execution_id, records) VALUES ('e', '[]'), ('e', '[]');"
      "INSERT INTO executions(id, playbook_id, playbook_version, status, variables, trigger,"
      " created_at) VALUES ('x1', 'p', '1', 'pending', '{}', 'manual', 1)");
  EXPECT_EQ(column("SELECT seq FROM step_journal ORDER BY seq"),
            (std::vector<std::string>{"1", "2"}));
  EXPECT_EQ(column("SELECT error || '|' || finished_at FROM executions"),
            std::vector<std::string>{"|0"});
  // The audit chain's numbers are atio's own: there is no default to fall back on.
  const Status s = conn_->exec(
      "INSERT INTO audit(time, actor, actor_kind, actor_name, role, source_ip, user_agent,"
      " action, object_type, object_id, outcome, detail, prev_hash, hash)"
      " VALUES (1, 'a', 'k', 'n', 'r', 'ip', 'ua', 'act', 'ot', 'oi', 'ok', '{}', '', 'h')");
  EXPECT_FALSE(s.is_ok());
  EXPECT_EQ(conn_->sqlstate(), "23502");  // not_null_violation
}

// The same edits, made on an atio SQLite file and on PostgreSQL, leave the
// same change log.
TEST_F(PgSchemaTest, TheChangeLogTriggersLogWhatSqlitesLog) {
  const char* const edits[] = {
      "INSERT INTO playbooks(id, version, name, document, created_at, updated_at)"
      " VALUES ('pb-a', '1', 'A', '{}', 1, 1), ('pb-b', '1', 'B', '{}', 1, 1)",
      "UPDATE playbooks SET name = 'A2' WHERE id = 'pb-a'",
      "UPDATE playbooks SET id = 'pb-c' WHERE id = 'pb-b'",
      "INSERT INTO playbooks(id, version, name, document, created_at, updated_at)"
      " VALUES ('pb-a', '2', 'A3', '{}', 1, 2) ON CONFLICT(id) DO UPDATE SET name = excluded.name",
      "INSERT INTO playbooks(id, version, name, document, created_at, updated_at)"
      " VALUES ('pb-a', '2', 'A3', '{}', 1, 2) ON CONFLICT(id) DO NOTHING",
      "INSERT INTO playbook_protection VALUES ('pb-a', 'alice', 5)",
      "INSERT INTO playbook_protection VALUES ('pb-a', 'bob', 6) ON CONFLICT DO NOTHING",
      "UPDATE playbook_protection SET protected_by = 'carol'",
      "DELETE FROM playbook_protection WHERE playbook_id = 'pb-a'",
      "DELETE FROM playbooks WHERE id = 'pb-a'",
      "DELETE FROM playbooks WHERE id = 'nothing-here'",
      "UPDATE playbooks SET name = name",
  };
  const char* const log = "SELECT playbook_id || ' ' || op FROM playbook_changes ORDER BY seq";

  std::vector<std::string> expected;
  {
    SqliteReference reference;
    ASSERT_TRUE(reference.status.is_ok()) << reference.status.to_string();
    for (const char* e : edits) testing::run_sql(reference.path, e);
    expected = testing::sql_column(reference.path, log);
  }
  ASSERT_EQ(expected.size(), 10u);  // the SQLite side really logged

  ASSERT_TRUE(migrate(conn_.get()).is_ok());
  const auto ms = [] {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
  };
  const std::int64_t before = ms();
  for (const char* e : edits) exec(e);
  const std::int64_t after = ms();
  EXPECT_EQ(column(log), expected);
  // Each row carries the time of its change, in ms (rounded, hence ±1).
  for (const std::string& t : column("SELECT time FROM playbook_changes")) {
    EXPECT_GE(std::stoll(t), before - 1);
    EXPECT_LE(std::stoll(t), after + 1);
  }
}

TEST_F(PgSchemaTest, TruncatingLogsEveryPlaybookAndProtectionItRemoves) {
  ASSERT_TRUE(migrate(conn_.get()).is_ok());
  exec(
      "INSERT INTO playbooks(id, version, name, document, created_at, updated_at)"
      " VALUES ('p1', '1', 'a', '{}', 1, 1), ('p2', '1', 'b', '{}', 1, 1);"
      "INSERT INTO playbook_protection VALUES ('p2', 'alice', 1);"
      "DELETE FROM playbook_changes");
  exec("TRUNCATE playbook_protection");
  exec("TRUNCATE playbooks");
  EXPECT_EQ(column("SELECT playbook_id || ' ' || op FROM playbook_changes ORDER BY seq"),
            (std::vector<std::string>{"p2 unprotect", "p1 delete", "p2 delete"}));
}

}  // namespace
}  // namespace atio::store::postgres
