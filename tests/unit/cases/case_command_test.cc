// x-atio-case on the real case desk: cases from enrichment's detection
// summaries (alerts and vulnerabilities), one case opened by hand, and
// respond / acknowledge on the cases of an execution.
#include <boost/json/parse.hpp>

#include "atio/actions/case/case_command.h"
#include "atio/cases/desk.h"
#include "atio/cti/stix/time.h"
#include "cases_fixture.h"
#include "support/command_runner.h"

namespace atio::cases::testing {
namespace {

namespace bj = boost::json;

std::int64_t ms(const char* rfc3339) {
  stix::TimePoint tp;
  EXPECT_TRUE(stix::parse_time(rfc3339, &tp)) << rfc3339;
  return std::chrono::duration_cast<std::chrono::milliseconds>(tp.time_since_epoch()).count();
}

class CaseCommandTest : public CasesTest {
 protected:
  void SetUp() override {
    CasesTest::SetUp();
    desk_ = std::make_unique<ServiceDesk>(*service_, *store_);
    type_ = std::make_unique<actions::CaseCommand>(*desk_);
    playbook_.id = "playbook--uc";
  }

  std::optional<actions::Outcome> run(const std::string& raw, bj::object in_args,
                                      std::vector<std::string> ins,
                                      std::vector<std::string> outs,
                                      const std::string& execution = "exec-1") {
    step_.id = "action--case";
    step_.kind = cacao::StepKind::kAction;
    step_.in_args = std::move(ins);
    step_.out_args = std::move(outs);
    actions::Invocation inv;
    inv.execution_id = execution;
    inv.step_id = step_.id;
    inv.playbook = &playbook_;
    inv.step = &step_;
    inv.command.type = "x-atio-case";
    inv.command.raw = bj::parse(raw).as_object();
    inv.in_args = std::move(in_args);
    inv.cancel = std::make_shared<actions::CancelToken>();
    return atio::testing::run_command(*type_, std::move(inv));
  }

  // A summary as x-atio-enrich writes it (enricher.h).
  static bj::object summary(const std::string& kind, const std::string& time, double severity,
                            const std::string& host_id = "") {
    return bj::object{{"detection_id", "d-" + kind},
                      {"kind", kind},
                      {"signature", kind == "alert" ? "suricata:1:2001219" : "openvas:1.3.6.1"},
                      {"name", kind == "alert" ? "ET SCAN Potential SSH Scan" : "OpenSSH old"},
                      {"source", kind == "alert" ? "10.0.0.9" : ""},
                      {"target", "10.0.0.5"},
                      {"severity", severity},
                      {"time", time},
                      {"asset", nullptr},
                      {"misp_id", nullptr},
                      {"iris_id", "77"},
                      {"anchor_id", "report--a"},
                      {"host_id", host_id}};
  }

  std::unique_ptr<ServiceDesk> desk_;
  std::unique_ptr<actions::CaseCommand> type_;
  cacao::Playbook playbook_;
  cacao::Step step_;
};

TEST_F(CaseCommandTest, AlertDetectionsOpenThenUpdateOneCase) {
  const char* raw = R"({"type": "x-atio-case", "detections": "__detections__",
                        "detected_at": "2024-05-01T10:01:30Z"})";
  bj::object in{{"__detections__", bj::array{summary("alert", "2024-05-01T10:00:00Z", 6.0)}}};
  auto out = run(raw, in, {"__detections__"}, {"__case_ids__", "__new__"});
  ASSERT_TRUE(out && out->status.is_ok()) << (out ? out->status.to_string() : "no answer");
  const std::string id(out->out_args.at("__case_ids__").as_array().at(0).as_string());
  EXPECT_EQ(out->out_args.at("__new__").as_array().at(0), true);
  auto c = store_->get_case(id);
  ASSERT_TRUE(c.is_ok() && *c);
  EXPECT_EQ((*c)->occurred_at_ms, ms("2024-05-01T10:00:00Z"));
  EXPECT_EQ((*c)->detected_at_ms, ms("2024-05-01T10:01:30Z"));
  EXPECT_EQ((*c)->severity, "medium");
  EXPECT_EQ((*c)->correlation_key, "alert:suricata:1:2001219|10.0.0.5");
  EXPECT_EQ((*c)->title, "ET SCAN Potential SSH Scan from 10.0.0.9 on 10.0.0.5");
  // The alert again ten minutes later: the same case, not new.
  in["__detections__"] = bj::array{summary("alert", "2024-05-01T10:10:00Z", 6.0)};
  out = run(raw, in, {"__detections__"}, {"__case_ids__", "__new__"}, "exec-2");
  ASSERT_TRUE(out && out->status.is_ok());
  EXPECT_EQ(out->out_args.at("__case_ids__").as_array().at(0).as_string(), id);
  EXPECT_EQ(out->out_args.at("__new__").as_array().at(0), false);
  EXPECT_EQ((*store_->get_case(id))->detection_count, 2);
  // Both executions, the STIX report and IRIS's id are linked.
  auto links = store_->case_links(id);
  ASSERT_TRUE(links.is_ok());
  std::set<std::string> refs;
  for (const auto& l : *links) refs.insert(l.kind + ":" + l.tool + ":" + l.ref);
  EXPECT_EQ(refs, (std::set<std::string>{"execution::exec-1", "execution::exec-2",
                                         "stix::report--a", "external:iris:77"}));
}

TEST_F(CaseCommandTest, AVulnerabilityOccursWhenTheScannerReachedItsHostAndIsDetectedByTheReport) {
  bj::object host{{"type", "infrastructure"},
                  {"id", "infrastructure--h"},
                  {"first_seen", "2024-05-01T09:50:00Z"}};
  bj::object bundle{{"type", "bundle"}, {"objects", bj::array{host}}};
  bj::object in{{"__detections__", bj::array{summary("vulnerability", "2024-05-01T10:00:00Z", 9.8,
                                                     "infrastructure--h")}},
                {"__bundle__", bundle}};
  auto out = run(R"({"type": "x-atio-case", "detections": "__detections__",
                     "bundle": "__bundle__"})",
                 in, {"__detections__", "__bundle__"}, {"__case_ids__"});
  ASSERT_TRUE(out && out->status.is_ok()) << (out ? out->status.to_string() : "");
  const std::string id(out->out_args.at("__case_ids__").as_array().at(0).as_string());
  auto c = store_->get_case(id);
  EXPECT_EQ((*c)->occurred_at_ms, ms("2024-05-01T09:50:00Z"));
  EXPECT_EQ((*c)->detected_at_ms, ms("2024-05-01T10:00:00Z"));
  EXPECT_EQ((*c)->severity, "critical");
  EXPECT_EQ((*c)->correlation_window_ms, 0);
  EXPECT_EQ((*c)->correlation_key, "vulnerability:openvas:1.3.6.1|10.0.0.5");
}

TEST_F(CaseCommandTest, OneCaseByHandThenRespondAndAcknowledgeTheExecutionsCases) {
  auto out = run(R"({"type": "x-atio-case", "title": "Workflow deleted", "severity": "high",
                     "occurred_at": "1714557600000", "detected_at": "1714557615000",
                     "use_case": "use-case-3", "external_ids": {"misp": "", "iris": "5"}})",
                 {}, {}, {"__case_id__", "__new__"});
  ASSERT_TRUE(out && out->status.is_ok()) << (out ? out->status.to_string() : "");
  ASSERT_TRUE(out->out_args.at("__case_id__").is_string());
  EXPECT_EQ(out->out_args.at("__new__"), true);
  const std::string id(out->out_args.at("__case_id__").as_string());
  EXPECT_EQ((*store_->get_case(id))->occurred_at_ms, 1714557600000);
  // respond without `cases`: the cases linked to this execution.
  now_ = 1714557616000;
  out = run(R"({"type": "x-atio-case", "action": "respond",
                "external_ids": {"misp": "42"}})", {}, {}, {});
  ASSERT_TRUE(out && out->status.is_ok()) << (out ? out->status.to_string() : "");
  auto c = store_->get_case(id);
  EXPECT_EQ((*c)->responded_at_ms, 1714557616000);
  out = run(R"({"type": "x-atio-case", "action": "acknowledge", "cases": "__c__"})",
            {{"__c__", bj::array{bj::string(id)}}}, {"__c__"}, {});
  ASSERT_TRUE(out && out->status.is_ok());
  EXPECT_EQ((*store_->get_case(id))->status, "acknowledged");
  EXPECT_EQ((*store_->get_case(id))->acknowledged_by, "x-atio-case");
}

// Use case 1 reaches IRIS host after host: each host's cases get its IRIS
// alert's id as it comes, without being marked responded before the whole
// response is done; the same id again writes nothing.
TEST_F(CaseCommandTest, LinkAddsAToolsIdToTheCasesWithoutRespondingThem) {
  auto out = run(R"({"type": "x-atio-case", "title": "Finding", "severity": "high",
                     "occurred_at": "1714557600000", "detected_at": "1714557615000"})",
                 {}, {}, {"__case_id__"});
  ASSERT_TRUE(out && out->status.is_ok());
  const std::string id(out->out_args.at("__case_id__").as_string());
  const std::size_t timeline = store_->case_timeline(id)->size();
  for (int i = 0; i < 2; ++i) {
    out = run(R"({"type": "x-atio-case", "action": "link", "cases": "__c__",
                  "external_ids": {"iris": "17"}})",
              {{"__c__", bj::array{bj::string(id)}}}, {"__c__"}, {});
    ASSERT_TRUE(out && out->status.is_ok()) << (out ? out->status.to_string() : "");
  }
  auto c = store_->get_case(id);
  EXPECT_EQ((*c)->responded_at_ms, 0);
  int iris = 0;
  const auto links = store_->case_links(id);
  ASSERT_TRUE(links.is_ok());
  for (const auto& l : *links) {
    iris += l.kind == "external" && l.tool == "iris" && l.ref == "17";
  }
  EXPECT_EQ(iris, 1);
  EXPECT_EQ(store_->case_timeline(id)->size(), timeline + 1) << "one 'linked' entry, not two";
  EXPECT_EQ(store_->case_timeline(id)->back().kind, "linked");
}

TEST_F(CaseCommandTest, BadCommandsAreNamedAtValidation) {
  json::FieldErrors errors;
  cacao::Command cmd;
  cacao::Step step;
  step.id = "action--x";
  auto check = [&](const char* raw) {
    errors.clear();
    cmd.raw = bj::parse(raw).as_object();
    type_->validate(cmd, playbook_, step, "/workflow/action--x/commands/0", &errors);
    return errors.empty() ? std::string() : errors[0].pointer + " " + errors[0].message;
  };
  EXPECT_EQ(check(R"({"type": "x-atio-case", "title": "t"})"), "");
  EXPECT_NE(check(R"({"type": "x-atio-case"})").find("/commands/0/title"), std::string::npos);
  EXPECT_NE(check(R"({"type": "x-atio-case", "title": "t", "colour": "red"})")
                .find("/commands/0/colour unknown property"),
            std::string::npos);
  EXPECT_NE(check(R"({"type": "x-atio-case", "action": "close"})").find("/commands/0/action"),
            std::string::npos);
  EXPECT_NE(check(R"({"type": "x-atio-case", "action": "link"})").find("/commands/0/external_ids"),
            std::string::npos);
  // A variable it reads must be among the step's in_args.
  EXPECT_NE(check(R"({"type": "x-atio-case", "detections": "__d__"})"), "");
  // A bad time is named when the step runs.
  auto out = run(R"({"type": "x-atio-case", "title": "t", "occurred_at": "yesterday"})", {}, {},
                 {});
  ASSERT_TRUE(out);
  EXPECT_NE(out->status.message().find("occurred_at"), std::string::npos);
}

}  // namespace
}  // namespace atio::cases::testing
