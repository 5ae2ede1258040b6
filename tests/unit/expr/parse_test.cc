// Parsing: grammar, normalised printing, variables() and error positions.
#include <gtest/gtest.h>

#include <string>

#include "atio/playbook/expr/condition.h"

namespace atio::expr {
namespace {

std::string normalised(std::string_view text) {
  auto c = Condition::parse(text);
  if (!c) return "ERROR " + c.status().to_string();
  return (*c)->to_string();
}

std::string parse_error(std::string_view text) {
  auto c = Condition::parse(text);
  if (c) return "parsed as " + (*c)->to_string();
  EXPECT_EQ(c.status().code(), Code::kInvalidArgument);
  return c.status().message();
}

TEST(ConditionParse, EveryOperator) {
  EXPECT_EQ(normalised("__a__:value = 5"), "__a__:value = 5");
  EXPECT_EQ(normalised("__a__:value == 5"), "__a__:value = 5");
  EXPECT_EQ(normalised("__a__:value != 5"), "__a__:value != 5");
  EXPECT_EQ(normalised("__a__:value <> 5"), "__a__:value != 5");
  EXPECT_EQ(normalised("__a__:value<5"), "__a__:value < 5");
  EXPECT_EQ(normalised("__a__:value<=5"), "__a__:value <= 5");
  EXPECT_EQ(normalised("__a__:value>5"), "__a__:value > 5");
  EXPECT_EQ(normalised("__a__:value>=5"), "__a__:value >= 5");
  EXPECT_EQ(normalised("__a__:value in ('x','y' , 'z')"), "__a__:value IN ('x', 'y', 'z')");
  EXPECT_EQ(normalised("__a__:value like 'a%_'"), "__a__:value LIKE 'a%_'");
  EXPECT_EQ(normalised("__a__:value Matches '^a+$'"), "__a__:value MATCHES '^a+$'");
  EXPECT_EQ(normalised("__a__:value issubset '10.0.0.0/8'"), "__a__:value ISSUBSET '10.0.0.0/8'");
  EXPECT_EQ(normalised("__a__:value ISSUPERSET '::1'"), "__a__:value ISSUPERSET '::1'");
  EXPECT_EQ(normalised("exists __a__"), "EXISTS __a__");
  EXPECT_EQ(normalised("EXISTS __a__:value.k"), "EXISTS __a__:value.k");
}

TEST(ConditionParse, NegationAndComposition) {
  EXPECT_EQ(normalised("__a__:value not = 5"), "__a__:value NOT = 5");
  EXPECT_EQ(normalised("__a__:value NOT IN (1, 2)"), "__a__:value NOT IN (1, 2)");
  EXPECT_EQ(normalised("not (__a__:value = 5)"), "NOT (__a__:value = 5)");
  EXPECT_EQ(normalised("NOT EXISTS __a__"), "NOT EXISTS __a__");
  EXPECT_EQ(normalised("__a__ = 1 and __b__ = 2 or __c__ = 3"),
            "__a__ = 1 AND __b__ = 2 OR __c__ = 3");
  EXPECT_EQ(normalised("[__a__:value = 1] AND [ __b__:value = 2 ]"),
            "[__a__:value = 1] AND [__b__:value = 2]");
  EXPECT_EQ(normalised("((__a__ = 1))"), "((__a__ = 1))");
}

TEST(ConditionParse, Literals) {
  EXPECT_EQ(normalised("__a__ = 'it\\'s \\\\ here'"), "__a__ = 'it\\'s \\\\ here'");
  EXPECT_EQ(normalised("__a__ = -9223372036854775808"), "__a__ = -9223372036854775808");
  EXPECT_EQ(normalised("__a__ = 9223372036854775807"), "__a__ = 9223372036854775807");
  EXPECT_EQ(normalised("__a__ = 1.5e3"), "__a__ = 1.5e3");
  EXPECT_EQ(normalised("__a__ = TRUE"), "__a__ = true");
  EXPECT_EQ(normalised("__a__ > t'2023-01-01T00:00:00Z'"), "__a__ > t'2023-01-01T00:00:00Z'");
  EXPECT_EQ(normalised("__a__ = h'0AFF'"), "__a__ = h'0aff'");
  EXPECT_EQ(normalised("__a__ = b'AQID'"), "__a__ = b'AQID'");
  // A backslash before another character is kept, so regexes need no doubling.
  EXPECT_EQ(normalised("__a__ MATCHES '\\d+'"), "__a__ MATCHES '\\\\d+'");
}

TEST(ConditionParse, Paths) {
  EXPECT_EQ(normalised("__d__:value.user.name = 'x'"), "__d__:value.user.name = 'x'");
  EXPECT_EQ(normalised("__d__:value[0][12] = 1"), "__d__:value[0][12] = 1");
  EXPECT_EQ(normalised("__d__:value['a b'] = 1"), "__d__:value['a b'] = 1");
  EXPECT_EQ(normalised("__d__:value.'x' = 1"), "__d__:value.x = 1");
  EXPECT_EQ(normalised("__my-var_2__:value = 1"), "__my-var_2__:value = 1");
}

TEST(ConditionParse, VariablesInOrderOfFirstUse) {
  auto c = Condition::parse("__b__ = 1 AND (__a__ = 2 OR __b__ = 3) AND EXISTS __c__");
  ASSERT_TRUE(c) << c.status().to_string();
  EXPECT_EQ((*c)->variables(), (std::vector<std::string>{"__b__", "__a__", "__c__"}));
}

TEST(ConditionParse, NormalisedTextParsesToItself) {
  for (const char* text : {"__a__:value NOT IN ('x', 'y') OR NOT ([__b__ > 1.5] AND __c__ LIKE '%')",
                           "__d__:value['it\\'s'][3] = h'00' AND __e__ = b'AA=='"}) {
    std::string once = normalised(text);
    EXPECT_EQ(normalised(once), once);
  }
}

TEST(ConditionParse, ErrorsNamePositionAndExpectation) {
  EXPECT_EQ(parse_error(""), "position 1: expected a condition, found end of input");
  EXPECT_EQ(parse_error("__a__:value foo 5"),
            "position 13: expected a comparison operator, found 'foo'");
  EXPECT_EQ(parse_error("__a__:value = "), "position 15: expected a literal, found end of input");
  EXPECT_EQ(parse_error("__a__:valu = 1"), "position 7: expected 'value', found 'valu'");
  EXPECT_EQ(parse_error("severity > 5"),
            "position 1: expected a comparison, NOT, EXISTS, '(' or '[', found 'severity'");
  EXPECT_EQ(parse_error("(__a__ = 1"), "position 11: expected ')', found end of input");
  EXPECT_EQ(parse_error("[__a__ = 1)"), "position 11: expected ']', found ')'");
  EXPECT_EQ(parse_error("__a__ = 1 __b__ = 2"),
            "position 11: expected AND, OR or end of input, found '__b__'");
  EXPECT_EQ(parse_error("__a__ = 1 && __b__ = 2"),
            "position 11: expected AND, OR or end of input, found '&'");
  EXPECT_EQ(parse_error("__a__ IN 1"), "position 10: expected '(' after IN, found '1'");
  EXPECT_EQ(parse_error("__a__ IN (1 2)"), "position 13: expected ',' or ')', found '2'");
  EXPECT_EQ(parse_error("__a__ IN ()"), "position 11: expected a literal, found ')'");
  EXPECT_EQ(parse_error("__a__ > true"),
            "position 9: expected an orderable literal (number, string, timestamp, hex or binary), "
            "found 'true'");
  EXPECT_EQ(parse_error("__a__ LIKE 5"), "position 12: expected a 'string' literal, found '5'");
  EXPECT_EQ(parse_error("__a__ = 'open"), "position 9: unterminated string literal");
  EXPECT_EQ(parse_error("__a__ = 9223372036854775808"),
            "position 9: integer out of range (64-bit): 9223372036854775808");
  EXPECT_EQ(parse_error("__a__ = t'2023-13-01T00:00:00Z'"),
            "position 9: expected an RFC 3339 timestamp such as t'2023-01-01T00:00:00Z', found "
            "t'2023-13-01T00:00:00Z'");
  EXPECT_EQ(parse_error("__a__ = h'abc'"),
            "position 9: expected an even number of hex digits such as h'0aff', found h'abc'");
  EXPECT_EQ(parse_error("__a__ = b'!!'"), "position 9: expected base64 such as b'AQID', found b'!!'");
  EXPECT_EQ(parse_error("__a__ ISSUBSET '10.0.0.0/33'"),
            "position 16: expected an IP address or CIDR such as '10.0.0.0/8', found "
            "'10.0.0.0/33'");
  EXPECT_EQ(parse_error("EXISTS 5"), "position 8: expected a variable such as __name__:value, found '5'");
  EXPECT_EQ(parse_error("__a__:value[-1] = 1"),
            "position 13: expected an index or 'key' after '[', found '-1'");
}

TEST(ConditionParse, BadRegexIsAParseError) {
  std::string msg = parse_error("__a__ MATCHES '([a-z'");
  EXPECT_EQ(msg.rfind("position 15: expected a valid regular expression, found '([a-z'", 0), 0u)
      << msg;
}

TEST(ConditionParse, PositionsCountCharactersNotBytes) {
  EXPECT_EQ(parse_error("__a__ = 'é' ¤"), "position 13: expected AND, OR or end of input, found '¤'");
}

TEST(ConditionParse, DeepNestingIsRefused) {
  std::string deep(200, '(');
  deep += "__a__ = 1" + std::string(200, ')');
  std::string msg = parse_error(deep);
  EXPECT_NE(msg.find("nested too deeply"), std::string::npos) << msg;
  std::string ok(50, '(');
  ok += "__a__ = 1" + std::string(50, ')');
  EXPECT_TRUE(Condition::parse(ok));
}

}  // namespace
}  // namespace atio::expr
