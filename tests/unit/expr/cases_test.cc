// Runs the data-file cases in tests/unit/expr/cases.txt. Each line is
//
//   expression | variables JSON | expected
//
// where the variables JSON maps names to {"type":..,"value":..} or to
// [type] / [type, value] (see test_util.h), and expected is true, false,
// error, or "error: <text>" (the parse or evaluation error must contain
// <text>). Blank lines and lines starting with # are skipped.
#include <gtest/gtest.h>

#include <fstream>
#include <iostream>
#include <string>

#include "atio/playbook/expr/condition.h"
#include "unit/expr/test_util.h"

namespace atio::expr {
namespace {

std::string trim(std::string_view s) {
  std::size_t b = s.find_first_not_of(" \t\r");
  if (b == std::string_view::npos) return "";
  std::size_t e = s.find_last_not_of(" \t\r");
  return std::string(s.substr(b, e - b + 1));
}

TEST(ConditionCases, DataFile) {
  const std::string path = std::string(ATIO_SOURCE_DIR) + "/tests/unit/expr/cases.txt";
  std::ifstream in(path);
  ASSERT_TRUE(in) << "cannot open " << path;
  std::string line;
  int line_no = 0;
  int cases = 0;
  while (std::getline(in, line)) {
    ++line_no;
    std::string t = trim(line);
    if (t.empty() || t[0] == '#') continue;
    SCOPED_TRACE("cases.txt:" + std::to_string(line_no) + ": " + t);
    // The expression ends at the first " | {"; the expected result follows the last " | ".
    std::size_t vars_at = t.find(" | {");
    std::size_t expected_at = t.rfind(" | ");
    ASSERT_TRUE(vars_at != std::string::npos && expected_at > vars_at) << "malformed case line";
    std::string text = trim(t.substr(0, vars_at));
    std::string vars_json = trim(t.substr(vars_at + 3, expected_at - vars_at - 3));
    std::string expected = trim(t.substr(expected_at + 3));
    cacao::Variables vars;
    ASSERT_TRUE(testing::make_variables(vars_json, &vars)) << "bad variables JSON";
    ++cases;

    std::string actual;
    auto c = Condition::parse(text);
    if (!c) {
      actual = "error: " + c.status().message();
    } else {
      // The normalised text must parse to the same text.
      auto again = Condition::parse((*c)->to_string());
      ASSERT_TRUE(again) << again.status().to_string();
      EXPECT_EQ((*again)->to_string(), (*c)->to_string());
      Result<bool> r = (*c)->evaluate(testing::lookup_in(vars));
      actual = r ? (*r ? "true" : "false") : "error: " + r.status().message();
    }
    if (expected == "error") {
      EXPECT_EQ(actual.rfind("error: ", 0), 0u) << actual;
    } else if (expected.rfind("error: ", 0) == 0) {
      EXPECT_EQ(actual.rfind("error: ", 0), 0u) << actual;
      EXPECT_NE(actual.find(expected.substr(7)), std::string::npos) << actual;
    } else {
      EXPECT_EQ(actual, expected);
    }
  }
  EXPECT_GT(cases, 50);
  std::cout << "[ cases    ] " << cases << " cases from cases.txt\n";
}

}  // namespace
}  // namespace atio::expr
