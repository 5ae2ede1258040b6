#include "atio/store/sqlite/sqlite_store.h"

#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <thread>

#include "atio/core/ids.h"

namespace atio::store {
namespace {

class SqliteStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("atio-store-" + uuid_v4());
    std::filesystem::create_directories(dir_);
    open();
  }
  void TearDown() override {
    store_.reset();
    std::filesystem::remove_all(dir_);
  }
  void open() {
    SqliteOptions o;
    o.path = (dir_ / "atio.db").string();
    o.synchronous = "normal";
    auto r = open_sqlite_store(o);
    ASSERT_TRUE(r.is_ok()) << r.status().to_string();
    store_ = std::move(r).value();
  }
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

  std::filesystem::path dir_;
  std::unique_ptr<Store> store_;
};

TEST_F(SqliteStoreTest, ExecutionsAndStepsSurviveReopen) {
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
  store_.reset();
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

TEST_F(SqliteStoreTest, FailingBatchLeavesNothingAndOthersCommit) {
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

TEST_F(SqliteStoreTest, ConcurrentSubmittersAreGroupCommitted) {
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

TEST_F(SqliteStoreTest, ListExecutionsFiltersAndPages) {
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

}  // namespace
}  // namespace atio::store
