// The case service over a real SQLite store: correlation of repeated
// detections, the status machine, times, and an audit record for every
// change.
#include <thread>

#include "cases_fixture.h"

namespace atio::cases::testing {
namespace {

TEST_F(CasesTest, RepeatsWithinTheWindowUpdateOneCaseKeepingTheEarliestOccurrence) {
  const std::int64_t t0 = 1'699'999'000'000;
  auto first = service_->record_detection(alert(t0 + 60'000), system_actor("x-atio-case"));
  ASSERT_TRUE(first.is_ok()) << first.status().to_string();
  EXPECT_TRUE(first->is_new);
  EXPECT_EQ(first->record.severity, "high");  // 7.5 on the CVSS scale
  // The same thing again, and once reported late with an earlier event time.
  auto second = service_->record_detection(alert(t0 + 120'000), system_actor("x-atio-case"));
  auto third = service_->record_detection(alert(t0), system_actor("x-atio-case"));
  ASSERT_TRUE(second.is_ok() && third.is_ok());
  EXPECT_FALSE(second->is_new);
  EXPECT_FALSE(third->is_new);
  EXPECT_EQ(third->record.id, first->record.id);
  auto c = store_->get_case(first->record.id);
  ASSERT_TRUE(c.is_ok() && *c);
  EXPECT_EQ((*c)->detection_count, 3);
  EXPECT_EQ((*c)->occurred_at_ms, t0);
  EXPECT_EQ((*c)->last_seen_at_ms, t0 + 120'000);
  // detected_at stays the first report's.
  EXPECT_EQ((*c)->detected_at_ms, t0 + 60'000 + 90'000);
  auto timeline = store_->case_timeline(first->record.id);
  ASSERT_TRUE(timeline.is_ok());
  ASSERT_EQ(timeline->size(), 3u);
  EXPECT_EQ((*timeline)[0].kind, "opened");
  EXPECT_EQ((*timeline)[1].kind, "detection");
  EXPECT_EQ((*timeline)[2].kind, "detection");
  auto audit = audit_of(first->record.id);
  ASSERT_EQ(audit.size(), 3u);
  EXPECT_EQ(audit[0].action, "case.open");
  EXPECT_EQ(audit[1].action, "case.update");
  EXPECT_EQ(audit[0].actor, "atio");
}

TEST_F(CasesTest, ARepeatOutsideTheWindowOrAfterTheCaseClosedOpensANewCase) {
  const std::int64_t t0 = 1'699'000'000'000;
  auto first = service_->record_detection(alert(t0), system_actor("x"));
  ASSERT_TRUE(first.is_ok());
  auto late = service_->record_detection(alert(t0 + 3'600'001), system_actor("x"));
  ASSERT_TRUE(late.is_ok());
  EXPECT_TRUE(late->is_new);
  // A false positive takes no more detections.
  ASSERT_TRUE(service_->set_status(late->record.id, CaseStatus::kFalsePositive, analyst("bob")).is_ok());
  auto again = service_->record_detection(alert(t0 + 3'600'002), system_actor("x"));
  ASSERT_TRUE(again.is_ok());
  EXPECT_TRUE(again->is_new);
  EXPECT_NE(again->record.id, late->record.id);
}

TEST_F(CasesTest, AWindowOfZeroKeepsCorrelatingWhileTheCaseIsOpen) {
  Detection v = alert(1'000'000, "vulnerability:openvas:1.3.6|asset-1");
  v.window_ms = 0;
  auto first = service_->record_detection(v, system_actor("x"));
  v.occurred_at_ms += 30LL * 86'400'000;  // a rescan a month later
  auto rescan = service_->record_detection(v, system_actor("x"));
  ASSERT_TRUE(first.is_ok() && rescan.is_ok());
  EXPECT_EQ(rescan->record.id, first->record.id);
  EXPECT_EQ(rescan->record.detection_count, 2);
}

TEST_F(CasesTest, DetectedAtDefaultsToWhenAtioReceivedTheEvent) {
  store::ExecutionRecord e;
  e.id = "exec-received";
  e.playbook_id = "playbook--uc2";
  e.created_at_ms = 1'700'000'000'123;
  ASSERT_TRUE(store_->write({store::InsertExecution{e}}).is_ok());
  Detection d = alert(1'699'999'990'000);
  d.detected_at_ms = 0;
  d.execution_id = e.id;
  auto opened = service_->record_detection(d, system_actor("x"));
  ASSERT_TRUE(opened.is_ok());
  EXPECT_EQ(opened->record.detected_at_ms, e.created_at_ms);
  auto linked = store_->cases_linked_to("execution", e.id);
  ASSERT_TRUE(linked.is_ok());
  ASSERT_EQ(linked->size(), 1u);
}

TEST_F(CasesTest, StatusChangesFollowTheMachineAndStampTheirTimes) {
  auto opened = service_->record_detection(alert(1'000'000), system_actor("x"));
  ASSERT_TRUE(opened.is_ok());
  const std::string id = opened->record.id;
  // Not yet acknowledged: cannot be responding.
  auto refused = service_->set_status(id, CaseStatus::kResponding, analyst("alice"));
  EXPECT_EQ(refused.status().code(), Code::kConflict);
  EXPECT_NE(refused.status().message().find("status: new -> responding is not allowed"),
            std::string::npos);
  now_ = 1'700'000'010'000;
  auto acked = service_->acknowledge(id, analyst("alice"));
  ASSERT_TRUE(acked.is_ok()) << acked.status().to_string();
  EXPECT_EQ(acked->acknowledged_at_ms, 1'700'000'010'000);
  EXPECT_EQ(acked->acknowledged_by, "alice");
  // Twice is refused (it is acknowledged already).
  EXPECT_EQ(service_->acknowledge(id, analyst("bob")).status().code(), Code::kConflict);
  ASSERT_TRUE(service_->set_status(id, CaseStatus::kResponding, analyst("alice")).is_ok());
  now_ = 1'700'000'020'000;
  auto resolved = service_->set_status(id, CaseStatus::kResolved, analyst("alice"), "patched");
  ASSERT_TRUE(resolved.is_ok());
  EXPECT_EQ(resolved->resolved_at_ms, 1'700'000'020'000);
  EXPECT_EQ(service_->set_status(id, CaseStatus::kFalsePositive, analyst("alice")).status().code(),
            Code::kConflict);
  // One audit record per change made, none for the refused ones.
  auto audit = audit_of(id);
  ASSERT_EQ(audit.size(), 4u);
  EXPECT_EQ(audit[1].action, "case.acknowledge");
  EXPECT_EQ(audit[1].actor_name, "alice");
  EXPECT_EQ(audit[3].action, "case.status");
}

TEST_F(CasesTest, AssignCommentAndRespondAreRecorded) {
  auto opened = service_->record_detection(alert(1'000'000), system_actor("x"));
  ASSERT_TRUE(opened.is_ok());
  const std::string id = opened->record.id;
  ASSERT_TRUE(service_->assign(id, "carol", analyst("alice")).is_ok());
  ASSERT_TRUE(service_->comment(id, "looks like a scanner", analyst("carol")).is_ok());
  EXPECT_EQ(service_->comment(id, "", analyst("carol")).status().code(), Code::kInvalidArgument);
  auto r = service_->respond(id, 1'700'000'000'500, {{"misp", "42"}, {"iris", "7"}}, "exec-1",
                             system_actor("x-atio-case"));
  ASSERT_TRUE(r.is_ok());
  // A later response keeps the first time.
  r = service_->respond(id, 1'700'000'009'999, {}, "exec-2", system_actor("x-atio-case"));
  ASSERT_TRUE(r.is_ok());
  EXPECT_EQ(r->responded_at_ms, 1'700'000'000'500);
  EXPECT_EQ(r->assignee, "carol");
  auto links = store_->case_links(id);
  ASSERT_TRUE(links.is_ok());
  int external = 0;
  for (const auto& l : *links) external += l.kind == "external";
  EXPECT_EQ(external, 2);
  auto timeline = store_->case_timeline(id);
  ASSERT_TRUE(timeline.is_ok());
  std::vector<std::string> kinds;
  for (const auto& e : *timeline) kinds.push_back(e.kind);
  EXPECT_EQ(kinds, (std::vector<std::string>{"opened", "assigned", "comment", "responded",
                                             "responded"}));
  EXPECT_EQ(audit_of(id).size(), 5u);
}

TEST_F(CasesTest, AnUnknownCaseOrABadSeverityIsNamed) {
  EXPECT_EQ(service_->acknowledge("no-such-case", analyst("a")).status().code(), Code::kNotFound);
  Detection d = alert(1);
  d.severity = "urgent";
  auto r = service_->record_detection(d, system_actor("x"));
  EXPECT_EQ(r.status().code(), Code::kInvalidArgument);
  EXPECT_EQ(r.status().message().rfind("severity: ", 0), 0u) << r.status().message();
}

TEST_F(CasesTest, ConcurrentDetectionsOfOneThingOpenOneCase) {
  constexpr int kThreads = 4, kEach = 10;
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kEach; ++i) {
        auto r = service_->record_detection(alert(1'000'000 + t * 100 + i), system_actor("x"));
        if (!r.is_ok()) ++failures;
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(failures.load(), 0);
  store::CaseFilter everything;
  everything.limit = 100;
  auto all = store_->list_cases(everything);
  ASSERT_TRUE(all.is_ok());
  ASSERT_EQ(all->size(), 1u);
  EXPECT_EQ((*all)[0].detection_count, kThreads * kEach);
  EXPECT_EQ((*all)[0].occurred_at_ms, 1'000'000);
}

TEST_F(CasesTest, AcknowledgingAnExecutionAcknowledgesItsNewCasesOnly) {
  Detection a = alert(1'000'000, "k1"), b = alert(1'000'000, "k2");
  a.execution_id = b.execution_id = "exec-9";
  auto ca = service_->record_detection(a, system_actor("x"));
  auto cb = service_->record_detection(b, system_actor("x"));
  ASSERT_TRUE(ca.is_ok() && cb.is_ok());
  ASSERT_TRUE(service_->acknowledge(cb->record.id, analyst("bob")).is_ok());
  auto done = service_->acknowledge_execution("exec-9", analyst("alice"),
                                              bj::object{{"step_key", "action--m"}});
  ASSERT_TRUE(done.is_ok());
  EXPECT_EQ(*done, std::vector<std::string>{ca->record.id});
  EXPECT_EQ((*store_->get_case(ca->record.id))->acknowledged_by, "alice");
  EXPECT_EQ((*store_->get_case(cb->record.id))->acknowledged_by, "bob");
}

}  // namespace
}  // namespace atio::cases::testing
