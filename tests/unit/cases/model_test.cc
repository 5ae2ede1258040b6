// The status machine and severities of cases (docs/cases.md).
#include <gtest/gtest.h>

#include <set>
#include <string>

#include "atio/cases/model.h"

namespace atio::cases {
namespace {

constexpr CaseStatus kAll[] = {CaseStatus::kNew, CaseStatus::kAcknowledged,
                               CaseStatus::kResponding, CaseStatus::kResolved,
                               CaseStatus::kFalsePositive};

TEST(CaseModelTest, OnlyTheDocumentedTransitionsAreAllowed) {
  // The rule as the issue states it: new -> acknowledged -> responding ->
  // resolved, or false_positive from an open case.
  const std::set<std::pair<std::string, std::string>> allowed = {
      {"new", "acknowledged"},          {"acknowledged", "responding"},
      {"responding", "resolved"},       {"new", "false_positive"},
      {"acknowledged", "false_positive"}, {"responding", "false_positive"}};
  for (CaseStatus from : kAll) {
    for (CaseStatus to : kAll) {
      const Status s = check_transition(from, to);
      const bool expected = allowed.count({to_string(from), to_string(to)}) > 0;
      EXPECT_EQ(s.is_ok(), expected) << to_string(from) << " -> " << to_string(to);
      if (!s.is_ok()) {
        EXPECT_EQ(s.code(), Code::kConflict);
        // The refusal names the field and the rule.
        EXPECT_EQ(s.message().rfind("status: ", 0), 0u) << s.message();
        EXPECT_NE(s.message().find(kStatusRule), std::string::npos);
      }
    }
  }
}

TEST(CaseModelTest, StatusNamesRoundTripAndUnknownNamesAreRefused) {
  for (CaseStatus s : kAll) {
    CaseStatus back = CaseStatus::kNew;
    ASSERT_TRUE(parse_status(to_string(s), &back));
    EXPECT_EQ(back, s);
  }
  CaseStatus out;
  EXPECT_FALSE(parse_status("closed", &out));
  EXPECT_FALSE(parse_status("New", &out));
}

TEST(CaseModelTest, ScoresMapToTheCvssBands) {
  // CVSS v3.1 qualitative rating scale: None 0.0, Low 0.1-3.9, Medium
  // 4.0-6.9, High 7.0-8.9, Critical 9.0-10.0.
  EXPECT_EQ(severity_from_score(0), Severity::kInfo);
  EXPECT_EQ(severity_from_score(0.1), Severity::kLow);
  EXPECT_EQ(severity_from_score(3.9), Severity::kLow);
  EXPECT_EQ(severity_from_score(4.0), Severity::kMedium);
  EXPECT_EQ(severity_from_score(6.9), Severity::kMedium);
  EXPECT_EQ(severity_from_score(7.0), Severity::kHigh);
  EXPECT_EQ(severity_from_score(8.9), Severity::kHigh);
  EXPECT_EQ(severity_from_score(9.0), Severity::kCritical);
  EXPECT_EQ(severity_from_score(10), Severity::kCritical);
}

TEST(CaseModelTest, TheHigherSeverityWins) {
  EXPECT_EQ(higher_severity("low", "high"), "high");
  EXPECT_EQ(higher_severity("critical", "medium"), "critical");
  EXPECT_EQ(higher_severity("bogus", "low"), "low");
}

}  // namespace
}  // namespace atio::cases
