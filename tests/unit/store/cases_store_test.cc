// Cases in the store, on every backend (and SQLite's migration 9): the row, its timeline and links
// change only together with their audit record; updates are refused when
// the case moved on; correlation finds the open case of a key within its
// window; a version-8 database gains the tables and keeps its data.
#include <gtest/gtest.h>

#include <filesystem>

#include "atio/core/ids.h"
#include "atio/store/sqlite/schema.h"
#include "backend_test.h"
#include "support/sqlite_file.h"

namespace atio::store {
namespace {

class CasesStoreTest : public BackendTest {
 protected:
  static CaseRecord a_case(const std::string& key = "", std::int64_t at = 1000,
                           std::int64_t window = 0) {
    CaseRecord c;
    c.id = uuid_v4();
    c.title = "ET SCAN on 10.0.0.5";
    c.severity = "high";
    c.status = "new";
    c.correlation_key = key;
    c.correlation_window_ms = window;
    c.playbook_id = "playbook--p";
    c.use_case = "use-case-2";
    c.occurred_at_ms = c.last_seen_at_ms = at;
    c.detected_at_ms = at + 90'000;
    c.created_at_ms = c.updated_at_ms = at + 90'500;
    return c;
  }
  static WriteCase create(const CaseRecord& c) {
    WriteCase w;
    w.record = c;
    w.timeline.push_back({0, c.id, c.created_at_ms, "opened", "atio", "x-atio-case", "{}"});
    w.links.push_back({"execution", "", "exec-1", c.created_at_ms});
    w.links.push_back({"stix", "", "report--1", c.created_at_ms});
    w.audit = atio_audit_record("x-atio-case", "case.open", "case", c.id, "{}");
    return w;
  }

  void close_case(const CaseRecord& c) {
    WriteCase w;
    w.record = c;
    w.record.status = "resolved";
    w.record.resolved_at_ms = c.updated_at_ms + 1;
    w.expected_revision = 1;
    w.audit = atio_audit_record("test", "case.status", "case", c.id, "{}");
    ASSERT_TRUE(store_->write({w}).is_ok());
  }

};
ATIO_ON_EVERY_BACKEND(CasesStoreTest);

class SqliteCasesStoreTest : public CasesStoreTest {};
ATIO_ON_SQLITE_ONLY(SqliteCasesStoreTest);

TEST_P(CasesStoreTest, ACaseIsStoredWithItsTimelineLinksAndAuditRecord) {
  const CaseRecord c = a_case("k");
  ASSERT_TRUE(store_->write({create(c)}).is_ok());
  auto got = store_->get_case(c.id);
  ASSERT_TRUE(got.is_ok() && *got) << got.status().to_string();
  EXPECT_EQ((*got)->title, c.title);
  EXPECT_EQ((*got)->occurred_at_ms, 1000);
  EXPECT_EQ((*got)->detected_at_ms, 91'000);
  EXPECT_EQ((*got)->revision, 1);
  auto timeline = store_->case_timeline(c.id);
  ASSERT_TRUE(timeline.is_ok());
  ASSERT_EQ(timeline->size(), 1u);
  EXPECT_EQ((*timeline)[0].kind, "opened");
  auto links = store_->case_links(c.id);
  ASSERT_TRUE(links.is_ok());
  EXPECT_EQ(links->size(), 2u);
  AuditFilter af;
  af.object_type = "case";
  af.object_id = c.id;
  auto audit = store_->list_audit(af);
  ASSERT_TRUE(audit.is_ok());
  ASSERT_EQ(audit->size(), 1u);
  EXPECT_EQ((*audit)[0].action, "case.open");
  auto linked = store_->cases_linked_to("execution", "exec-1");
  ASSERT_TRUE(linked.is_ok());
  ASSERT_EQ(linked->size(), 1u);
  EXPECT_EQ((*linked)[0].id, c.id);
}

TEST_P(CasesStoreTest, AChangeWithoutItsAuditRecordIsRefusedAndLeavesNothing) {
  WriteCase w = create(a_case());
  w.audit = AuditRecord{};
  Status s = store_->write({w});
  EXPECT_EQ(s.code(), Code::kInvalidArgument) << s.to_string();
  EXPECT_EQ(count("SELECT count(*) FROM cases"), 0);
  EXPECT_EQ(count("SELECT count(*) FROM case_timeline"), 0);
  EXPECT_EQ(count("SELECT count(*) FROM case_links"), 0);
}

TEST_P(CasesStoreTest, AnUpdateFromAnOldRevisionIsRefused) {
  CaseRecord c = a_case();
  ASSERT_TRUE(store_->write({create(c)}).is_ok());
  WriteCase ack;
  ack.record = c;
  ack.record.status = "acknowledged";
  ack.record.acknowledged_at_ms = 95'000;
  ack.expected_revision = 1;
  ack.timeline.push_back({0, c.id, 95'000, "acknowledged", "k1", "alice", "{}"});
  ack.audit = atio_audit_record("test", "case.acknowledge", "case", c.id, "{}");
  ASSERT_TRUE(store_->write({ack}).is_ok());
  // The same change computed from revision 1 again: the case has moved on.
  ack.record.status = "false_positive";
  Status s = store_->write({ack});
  EXPECT_EQ(s.code(), Code::kAborted) << s.to_string();
  auto got = store_->get_case(c.id);
  EXPECT_EQ((*got)->status, "acknowledged");
  EXPECT_EQ((*got)->revision, 2);
  EXPECT_EQ(store_->case_timeline(c.id)->size(), 2u);
  // Only the changes that were made are in the audit log.
  EXPECT_EQ(count("SELECT count(*) FROM audit WHERE object_type = 'case'"), 2);
  ack.record.id = "no-such-case";
  EXPECT_EQ(store_->write({ack}).code(), Code::kNotFound);
}

TEST_P(CasesStoreTest, CorrelationFindsTheOpenCaseOfAKeyWithinItsWindow) {
  const CaseRecord c = a_case("alert:sig|10.0.0.5", 1'000'000, 3'600'000);
  ASSERT_TRUE(store_->write({create(c)}).is_ok());
  auto within = store_->correlated_case("alert:sig|10.0.0.5", 1'000'000 + 3'600'000);
  ASSERT_TRUE(within.is_ok() && *within);
  EXPECT_EQ((*within)->id, c.id);
  EXPECT_FALSE(*store_->correlated_case("alert:sig|10.0.0.5", 1'000'000 + 3'600'001));
  EXPECT_FALSE(*store_->correlated_case("alert:sig|10.0.0.6", 1'000'000));
  // A second new case with the key while the first is open is refused...
  EXPECT_EQ(store_->write({create(a_case("alert:sig|10.0.0.5", 1'000'500, 3'600'000))}).code(),
            Code::kAborted);
  // ...unless it falls outside the window.
  EXPECT_TRUE(store_->write({create(a_case("alert:sig|10.0.0.5", 9'000'000, 3'600'000))}).is_ok());
  // A closed case takes no more detections.
  close_case(c);
  auto after = store_->correlated_case("alert:sig|10.0.0.5", 1'000'000);
  ASSERT_TRUE(after.is_ok());
  EXPECT_FALSE(*after);
}

TEST_P(CasesStoreTest, AWindowOfZeroCorrelatesAnyTimeWhileOpen) {
  const CaseRecord c = a_case("vulnerability:cve|asset-1", 1000, 0);
  ASSERT_TRUE(store_->write({create(c)}).is_ok());
  auto later = store_->correlated_case("vulnerability:cve|asset-1", 1000 + 86'400'000LL * 30);
  ASSERT_TRUE(later.is_ok() && *later);
  EXPECT_EQ((*later)->id, c.id);
}

TEST_P(CasesStoreTest, ListFiltersPagesAndCountsByStatus) {
  std::vector<std::string> ids;
  for (int i = 0; i < 5; ++i) {
    CaseRecord c = a_case("", 1000 + i * 1000);
    c.severity = i % 2 ? "low" : "high";
    ASSERT_TRUE(store_->write({create(c)}).is_ok());
    ids.push_back(c.id);
  }
  CaseFilter f;
  f.severity = "high";
  auto high = store_->list_cases(f);
  ASSERT_TRUE(high.is_ok());
  ASSERT_EQ(high->size(), 3u);
  EXPECT_EQ((*high)[0].id, ids[4]);  // newest first
  f = CaseFilter();
  f.limit = 2;
  auto page1 = store_->list_cases(f);
  ASSERT_EQ(page1->size(), 2u);
  f.after_id = page1->back().id;
  auto page2 = store_->list_cases(f);
  ASSERT_EQ(page2->size(), 2u);
  EXPECT_EQ((*page2)[0].id, ids[2]);
  // detected_at of case i is 91'000 + i * 1000.
  f = CaseFilter();
  f.since_ms = 92'000;
  f.until_ms = 94'000;
  auto window = store_->list_cases(f);
  ASSERT_EQ(window->size(), 2u);
  CaseTimesFilter tf;
  tf.since_ms = 92'000;
  auto times = store_->case_times(tf);
  ASSERT_TRUE(times.is_ok());
  EXPECT_EQ(times->size(), 4u);  // cases 1 to 4
  auto counts = store_->case_status_counts();
  ASSERT_TRUE(counts.is_ok());
  EXPECT_EQ((*counts)["new"], 5);
}

TEST_P(SqliteCasesStoreTest, AVersionEightDatabaseGainsTheCaseTables) {
  store_->close();
  store_.reset();
  atio::testing::drop_all_but(location_, {"playbooks", "executions", "api_keys", "hooks", "schedules",
                                      "step_journal", "assets", "settings", "sightings", "audit",
                                      "audit_checkpoints", "users", "sessions",
                                      "playbook_versions", "playbook_protection",
                                      "playbook_changes", "monitor_events", "monitor_triggers",
                                      "secrets"});
  atio::testing::run_sql(location_,
                         "PRAGMA user_version = 8;"
                         "INSERT INTO secrets(name, sealed, created_at, updated_at)"
                         " VALUES('misp', 'sb1:x', 1, 2)");
  open();
  EXPECT_EQ(count("PRAGMA user_version"), sqlite::newest_schema_version());
  EXPECT_EQ(count("SELECT count(*) FROM secrets"), 1);
  const CaseRecord c = a_case("k");
  ASSERT_TRUE(store_->write({create(c)}).is_ok());
  EXPECT_TRUE(*store_->get_case(c.id));
}

}  // namespace
}  // namespace atio::store
