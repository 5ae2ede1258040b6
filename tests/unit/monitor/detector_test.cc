// The change detector on hand-made scans: API changes are attributed to
// their audit record, others to "unknown (outside atio)"; a burst is all
// reported; protected playbooks changed without the right to ask for
// recovery.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "atio/monitor/detector.h"
#include "atio/monitor/protection.h"

namespace atio::monitor {
namespace {

namespace bj = boost::json;

store::PlaybookRecord playbook(const std::string& id, const std::string& name) {
  store::PlaybookRecord p;
  p.id = id;
  p.name = name;
  p.document = bj::object{{"id", id}, {"name", name}, {"type", "playbook"}};
  p.updated_at_ms = 1000;
  return p;
}

std::int64_t seq = 0;
store::PlaybookChange change(const std::string& id, const std::string& op, std::int64_t t) {
  return store::PlaybookChange{++seq, id, op, t};
}

store::AuditRecord api_record(std::int64_t s, const std::string& action, const std::string& id,
                              const std::string& hash_after) {
  store::AuditRecord r;
  r.seq = s;
  r.actor = "key-1";
  r.actor_kind = "key";
  r.actor_name = "alice";
  r.role = "admin";
  r.action = action;
  r.object_type = "playbook";
  r.object_id = id;
  r.outcome = "success";
  r.detail = bj::serialize(bj::object{
      {"hash_after", hash_after.empty() ? bj::value(nullptr) : bj::value(hash_after)}});
  return r;
}

std::string hash(const store::PlaybookRecord& p) { return store::playbook_content_hash(p.document); }

const ChangeEvent* find(const Detection& d, ChangeKind k, const std::string& id) {
  for (const auto& e : d.events) {
    if (e.kind == k && e.playbook_id == id) return &e;
  }
  return nullptr;
}

class DetectorTest : public ::testing::Test {
 protected:
  Detector detector_{may_change_protected};
  store::PlaybookRecord a_ = playbook("playbook--a", "A");
  store::PlaybookRecord b_ = playbook("playbook--b", "B");

  void SetUp() override {
    store::PlaybookScan base;
    base.playbooks = {a_, b_};
    base.changes = {change(a_.id, "insert", 900)};  // history: the change log starts after it
    base.audit_head_seq = 10;
    detector_.baseline(base);
  }
};

// Two writers: the change log row numbered later (A's) commits first, the
// earlier one (B's) a moment after; both are reported once and attributed.
TEST_F(DetectorTest, AChangeCommittedAfterALaterOneIsStillSeen) {
  store::PlaybookRecord a2 = a_;
  a2.document["description"] = "edited on node 1";
  store::PlaybookRecord b2 = b_;
  b2.document["description"] = "edited on node 2";
  const store::PlaybookChange row_b = change(b_.id, "update", 8000);
  const store::PlaybookChange row_a = change(a_.id, "update", 8001);
  store::PlaybookScan first;
  first.changes = {row_a};
  first.playbooks = {a2};
  first.audit = {api_record(11, "playbook.update", a_.id, hash(a2))};
  Detection d1 = detector_.detect(first, false, 8010);
  ASSERT_EQ(d1.events.size(), 1u);
  EXPECT_TRUE(find(d1, ChangeKind::kModification, a_.id));
  EXPECT_EQ(detector_.change_floor(), row_b.seq - 1) << "the missing row is read again";

  store::PlaybookScan second;  // read after the floor: both rows now
  second.changes = {row_b, row_a};
  second.playbooks = {a2, b2};
  second.audit = {api_record(12, "playbook.update", b_.id, hash(b2))};
  Detection d2 = detector_.detect(second, false, 8020);
  ASSERT_EQ(d2.events.size(), 1u) << "A's change is not reported twice";
  const ChangeEvent* e = find(d2, ChangeKind::kModification, b_.id);
  ASSERT_TRUE(e);
  EXPECT_EQ(e->actor.name, "alice");
  EXPECT_EQ(e->time_ms, 8000);
  EXPECT_EQ(detector_.change_floor(), row_a.seq);
}

TEST_F(DetectorTest, ASeqThatNeverCommitsIsGivenUpAfterAWhile) {
  change("playbook--rolled-back", "insert", 9000);  // numbered, then rolled back: never read
  store::PlaybookRecord a2 = a_;
  a2.document["description"] = "edited";
  const store::PlaybookChange row = change(a_.id, "update", 9001);
  store::PlaybookScan scan;
  scan.changes = {row};
  scan.playbooks = {a2};
  EXPECT_EQ(detector_.detect(scan, false, 9010).events.size(), 1u);
  EXPECT_EQ(detector_.change_floor(), row.seq - 2);
  EXPECT_TRUE(detector_.detect(scan, false, 9010 + Detector::kGapPatienceMs - 1).events.empty());
  EXPECT_EQ(detector_.change_floor(), row.seq - 2) << "still waited for";
  EXPECT_TRUE(detector_.detect(scan, false, 9010 + Detector::kGapPatienceMs).events.empty());
  EXPECT_EQ(detector_.change_floor(), row.seq);
}

TEST_F(DetectorTest, ApiBurstIsReportedWholeAndAttributed) {
  store::PlaybookRecord a2 = a_;
  a2.document["name"] = "A renamed";
  a2.name = "A renamed";
  store::PlaybookRecord c = playbook("playbook--c", "C");
  store::PlaybookScan scan;
  scan.changes = {change(c.id, "insert", 2000), change(a_.id, "update", 2001),
                  change(b_.id, "delete", 2002)};
  scan.playbooks = {a2, c};
  scan.audit = {api_record(11, "playbook.create", c.id, hash(c)),
                api_record(12, "playbook.update", a_.id, hash(a2)),
                api_record(13, "playbook.delete", b_.id, "")};
  scan.audit_head_seq = 13;
  Detection d = detector_.detect(scan, false, 2010);
  ASSERT_EQ(d.events.size(), 3u);
  const ChangeEvent* created = find(d, ChangeKind::kCreation, c.id);
  const ChangeEvent* modified = find(d, ChangeKind::kModification, a_.id);
  const ChangeEvent* deleted = find(d, ChangeKind::kDeletion, b_.id);
  ASSERT_TRUE(created && modified && deleted);
  for (const ChangeEvent* e : {created, modified, deleted}) {
    EXPECT_EQ(e->actor.name, "alice");
    EXPECT_EQ(e->actor.kind, "key");
  }
  EXPECT_EQ(created->time_ms, 2000);
  EXPECT_EQ(deleted->time_ms, 2002);
  EXPECT_EQ(deleted->hash_before, hash(b_));
  // The diff says what changed: the name.
  ASSERT_EQ(modified->changes.size(), 1u);
  EXPECT_EQ(modified->changes[0].at("path"), "/name");
  EXPECT_EQ(modified->changes[0].at("value"), "A renamed");
  EXPECT_TRUE(d.recoveries.empty());
  bj::object n = make_notification(d.events, detector_.workflow_data());
  EXPECT_EQ(n.at("notification").at("CreationEvents").as_array().size(), 1u);
  EXPECT_EQ(n.at("notification").at("ModificationEvents").as_array().size(), 1u);
  EXPECT_EQ(n.at("notification").at("DeletionEvents").as_array().size(), 1u);
  EXPECT_EQ(n.at("workflow_data").as_array().size(), 2u);  // A and C remain
}

TEST_F(DetectorTest, OutsideChangeHasUnknownActor) {
  store::PlaybookRecord a2 = a_;
  a2.document["description"] = "edited with sqlite3";
  store::PlaybookScan scan;
  scan.changes = {change(a_.id, "update", 3000)};
  scan.playbooks = {a2};
  // An audit record of the playbook that does not match its content now.
  scan.audit = {api_record(11, "playbook.update", a_.id, "0000")};
  Detection d = detector_.detect(scan, false, 3005);
  ASSERT_EQ(d.events.size(), 1u);
  EXPECT_EQ(d.events[0].kind, ChangeKind::kModification);
  EXPECT_EQ(d.events[0].actor.kind, "unknown");
  EXPECT_EQ(event_json(d.events[0]).at("actor"), kUnknownActor);
  EXPECT_EQ(d.events[0].detected_ms - d.events[0].time_ms, 5);
}

TEST_F(DetectorTest, CreatedAndDeletedBetweenScansIsBothEvents) {
  store::PlaybookScan scan;
  scan.changes = {change("playbook--x", "insert", 4000), change("playbook--x", "delete", 4001)};
  Detection d = detector_.detect(scan, false, 4010);
  ASSERT_EQ(d.events.size(), 2u);
  EXPECT_TRUE(find(d, ChangeKind::kCreation, "playbook--x"));
  EXPECT_TRUE(find(d, ChangeKind::kDeletion, "playbook--x"));
}

TEST_F(DetectorTest, FullScanFindsChangesTheLogDoesNotShow) {
  store::PlaybookRecord a2 = a_;
  a2.document["description"] = "the change log was forged";
  store::PlaybookScan scan;
  scan.playbooks = {a2};  // B is gone too
  Detection d = detector_.detect(scan, true, 5000);
  EXPECT_TRUE(find(d, ChangeKind::kModification, a_.id));
  EXPECT_TRUE(find(d, ChangeKind::kDeletion, b_.id));
}

TEST_F(DetectorTest, RewriteWithSameContentIsNotAnEvent) {
  store::PlaybookScan scan;
  scan.changes = {change(a_.id, "update", 6000)};
  scan.playbooks = {a_};
  EXPECT_TRUE(detector_.detect(scan, false, 6001).events.empty());
}

class ProtectedTest : public DetectorTest {
 protected:
  void SetUp() override {
    store::PlaybookScan base;
    base.playbooks = {a_, b_};
    base.protection = {store::PlaybookProtection{a_.id, "key-1", 1}};
    detector_.baseline(base);
  }
};

TEST_F(ProtectedTest, DeletionOutsideAtioAsksForTheLastGoodVersion) {
  store::PlaybookScan scan;
  scan.changes = {change(a_.id, "delete", 7000)};
  scan.protection = {store::PlaybookProtection{a_.id, "key-1", 1}};
  Detection d = detector_.detect(scan, false, 7003);
  ASSERT_EQ(d.events.size(), 1u);
  EXPECT_TRUE(d.events[0].is_protected);
  ASSERT_EQ(d.recoveries.size(), 1u);
  EXPECT_EQ(d.recoveries[0].playbook_id, a_.id);
  EXPECT_EQ(d.recoveries[0].good_document, a_.document);
  EXPECT_EQ(d.recoveries[0].good_hash, hash(a_));
  EXPECT_EQ(d.recoveries[0].changed_at_ms, 7000);
}

TEST_F(ProtectedTest, ProtectionRemovedWithTheDeletionIsStillProtected) {
  store::PlaybookScan scan;
  scan.changes = {change(a_.id, "unprotect", 7100), change(a_.id, "delete", 7100)};
  Detection d = detector_.detect(scan, false, 7101);
  ASSERT_EQ(d.recoveries.size(), 1u);
  EXPECT_TRUE(d.recoveries[0].reprotect);
  EXPECT_EQ(d.recoveries[0].good_document, a_.document);
  EXPECT_TRUE(detector_.is_protected(a_.id));
}

TEST_F(ProtectedTest, AdminDeletionThroughTheApiStands) {
  store::PlaybookScan scan;
  scan.changes = {change(a_.id, "unprotect", 7200), change(a_.id, "delete", 7200)};
  scan.audit = {api_record(11, "playbook.delete", a_.id, "")};
  Detection d = detector_.detect(scan, false, 7201);
  ASSERT_EQ(d.events.size(), 1u);
  EXPECT_EQ(d.events[0].actor.name, "alice");
  EXPECT_TRUE(d.recoveries.empty());
  EXPECT_FALSE(detector_.is_protected(a_.id));
}

TEST_F(ProtectedTest, ApiDeletionByARoleWithoutTheRightIsUndone) {
  store::PlaybookScan scan;
  scan.changes = {change(a_.id, "delete", 7300)};
  scan.protection = {store::PlaybookProtection{a_.id, "key-1", 1}};
  store::AuditRecord r = api_record(11, "playbook.delete", a_.id, "");
  r.role = "viewer";  // the roles to come: not an admin
  scan.audit = {r};
  Detection d = detector_.detect(scan, false, 7301);
  ASSERT_EQ(d.recoveries.size(), 1u);
}

TEST(ProtectionPolicy, TodayAdminsAndAtioMayOthersMayNot) {
  Actor admin{"k", "key", "alice", "admin", 5, "playbook.delete"};
  Actor outside{"", "unknown", kUnknownActor, "", 0, ""};
  Actor system{"atio", "system", "atio", "system", 9, "playbook.recover"};
  Actor viewer{"k", "key", "bob", "viewer", 6, "playbook.delete"};
  EXPECT_TRUE(may_change_protected(admin, ChangeKind::kDeletion));
  EXPECT_TRUE(may_change_protected(system, ChangeKind::kCreation));
  EXPECT_FALSE(may_change_protected(outside, ChangeKind::kDeletion));
  EXPECT_FALSE(may_change_protected(viewer, ChangeKind::kModification));
}

}  // namespace
}  // namespace atio::monitor
