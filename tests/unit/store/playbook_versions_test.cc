// Playbook versions and the change log in the store, on every backend: versions are
// numbered per playbook and outlive it; existing playbooks become version 1
// with their content hash on migration; every change, also one made by
// another connection, is logged and seen by a watch.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <thread>

#include <sodium.h>

#include <filesystem>
#include <string>

#include "atio/core/ids.h"
#include "backend_test.h"
#include "support/sqlite_file.h"

namespace atio::store {
namespace {

namespace bj = boost::json;

std::string sha256_hex(const std::string& s) {
  unsigned char d[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(d, reinterpret_cast<const unsigned char*>(s.data()), s.size());
  char out[2 * sizeof d + 1];
  for (std::size_t i = 0; i < sizeof d; ++i) std::snprintf(out + 2 * i, 3, "%02x", d[i]);
  return std::string(out, 2 * sizeof d);
}

class PlaybookVersionsTest : public BackendTest {
 protected:
  static PlaybookVersionRecord version(const std::string& id, const std::string& name) {
    PlaybookVersionRecord v;
    v.playbook_id = id;
    v.name = name;
    v.document = bj::object{{"name", name}};
    v.content_hash = playbook_content_hash(v.document);
    v.author = "key-1";
    v.author_kind = "key";
    v.author_name = "alice";
    v.time_ms = 5;
    v.comment = "why";
    return v;
  }

};
ATIO_ON_EVERY_BACKEND(PlaybookVersionsTest);

class SqlitePlaybookVersionsTest : public PlaybookVersionsTest {};
ATIO_ON_SQLITE_ONLY(SqlitePlaybookVersionsTest);

TEST_P(PlaybookVersionsTest, ContentHashIsSha256OfTheCanonicalJson) {
  // RFC 8785: members sorted, no whitespace.
  bj::object doc{{"b", 1}, {"a", "x"}};
  EXPECT_EQ(playbook_content_hash(doc), sha256_hex(R"({"a":"x","b":1})"));
}

TEST_P(PlaybookVersionsTest, NumberedPerPlaybookAndKeptAfterDeletion) {
  PlaybookRecord p;
  p.id = "playbook--a";
  p.name = "a";
  p.document = bj::object{{"name", "a"}};
  ASSERT_TRUE(store_->write({PutPlaybook{p}, AppendPlaybookVersion{version("playbook--a", "a1")}}).is_ok());
  ASSERT_TRUE(store_->write({AppendPlaybookVersion{version("playbook--a", "a2")},
                             AppendPlaybookVersion{version("playbook--b", "b1")}}).is_ok());
  ASSERT_TRUE(store_->write({DeletePlaybook{"playbook--a"}}).is_ok());
  auto versions = store_->list_playbook_versions("playbook--a", true);
  ASSERT_TRUE(versions.is_ok());
  ASSERT_EQ(versions->size(), 2u);
  EXPECT_EQ((*versions)[0].version, 2);  // newest first
  EXPECT_EQ((*versions)[0].name, "a2");
  EXPECT_EQ((*versions)[1].version, 1);
  EXPECT_EQ((*versions)[1].document.at("name"), "a1");
  EXPECT_EQ((*versions)[1].author_name, "alice");
  EXPECT_EQ((*versions)[1].comment, "why");
  auto newest = store_->get_playbook_version("playbook--a", 0);
  ASSERT_TRUE(newest.is_ok() && *newest);
  EXPECT_EQ((*newest)->version, 2);
  auto b = store_->get_playbook_version("playbook--b", 1);
  ASSERT_TRUE(b.is_ok() && *b);
  EXPECT_EQ((*b)->name, "b1");
  EXPECT_FALSE(*store_->get_playbook_version("playbook--b", 2));
}

TEST_P(SqlitePlaybookVersionsTest, ExistingPlaybooksBecomeVersionOneOnMigration) {
  store_->close();
  store_.reset();
  // The database as it was before versions (schema 6) with one playbook:
  // what migration 7 and later made is gone.
  atio::testing::drop_all_but(location_, {"playbooks", "executions", "api_keys", "hooks", "schedules",
                                      "step_journal", "assets", "settings", "sightings", "audit",
                                      "audit_checkpoints", "users", "sessions"});
  sql("PRAGMA user_version = 6;"
      "INSERT INTO playbooks(id, version, name, document, created_at, updated_at)"
      " VALUES('playbook--old', 'v', 'old', '{\"z\": 2, \"a\": [1, \"t\"]}', 1, 77)");
  open();
  auto v = store_->get_playbook_version("playbook--old", 0);
  ASSERT_TRUE(v.is_ok() && *v) << v.status().to_string();
  EXPECT_EQ((*v)->version, 1);
  EXPECT_EQ((*v)->time_ms, 77);
  EXPECT_EQ((*v)->content_hash, sha256_hex(R"({"a":[1,"t"],"z":2})"));
}

TEST_P(PlaybookVersionsTest, WatchSeesChangesOfOtherConnections) {
  auto watch = store_->watch_playbooks();
  ASSERT_TRUE(watch.is_ok()) << watch.status().to_string();
  ASSERT_TRUE((*watch)->changed().is_ok());
  EXPECT_FALSE(*(*watch)->changed());
  sql("INSERT INTO playbooks(id, version, name, document, created_at, updated_at)"
      " VALUES('playbook--x', 'v', 'x', '{}', 1, 1);"
      "UPDATE playbooks SET name = 'y' WHERE id = 'playbook--x';"
      "DELETE FROM playbooks WHERE id = 'playbook--x';");
  // PostgreSQL's notification arrives a moment after the commit.
  bool changed = false;
  for (int i = 0; i < 500 && !changed; ++i) {
    auto c = (*watch)->changed();
    ASSERT_TRUE(c.is_ok()) << c.status().to_string();
    changed = *c;
    if (!changed) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_TRUE(changed);
  auto scan = (*watch)->scan(false, 0, 0);
  ASSERT_TRUE(scan.is_ok()) << scan.status().to_string();
  ASSERT_EQ(scan->changes.size(), 3u);
  EXPECT_EQ(scan->changes[0].op, "insert");
  EXPECT_EQ(scan->changes[1].op, "update");
  EXPECT_EQ(scan->changes[2].op, "delete");
  EXPECT_EQ(scan->changes[2].playbook_id, "playbook--x");
  EXPECT_GT(scan->changes[2].time_ms, 1'600'000'000'000);  // the statement's time, in ms
  EXPECT_TRUE(scan->playbooks.empty());  // gone again
  // Pruned rows are not read again; the next ones keep counting up.
  ASSERT_TRUE(store_->write({PrunePlaybookChanges{scan->changes.back().seq}}).is_ok());
  sql("INSERT INTO playbook_protection VALUES('playbook--z', 'me', 1)");
  auto again = (*watch)->scan(false, scan->changes.back().seq, 0);
  ASSERT_TRUE(again.is_ok());
  ASSERT_EQ(again->changes.size(), 1u);
  EXPECT_EQ(again->changes[0].op, "protect");
  EXPECT_GT(again->changes[0].seq, scan->changes.back().seq);
  ASSERT_EQ(again->protection.size(), 1u);
}

TEST_P(PlaybookVersionsTest, DroppingTheChangeLogTriggerMovesTheSchemaVersion) {
  // The watcher compares everything when the schema moved: an insider who
  // silences the change log first is still seen.
  auto watch = store_->watch_playbooks();
  ASSERT_TRUE(watch.is_ok()) << watch.status().to_string();
  auto before = (*watch)->scan(false, 0, 0);
  ASSERT_TRUE(before.is_ok()) << before.status().to_string();
  auto same = (*watch)->scan(false, 0, 0);
  ASSERT_TRUE(same.is_ok());
  EXPECT_EQ(same->schema_version, before->schema_version);
  sql(sqlite() ? "DROP TRIGGER playbooks_logged_delete" : "DROP TRIGGER playbooks_logged ON playbooks");
  auto after = (*watch)->scan(false, 0, 0);
  ASSERT_TRUE(after.is_ok()) << after.status().to_string();
  EXPECT_NE(after->schema_version, before->schema_version);
}

}  // namespace
}  // namespace atio::store

namespace atio::store {
namespace {

TEST_P(PlaybookVersionsTest, MonitorEventsPageOldestOrNewestFirst) {
  std::vector<WriteOp> ops;
  for (int i = 0; i < 12; ++i) {
    ops.push_back(AppendMonitorEvent{MonitorEventRecord{0, "event-" + std::to_string(i), 1000 + i,
                                                        "atio", "{}"}});
  }
  ASSERT_TRUE(store_->write(std::move(ops)).is_ok());
  auto walk = [this](SeqPage page) {
    std::vector<std::string> ids;
    for (;;) {
      auto rows = store_->list_monitor_events(page);
      EXPECT_TRUE(rows.is_ok());
      if (!rows.is_ok()) break;
      for (const auto& r : *rows) ids.push_back(r.id);
      if (static_cast<std::int64_t>(rows->size()) < page.limit) break;
      (page.newest_first ? page.before_seq : page.after_seq) = rows->back().seq;
    }
    return ids;
  };
  std::vector<std::string> expected;
  for (int i = 0; i < 12; ++i) expected.push_back("event-" + std::to_string(i));
  EXPECT_EQ(walk(SeqPage{.limit = 5}), expected);
  std::reverse(expected.begin(), expected.end());
  EXPECT_EQ(walk(SeqPage{.newest_first = true, .limit = 5}), expected);
}

}  // namespace
}  // namespace atio::store
