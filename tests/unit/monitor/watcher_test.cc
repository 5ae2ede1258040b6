// The watcher on a real SQLite store, with changes made through a second
// connection as sqlite3 would: deletions and edits outside atio are seen,
// a protected playbook comes back by itself with an audit record by atio,
// and an outside edit of an unprotected playbook becomes a version.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <boost/json.hpp>

#include <filesystem>
#include <mutex>

#include "atio/core/ids.h"
#include "atio/monitor/watcher.h"
#include "atio/store/sqlite/sqlite_store.h"

namespace atio::monitor {
namespace {

namespace bj = boost::json;

class Capture final : public Publisher {
 public:
  void publish(const std::vector<ChangeEvent>& events, bj::array) override {
    std::lock_guard<std::mutex> lk(mu);
    for (const auto& e : events) seen.push_back(e);
  }
  std::vector<ChangeEvent> take() {
    std::lock_guard<std::mutex> lk(mu);
    return std::exchange(seen, {});
  }
  std::mutex mu;
  std::vector<ChangeEvent> seen;
};

class WatcherTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("atio-watch-" + uuid_v4());
    std::filesystem::create_directories(dir_);
    path_ = (dir_ / "atio.db").string();
    store::SqliteOptions so;
    so.path = path_;
    so.synchronous = "normal";
    auto st = store::open_sqlite_store(so);
    ASSERT_TRUE(st.is_ok()) << st.status().to_string();
    store_ = std::move(st).value();
  }
  void TearDown() override {
    watcher_.reset();
    store_->close();
    store_.reset();
    std::filesystem::remove_all(dir_);
  }

  // What the API does for a create: the playbook, its version, its record.
  void create_through_api(const std::string& id, const std::string& name, bool protect) {
    store::PlaybookRecord p;
    p.id = id;
    p.name = name;
    p.version = "2024-01-01T00:00:00.000Z";
    p.document = bj::object{{"id", id}, {"name", name}, {"modified", p.version}};
    const std::string hash = store::playbook_content_hash(p.document);
    store::PlaybookVersionRecord v;
    v.playbook_id = id;
    v.content_hash = hash;
    v.name = name;
    v.document = p.document;
    v.author = "key-1";
    v.author_kind = "key";
    v.author_name = "alice";
    store::AuditRecord a;
    a.actor = "key-1";
    a.actor_kind = "key";
    a.actor_name = "alice";
    a.role = "admin";
    a.action = "playbook.create";
    a.object_type = "playbook";
    a.object_id = id;
    a.outcome = "success";
    a.detail = bj::serialize(bj::object{{"name", name}, {"hash_after", hash}});
    std::vector<store::WriteOp> ops{store::CreatePlaybook{p}, store::AppendPlaybookVersion{v},
                                    store::AppendAudit{a}};
    if (protect) ops.push_back(store::SetPlaybookProtection{id, true, "key-1", 1});
    ASSERT_TRUE(store_->write(std::move(ops)).is_ok());
  }

  // Runs SQL on a connection of its own, as someone with sqlite3 would.
  void outside(const std::string& sql) {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(path_.c_str(), &db), SQLITE_OK);
    sqlite3_busy_timeout(db, 5000);
    char* err = nullptr;
    EXPECT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err), SQLITE_OK) << (err ? err : "");
    sqlite3_free(err);
    sqlite3_close(db);
  }

  void start_watcher() {
    WatcherOptions o;
    o.run_thread = false;
    o.full_scan_interval = std::chrono::hours(1);
    watcher_ = std::make_unique<Watcher>(*store_, capture_, o);
    ASSERT_TRUE(watcher_->start().is_ok());
  }

  std::filesystem::path dir_;
  std::string path_;
  std::unique_ptr<store::Store> store_;
  Capture capture_;
  std::unique_ptr<Watcher> watcher_;
};

TEST_F(WatcherTest, ProtectedPlaybookDeletedWithSqliteComesBack) {
  create_through_api("playbook--p", "crucial", true);
  start_watcher();
  outside("DELETE FROM playbooks WHERE id = 'playbook--p'");

  auto n = watcher_->poll_once();
  ASSERT_TRUE(n.is_ok()) << n.status().to_string();
  std::vector<ChangeEvent> first = capture_.take();
  ASSERT_EQ(first.size(), 1u);
  EXPECT_EQ(first[0].kind, ChangeKind::kDeletion);
  EXPECT_EQ(first[0].actor.kind, "unknown");
  EXPECT_TRUE(first[0].is_protected);
  // Restored before poll_once returned.
  auto back = store_->get_playbook("playbook--p");
  ASSERT_TRUE(back.is_ok() && *back);
  EXPECT_EQ((*back)->name, "crucial");

  ASSERT_TRUE(watcher_->poll_once().is_ok());
  std::vector<ChangeEvent> second = capture_.take();
  ASSERT_EQ(second.size(), 1u);
  EXPECT_EQ(second[0].kind, ChangeKind::kCreation);
  EXPECT_EQ(second[0].actor.kind, "system");
  EXPECT_EQ(second[0].actor.action, "playbook.recover");
  ASSERT_TRUE(second[0].recovery.contains("recovery_ms"));
  EXPECT_GE(second[0].recovery.at("recovery_ms").as_int64(), 0);
  EXPECT_EQ(second[0].recovery.at("restored_version"), 1);

  store::AuditFilter f;
  f.action = "playbook.recover";
  auto records = store_->list_audit(f);
  ASSERT_TRUE(records.is_ok());
  ASSERT_EQ(records->size(), 1u);
  EXPECT_EQ((*records)[0].actor_kind, "system");
  EXPECT_EQ((*records)[0].object_id, "playbook--p");
}

TEST_F(WatcherTest, ProtectedPlaybookEditedWithSqliteIsReverted) {
  create_through_api("playbook--p", "crucial", true);
  start_watcher();
  outside("UPDATE playbooks SET document = json_set(document, '$.name', 'evil') WHERE id = 'playbook--p'");
  ASSERT_TRUE(watcher_->poll_once().is_ok());
  auto back = store_->get_playbook("playbook--p");
  ASSERT_TRUE(back.is_ok() && *back);
  EXPECT_EQ((*back)->document.at("name"), "crucial");
  std::vector<ChangeEvent> events = capture_.take();
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].kind, ChangeKind::kModification);
  ASSERT_EQ(events[0].changes.size(), 1u);
  EXPECT_EQ(events[0].changes[0].at("path"), "/name");
  EXPECT_EQ(events[0].changes[0].at("value"), "evil");
}

TEST_F(WatcherTest, UnprotectedEditOutsideIsReportedAndVersioned) {
  create_through_api("playbook--q", "plain", false);
  start_watcher();
  outside("UPDATE playbooks SET document = json_set(document, '$.name', 'edited') WHERE id = 'playbook--q';"
          "INSERT INTO playbooks(id, version, name, document, created_at, updated_at)"
          " VALUES('playbook--r', 'v', 'new', '{\"id\":\"playbook--r\"}', 1, 1)");
  ASSERT_TRUE(watcher_->poll_once().is_ok());
  std::vector<ChangeEvent> events = capture_.take();
  ASSERT_EQ(events.size(), 2u);
  for (const auto& e : events) EXPECT_EQ(e.actor.kind, "unknown");
  // Still as edited: not protected.
  EXPECT_EQ((*store_->get_playbook("playbook--q"))->document.at("name"), "edited");
  // The version is submitted without waiting: a write after it is behind it.
  ASSERT_TRUE(store_->write({store::CheckpointAudit{}}).is_ok());
  auto versions = store_->list_playbook_versions("playbook--q", false);
  ASSERT_TRUE(versions.is_ok());
  ASSERT_EQ(versions->size(), 2u);
  EXPECT_EQ((*versions)[0].version, 2);
  EXPECT_EQ((*versions)[0].author_kind, "unknown");
}

TEST_F(WatcherTest, ProtectedPlaybookDeletedWhileAtioWasDownIsRestoredOnStart) {
  create_through_api("playbook--p", "crucial", true);
  outside("DELETE FROM playbooks WHERE id = 'playbook--p'");
  start_watcher();
  auto back = store_->get_playbook("playbook--p");
  ASSERT_TRUE(back.is_ok());
  EXPECT_TRUE(back->has_value());
}

}  // namespace
}  // namespace atio::monitor
