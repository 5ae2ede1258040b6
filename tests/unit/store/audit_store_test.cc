// The audit log in the store, on every backend: the writer chains records as
// the documentation says, filters and paging, and fail-closed batches.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "atio/core/ids.h"
#include "backend_test.h"
#include "support/audit_oracle.h"

namespace atio::store {
namespace {

class AuditStoreTest : public BackendTest {
 protected:
  static AuditRecord record(const std::string& action, const std::string& actor = "key-1",
                            const std::string& outcome = "success") {
    AuditRecord r;
    r.actor = actor;
    r.actor_kind = "key";
    r.actor_name = "admin";
    r.role = "admin";
    r.source_ip = "127.0.0.1";
    r.user_agent = "curl/8.0 \"quoted\", with: colons";
    r.action = action;
    r.object_type = "playbook";
    r.object_id = "playbook--" + uuid_v4();
    r.outcome = outcome;
    r.detail = R"({"k":"v","n":1})";
    return r;
  }

  static PlaybookRecord playbook(const std::string& id) {
    PlaybookRecord p;
    p.id = id;
    p.version = "2024-01-01T00:00:00.000Z";
    p.name = "p";
    p.document = {{"id", id}};
    return p;
  }

  std::vector<AuditRecord> all() {
    AuditFilter f;
    f.limit = 1000000;
    auto rows = store_->list_audit(f);
    EXPECT_TRUE(rows.is_ok()) << rows.status().to_string();
    return rows.is_ok() ? *rows : std::vector<AuditRecord>{};
  }

};
ATIO_ON_EVERY_BACKEND(AuditStoreTest);

TEST_P(AuditStoreTest, EmptyLogHasTheGenesisHead) {
  auto h = store_->audit_head();
  ASSERT_TRUE(h.is_ok());
  EXPECT_EQ(h->seq, 0);
  EXPECT_EQ(h->hash, std::string(64, '0'));
}

TEST_P(AuditStoreTest, RecordsFromConcurrentWritersFormOneChainAsDocumented) {
  // Four threads, batches of one and of several ops, many in one commit.
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([this, t] {
      for (int i = 0; i < 150; ++i) {
        std::vector<WriteOp> ops{AppendAudit{record("test.t" + std::to_string(t))}};
        if (i % 3 == 0) ops.push_back(AppendAudit{record("test.second")});
        ASSERT_TRUE(store_->write(std::move(ops)).is_ok());
      }
    });
  }
  for (auto& th : threads) th.join();
  auto rows = all();
  ASSERT_EQ(rows.size(), 4u * (150 + 50));
  std::string prev(64, '0');
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const AuditRecord& r = rows[i];
    EXPECT_EQ(r.seq, static_cast<std::int64_t>(i + 1));
    EXPECT_EQ(r.prev_hash, prev) << "record " << r.seq;
    EXPECT_EQ(r.hash, testing::oracle_record_hash(r)) << "record " << r.seq;
    EXPECT_GT(r.time_ms, 0);
    if (i > 0) EXPECT_GE(r.time_ms, rows[i - 1].time_ms);
    prev = r.hash;
  }
  auto h = store_->audit_head();
  ASSERT_TRUE(h.is_ok());
  EXPECT_EQ(h->seq, static_cast<std::int64_t>(rows.size()));
  EXPECT_EQ(h->hash, rows.back().hash);
}

TEST_P(AuditStoreTest, TheChainContinuesAfterReopening) {
  ASSERT_TRUE(store_->write({AppendAudit{record("a")}}).is_ok());
  store_->close();
  open();
  ASSERT_TRUE(store_->write({AppendAudit{record("b")}}).is_ok());
  auto rows = all();
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[1].prev_hash, rows[0].hash);
  EXPECT_EQ(rows[1].hash, testing::oracle_record_hash(rows[1]));
}

TEST_P(AuditStoreTest, AChangeThatFailsTakesItsRecordWithIt) {
  const std::string id = "playbook--" + uuid_v4();
  ASSERT_TRUE(store_->write({CreatePlaybook{playbook(id)}, AppendAudit{record("playbook.create")}})
                  .is_ok());
  // The same id again: the create fails, so its record must not exist.
  Status s = store_->write({CreatePlaybook{playbook(id)}, AppendAudit{record("playbook.create")}});
  EXPECT_EQ(s.code(), Code::kAlreadyExists);
  // The record first and the failing change after it: still neither.
  s = store_->write({AppendAudit{record("playbook.update")},
                     UpdatePlaybook{playbook("playbook--" + uuid_v4())}});
  EXPECT_EQ(s.code(), Code::kNotFound);
  auto rows = all();
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].action, "playbook.create");
  // The chain is unbroken by the rolled-back records.
  ASSERT_TRUE(store_->write({AppendAudit{record("next")}}).is_ok());
  rows = all();
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[1].seq, 2);
  EXPECT_EQ(rows[1].prev_hash, rows[0].hash);
}

TEST_P(AuditStoreTest, AnAuditRecordThatCannotBeWrittenLeavesTheChangeUnwritten) {
  // The audit table refuses every insert, as a full disk or a broken table would.
  if (sqlite()) {
    sql("CREATE TRIGGER audit_refuses BEFORE INSERT ON audit"
        " BEGIN SELECT RAISE(ABORT, 'audit refused'); END;");
  } else {
    sql("CREATE FUNCTION audit_refuses() RETURNS trigger LANGUAGE plpgsql AS"
        " $$ BEGIN RAISE EXCEPTION 'audit refused'; END $$;"
        "CREATE TRIGGER audit_refuses BEFORE INSERT ON audit"
        " FOR EACH ROW EXECUTE FUNCTION audit_refuses();");
  }
  const std::string id = "playbook--" + uuid_v4();
  Status s = store_->write({PutPlaybook{playbook(id)}, AppendAudit{record("playbook.import")}});
  EXPECT_FALSE(s.is_ok());
  auto p = store_->get_playbook(id);
  ASSERT_TRUE(p.is_ok());
  EXPECT_FALSE(p->has_value()) << "the playbook was stored without its audit record";
  s = store_->write({DeleteHook{"nope"}, AppendAudit{record("hook.delete")}});
  EXPECT_FALSE(s.is_ok());
  // Other batches in the same commit group are not affected.
  sql(sqlite() ? "DROP TRIGGER audit_refuses" : "DROP TRIGGER audit_refuses ON audit");
  ASSERT_TRUE(store_->write({PutPlaybook{playbook(id)}, AppendAudit{record("playbook.import")}})
                  .is_ok());
  EXPECT_TRUE(store_->get_playbook(id)->has_value());
}

TEST_P(AuditStoreTest, FiltersAndPaging) {
  std::vector<WriteOp> ops;
  for (int i = 0; i < 30; ++i) {
    AuditRecord r = record(i % 3 == 0 ? "playbook.delete" : "playbook.update",
                           i % 2 == 0 ? "key-even" : "key-odd", i % 5 == 0 ? "failure" : "success");
    if (i == 7) r.object_id = "playbook--seven";
    ops.push_back(AppendAudit{r});
  }
  ASSERT_TRUE(store_->write(std::move(ops)).is_ok());

  AuditFilter f;
  f.action = "playbook.delete";
  auto rows = store_->list_audit(f);
  ASSERT_TRUE(rows.is_ok());
  EXPECT_EQ(rows->size(), 10u);
  for (const auto& r : *rows) EXPECT_EQ(r.action, "playbook.delete");

  f = {};
  f.actor = "key-odd";
  f.outcome = "failure";
  rows = store_->list_audit(f);
  ASSERT_TRUE(rows.is_ok());
  // i odd and a multiple of 5: 5, 15, 25.
  ASSERT_EQ(rows->size(), 3u);
  EXPECT_EQ((*rows)[0].seq, 6);

  f = {};
  f.object_type = "playbook";
  f.object_id = "playbook--seven";
  rows = store_->list_audit(f);
  ASSERT_TRUE(rows.is_ok());
  ASSERT_EQ(rows->size(), 1u);
  EXPECT_EQ((*rows)[0].seq, 8);

  // Pages of 7 walk every record once, in order.
  f = {};
  f.limit = 7;
  std::vector<std::int64_t> seen;
  for (;;) {
    rows = store_->list_audit(f);
    ASSERT_TRUE(rows.is_ok());
    for (const auto& r : *rows) seen.push_back(r.seq);
    if (rows->size() < 7) break;
    f.after_seq = rows->back().seq;
  }
  ASSERT_EQ(seen.size(), 30u);
  for (std::size_t i = 0; i < seen.size(); ++i) EXPECT_EQ(seen[i], static_cast<std::int64_t>(i + 1));

  // Newest first, in pages of 7 from before the last one's seq, with a
  // filter: every matching record once, newest first.
  f = {};
  f.newest_first = true;
  f.actor = "key-even";
  f.limit = 7;
  seen.clear();
  for (;;) {
    rows = store_->list_audit(f);
    ASSERT_TRUE(rows.is_ok());
    for (const auto& r : *rows) seen.push_back(r.seq);
    if (rows->size() < 7) break;
    f.before_seq = rows->back().seq;
  }
  // i even: seq 1, 3, ..., 29, newest first.
  ASSERT_EQ(seen.size(), 15u);
  for (std::size_t i = 0; i < seen.size(); ++i) {
    EXPECT_EQ(seen[i], static_cast<std::int64_t>(29 - 2 * i));
  }

  // A time range: everything was written now, nothing a day ago.
  auto one = store_->get_audit(1);
  ASSERT_TRUE(one.is_ok() && one->has_value());
  f = {};
  f.since_ms = (*one)->time_ms;
  EXPECT_EQ(store_->list_audit(f)->size(), 30u);
  f.since_ms = 1;
  f.until_ms = (*one)->time_ms - 86'400'000;
  EXPECT_EQ(store_->list_audit(f)->size(), 0u);

  auto none = store_->get_audit(31);
  ASSERT_TRUE(none.is_ok());
  EXPECT_FALSE(none->has_value());
}

TEST_P(AuditStoreTest, NoCheckpointsWithoutASigner) {
  ASSERT_TRUE(store_->write({AppendAudit{record("a")}, CheckpointAudit{}}).is_ok());
  auto cps = store_->list_audit_checkpoints(0, 100);
  ASSERT_TRUE(cps.is_ok());
  EXPECT_TRUE(cps->empty());
}

}  // namespace
}  // namespace atio::store
