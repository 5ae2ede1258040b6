#include "backend_test.h"

#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <thread>

#include <sqlite3.h>

#include "atio/core/ids.h"
#include "atio/store/sqlite/schema.h"
#include "support/sqlite_file.h"

namespace atio::store {
namespace {

class StoreTest : public BackendTest {
 protected:
  static ExecutionRecord execution(const std::string& playbook) {
    ExecutionRecord e;
    e.id = uuid_v4();
    e.playbook_id = playbook;
    e.playbook_version = "2023-01-01T00:00:00.000Z";
    e.variables = {{"__x__", 1}};
    e.trigger = {{"kind", "manual"}};
    e.created_at_ms = 1;
    return e;
  }

  std::string db_file() const { return location_; }
  static StepRecord step(const std::string& execution_id, int i) {
    StepRecord s;
    s.execution_id = execution_id;
    s.step_key = "parallel--p/" + std::to_string(i % 3) + "/action--" + std::to_string(i);
    s.step_id = "action--" + std::to_string(i);
    s.step_type = "action";
    s.status = i % 5 == 0 ? StepStatus::kFailed : StepStatus::kSucceeded;
    s.started_at_ms = 1000 + i;
    s.finished_at_ms = 2000 + i;
    s.inputs = {{"in_args", {{"__n__", i}}}};
    s.outputs = {{"status_code", 200 + i}, {"body", "\"quoted\" \u00e9"}};
    s.variables = {{"__n__", i + 1}};
    s.branch = i % 2 ? "true" : "";
    s.error = i % 5 == 0 ? "step " + std::to_string(i) + " failed" : "";
    return s;
  }

};
ATIO_ON_EVERY_BACKEND(StoreTest);

// What only the SQLite file has: its write lock, its older schemas.
class SqliteStoreTest : public StoreTest {};
ATIO_ON_SQLITE_ONLY(SqliteStoreTest);

TEST_P(SqliteStoreTest, StepRecordsCommittedTogetherShareOneRowPerExecution) {
  ExecutionRecord a = execution("p"), b = execution("p");
  ASSERT_TRUE(store_->write({InsertExecution{a}, InsertExecution{b}}).is_ok());
  constexpr int kSteps = 100;
  // Another connection holds the write lock, so every record below queues
  // up behind the writer's first transaction and the rest commit together.
  sqlite3* lock = nullptr;
  ASSERT_EQ(sqlite3_open(db_file().c_str(), &lock), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(lock, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr), SQLITE_OK);
  std::atomic<int> pending{2 * kSteps};
  std::atomic<int> failed{0};
  for (int i = 0; i < kSteps; ++i) {
    for (const auto* e : {&a, &b}) {
      store_->submit({PutStep{step(e->id, i)}}, [&](Status s) {
        if (!s.is_ok()) ++failed;
        --pending;
      });
    }
  }
  ASSERT_EQ(sqlite3_exec(lock, "COMMIT", nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_close(lock);
  while (pending.load() > 0) std::this_thread::yield();
  EXPECT_EQ(failed.load(), 0);
  // The writer's first transaction (what it had taken before the lock: one
  // row per execution at most), then one row per execution for the rest.
  // One row per record would be 200.
  const std::int64_t rows = count("SELECT count(*) FROM step_journal");
  EXPECT_GE(rows, 2);
  EXPECT_LE(rows, 4);
  for (const auto* e : {&a, &b}) {
    auto steps = store_->get_steps(e->id);
    ASSERT_TRUE(steps.is_ok()) << steps.status().to_string();
    ASSERT_EQ(steps->size(), static_cast<std::size_t>(kSteps));
    for (int i = 0; i < kSteps; ++i) {
      const StepRecord want = step(e->id, i);
      const StepRecord& got = (*steps)[i];
      EXPECT_EQ(got.execution_id, want.execution_id);
      EXPECT_EQ(got.step_key, want.step_key);
      EXPECT_EQ(got.step_id, want.step_id);
      EXPECT_EQ(got.step_type, want.step_type);
      EXPECT_EQ(got.status, want.status);
      EXPECT_EQ(got.started_at_ms, want.started_at_ms);
      EXPECT_EQ(got.finished_at_ms, want.finished_at_ms);
      EXPECT_EQ(got.inputs, want.inputs);
      EXPECT_EQ(got.outputs, want.outputs);
      EXPECT_EQ(got.variables, want.variables);
      EXPECT_EQ(got.branch, want.branch);
      EXPECT_EQ(got.error, want.error);
    }
  }
}

TEST_P(StoreTest, RunningRecordSupersededInTheSameCommitIsNotWritten) {
  ExecutionRecord e = execution("p");
  ASSERT_TRUE(store_->write({InsertExecution{e}}).is_ok());
  StepRecord running = step(e.id, 1);
  running.status = StepStatus::kRunning;
  running.finished_at_ms = 0;
  // Both in one batch: one transaction, and the end record wins.
  ASSERT_TRUE(store_->write({PutStep{running}, PutStep{step(e.id, 1)}}).is_ok());
  EXPECT_EQ(count(sqlite() ? "SELECT count(*) FROM step_journal, json_each(step_journal.records)"
                           : "SELECT count(*) FROM step_journal,"
                             " jsonb_array_elements(step_journal.records::jsonb)"),
            1);
  auto steps = store_->get_steps(e.id);
  ASSERT_TRUE(steps.is_ok());
  ASSERT_EQ(steps->size(), 1u);
  EXPECT_EQ((*steps)[0].status, StepStatus::kSucceeded);
}

TEST_P(SqliteStoreTest, StepsOfAnOlderSchemaMoveToTheJournal) {
  ExecutionRecord e = execution("p");
  ASSERT_TRUE(store_->write({InsertExecution{e}}).is_ok());
  store_->close();
  store_.reset();
  // The schema before migration 3: one row per step record (and none of the
  // tables of later migrations).
  testing::drop_all_but(db_file(), {"playbooks", "executions", "api_keys", "hooks", "schedules"});
  // Migration 6 also gave api_keys a role, an expiry, a revocation and an owner.
  sql("DROP INDEX api_keys_by_owner; ALTER TABLE api_keys DROP COLUMN role;"
      "ALTER TABLE api_keys DROP COLUMN expires_at; ALTER TABLE api_keys DROP COLUMN revoked_at;"
      "ALTER TABLE api_keys DROP COLUMN owner_user_id;");
  sql("CREATE TABLE steps (seq INTEGER PRIMARY KEY AUTOINCREMENT, execution_id TEXT NOT NULL,"
      " step_key TEXT NOT NULL, step_id TEXT NOT NULL, step_type TEXT NOT NULL,"
      " status TEXT NOT NULL, started_at INTEGER NOT NULL, finished_at INTEGER NOT NULL DEFAULT 0,"
      " inputs TEXT NOT NULL DEFAULT '{}', outputs TEXT NOT NULL DEFAULT '{}',"
      " variables TEXT NOT NULL DEFAULT '{}', branch TEXT NOT NULL DEFAULT '',"
      " error TEXT NOT NULL DEFAULT '');"
      "INSERT INTO steps(execution_id, step_key, step_id, step_type, status, started_at)"
      " VALUES('" + e.id + "', 'action--a', 'action--a', 'action', 'running', 5);"
      "INSERT INTO steps(execution_id, step_key, step_id, step_type, status, started_at,"
      " finished_at, outputs, branch) VALUES('" + e.id + "', 'action--a', 'action--a',"
      " 'action', 'succeeded', 5, 9, '{\"status_code\":201}', '');"
      "INSERT INTO steps(execution_id, step_key, step_id, step_type, status, started_at,"
      " finished_at, branch) VALUES('" + e.id + "', 'if-condition--b', 'if-condition--b',"
      " 'if-condition', 'succeeded', 10, 11, 'false');"
      "PRAGMA user_version = 2;");
  open();
  EXPECT_EQ(count("PRAGMA user_version"), sqlite::newest_schema_version());
  auto steps = store_->get_steps(e.id);
  ASSERT_TRUE(steps.is_ok()) << steps.status().to_string();
  ASSERT_EQ(steps->size(), 2u);
  EXPECT_EQ((*steps)[0].step_key, "action--a");
  EXPECT_EQ((*steps)[0].status, StepStatus::kSucceeded);
  EXPECT_EQ((*steps)[0].started_at_ms, 5);
  EXPECT_EQ((*steps)[0].finished_at_ms, 9);
  EXPECT_EQ((*steps)[0].outputs.at("status_code").as_int64(), 201);
  EXPECT_EQ((*steps)[1].branch, "false");
}

TEST_P(StoreTest, CorruptJournalRowIsReportedNotSkipped) {
  ExecutionRecord e = execution("p");
  ASSERT_TRUE(store_->write({InsertExecution{e}, PutStep{step(e.id, 1)}}).is_ok());
  sql("INSERT INTO step_journal(execution_id, records) VALUES('" + e.id + "', '{\"key\":1}')");
  auto steps = store_->get_steps(e.id);
  ASSERT_FALSE(steps.is_ok());
  EXPECT_NE(steps.status().to_string().find(e.id), std::string::npos) << steps.status().to_string();
}

TEST_P(StoreTest, ExecutionsAndStepsSurviveReopen) {
  ExecutionRecord e = execution("playbook--1");
  ASSERT_TRUE(store_->write({InsertExecution{e}}).is_ok());
  StepRecord s;
  s.execution_id = e.id;
  s.step_key = "action--a";
  s.step_id = "action--a";
  s.step_type = "action";
  s.status = StepStatus::kRunning;
  ASSERT_TRUE(store_->write({PutStep{s}, MarkExecutionRunning{e.id}}).is_ok());
  s.status = StepStatus::kSucceeded;
  s.outputs = {{"status_code", 200}};
  ASSERT_TRUE(store_->write({PutStep{s}}).is_ok());
  store_->close();
  open();

  auto got = store_->get_execution(e.id);
  ASSERT_TRUE(got.is_ok());
  ASSERT_TRUE(got->has_value());
  EXPECT_EQ((*got)->status, ExecutionStatus::kRunning);
  EXPECT_EQ((*got)->variables.at("__x__").as_int64(), 1);
  auto steps = store_->get_steps(e.id);
  ASSERT_TRUE(steps.is_ok());
  ASSERT_EQ(steps->size(), 1u);  // the second PutStep replaced the first
  EXPECT_EQ((*steps)[0].status, StepStatus::kSucceeded);
  EXPECT_EQ((*steps)[0].outputs.at("status_code").as_int64(), 200);
  auto unfinished = store_->unfinished_executions();
  ASSERT_TRUE(unfinished.is_ok());
  EXPECT_EQ(unfinished->size(), 1u);
}

TEST_P(StoreTest, FailingBatchLeavesNothingAndOthersCommit) {
  ExecutionRecord b = execution("p");
  // The second batch inserts `c` twice: the UNIQUE id makes it fail as a whole.
  std::atomic<int> pending{2};
  Status sa, sb;
  store_->submit({InsertExecution{b}}, [&](Status s) { sa = s; --pending; });
  ExecutionRecord c = execution("p");
  store_->submit({InsertExecution{c}, InsertExecution{c}}, [&](Status s) { sb = s; --pending; });
  while (pending.load() > 0) std::this_thread::yield();
  EXPECT_TRUE(sa.is_ok());
  EXPECT_FALSE(sb.is_ok());
  EXPECT_TRUE(store_->get_execution(b.id)->has_value());
  EXPECT_FALSE(store_->get_execution(c.id)->has_value());
}

TEST_P(StoreTest, ConcurrentSubmittersAreGroupCommitted) {
  constexpr int kThreads = 4, kPerThread = 500;
  std::vector<std::thread> threads;
  std::atomic<int> ok{0};
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < kPerThread; ++i) {
        if (store_->write({InsertExecution{execution("p")}}).is_ok()) ++ok;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(ok.load(), kThreads * kPerThread);
  ExecutionFilter f;
  f.limit = 100000;
  EXPECT_EQ(store_->list_executions(f)->size(), static_cast<std::size_t>(kThreads * kPerThread));
}

TEST_P(StoreTest, ListExecutionsFiltersAndPages) {
  std::vector<std::string> ids;
  for (int i = 0; i < 5; ++i) {
    auto e = execution(i % 2 ? "odd" : "even");
    ids.push_back(e.id);
    ASSERT_TRUE(store_->write({InsertExecution{e}}).is_ok());
  }
  ExecutionFilter f;
  f.playbook_id = "even";
  auto even = store_->list_executions(f);
  ASSERT_EQ(even->size(), 3u);
  EXPECT_EQ((*even)[0].id, ids[4]);  // newest first
  f.after_id = ids[4];
  f.limit = 1;
  auto page = store_->list_executions(f);
  ASSERT_EQ(page->size(), 1u);
  EXPECT_EQ((*page)[0].id, ids[2]);
  ASSERT_TRUE(store_->write({FinishExecution{ids[2], ExecutionStatus::kSucceeded, "", 5}}).is_ok());
  ExecutionFilter done;
  done.status = ExecutionStatus::kSucceeded;
  EXPECT_EQ(store_->list_executions(done)->size(), 1u);
}

TEST_P(StoreTest, AssetsAndSettingsAreKeptAndReplaced) {
  AssetRecord a{"6c1f3a1e-2b4d-4c8e-9f00-1a2b3c4d5e6f", "web-1", {{"name", "web-1"}}, 1};
  AssetRecord b{"0d8f2e3a-7c6b-4a59-8e21-9a0b1c2d3e4f", "db-1", {{"name", "db-1"}}, 1};
  ASSERT_TRUE(store_->write({PutAsset{a}, PutAsset{b}}).is_ok());
  a.document["owner"] = "web team";
  ASSERT_TRUE(store_->write({PutAsset{a}}).is_ok());
  auto all = store_->list_assets();
  ASSERT_TRUE(all.is_ok());
  ASSERT_EQ(all->size(), 2u);
  EXPECT_EQ((*all)[0].name, "db-1") << "ordered by name";
  EXPECT_EQ((*all)[1].document.at("owner"), "web team");
  EXPECT_EQ(store_->write({DeleteAsset{b.id}}).code(), Code::kOk);
  EXPECT_EQ(store_->write({DeleteAsset{b.id}}).code(), Code::kNotFound);
  EXPECT_FALSE(store_->get_asset(b.id)->has_value());
  ASSERT_TRUE(store_->write({PutSetting{"policies", bj::array{1, 2}, 1}}).is_ok());
  EXPECT_EQ(**store_->get_setting("policies"), (bj::value(bj::array{1, 2})));
  EXPECT_FALSE(store_->get_setting("risk_model")->has_value());
}

TEST_P(StoreTest, SightingsWidenCountOnceEachOccurrenceAndSurviveReopening) {
  const std::string d = "5b1c7a2e-0f3d-5e4a-9b8c-7d6e5f4a3b2c";
  ASSERT_TRUE(store_->write({RecordSighting{d, "report--1", "2024-01-02T00:00:00.000Z", "asset-1", 40}}).is_ok());
  ASSERT_TRUE(store_->write({RecordSighting{d, "report--1", "2024-01-02T00:00:00.000Z", "asset-1", 40}}).is_ok());
  ASSERT_TRUE(store_->write({RecordSighting{d, "report--2", "2024-01-01T00:00:00.000Z", "asset-1", 55}}).is_ok());
  EXPECT_EQ(store_->write({SetExternalId{"no-such", "misp", "1"}}).code(), Code::kNotFound);
  ASSERT_TRUE(store_->write({SetExternalId{d, "misp", "4711"}}).is_ok());
  ASSERT_TRUE(store_->write({SetExternalId{d, "iris", "12"}}).is_ok());
  store_->close();
  open();
  auto s = store_->get_sighting(d);
  ASSERT_TRUE(s.is_ok() && s->has_value());
  EXPECT_EQ((*s)->count, 2) << "the same occurrence counts once";
  EXPECT_EQ((*s)->first_seen, "2024-01-01T00:00:00.000Z");
  EXPECT_EQ((*s)->last_seen, "2024-01-02T00:00:00.000Z");
  EXPECT_EQ((*s)->importance, 55);
  EXPECT_EQ((*s)->external_ids.at("misp"), "4711");
  EXPECT_EQ((*s)->external_ids.at("iris"), "12");
  EXPECT_EQ(store_->asset_importances("asset-1", "2024-01-01T12:00:00.000Z")->size(), 1u);
  ASSERT_TRUE(store_->write({RecordSighting{"d2", "report--3", "2024-01-05T00:00:00.000Z", "", 10}}).is_ok());
  auto feed = store_->recent_sightings("", 10);
  ASSERT_TRUE(feed.is_ok());
  ASSERT_EQ(feed->size(), 2u);
  EXPECT_EQ((*feed)[0].detection_id, "d2") << "most recently seen first";
  EXPECT_EQ(store_->recent_sightings("2024-01-03T00:00:00.000Z", 10)->size(), 1u);
  EXPECT_EQ(store_->recent_sightings("", 1)->size(), 1u);
  EXPECT_EQ(store_->asset_importances("asset-1", "2024-01-03T00:00:00.000Z")->size(), 0u);
}

}  // namespace
}  // namespace atio::store
