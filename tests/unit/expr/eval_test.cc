// Evaluation: operators, negation, types, missing values and errors.
#include <gtest/gtest.h>

#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "atio/playbook/expr/condition.h"
#include "unit/expr/test_util.h"

namespace atio::expr {
namespace {

// Parses and evaluates; "true", "false" or "error: <message>".
std::string eval(std::string_view text, std::string_view vars_json) {
  cacao::Variables vars;
  if (!testing::make_variables(vars_json, &vars)) return "bad test variables";
  auto c = Condition::parse(text);
  if (!c) return "parse error: " + c.status().to_string();
  Result<bool> r = (*c)->evaluate(testing::lookup_in(vars));
  if (!r) {
    EXPECT_EQ(r.status().code(), Code::kInvalidArgument);
    return "error: " + r.status().message();
  }
  return *r ? "true" : "false";
}

TEST(ConditionEval, IntegerComparesNumericallyWithStringValues) {
  const char* v = R"({"__n__": ["integer", "10"]})";
  EXPECT_EQ(eval("__n__:value > 9", v), "true");
  EXPECT_EQ(eval("__n__:value > '9'", v), "true");  // "10" > "9" as numbers, not text
  EXPECT_EQ(eval("__n__:value = 10", v), "true");
  EXPECT_EQ(eval("__n__:value != 10", v), "false");
  EXPECT_EQ(eval("__n__:value < 10", v), "false");
  EXPECT_EQ(eval("__n__:value <= 10", v), "true");
  EXPECT_EQ(eval("__n__:value >= 11", v), "false");
  EXPECT_EQ(eval("__n__:value = 10.0", v), "true");
  EXPECT_EQ(eval("__n__:value < 10.5", v), "true");
  EXPECT_EQ(eval("__n__ = 10", v), "true");  // bare name means its value
}

TEST(ConditionEval, TypedRuntimeValues) {
  EXPECT_EQ(eval("__n__:value = 10", R"({"__n__": ["integer", 10]})"), "true");
  EXPECT_EQ(eval("__n__:value = 10", R"({"__n__": ["long", 10.0]})"), "true");
  EXPECT_EQ(eval("__f__:value > 1", R"({"__f__": ["float", 1.5]})"), "true");
  EXPECT_EQ(eval("__f__:value > 1", R"({"__f__": ["float", "1.5"]})"), "true");
  EXPECT_EQ(eval("__b__:value = true", R"({"__b__": ["bool", true]})"), "true");
  EXPECT_EQ(eval("__b__:value = true", R"({"__b__": ["bool", "TRUE"]})"), "true");
  EXPECT_EQ(eval("__b__:value = 'false'", R"({"__b__": ["bool", false]})"), "true");
  EXPECT_EQ(eval("__b__:value NOT = true", R"({"__b__": ["bool", "false"]})"), "true");
}

TEST(ConditionEval, LargeIntegersAreExact) {
  const char* v = R"({"__n__": ["long", "9223372036854775807"], "__m__": ["long", "-9223372036854775808"]})";
  EXPECT_EQ(eval("__n__:value = 9223372036854775807", v), "true");
  EXPECT_EQ(eval("__n__:value > 9223372036854775806", v), "true");
  EXPECT_EQ(eval("__n__:value = 9223372036854775806", v), "false");
  EXPECT_EQ(eval("__m__:value = -9223372036854775808", v), "true");
  EXPECT_EQ(eval("__m__:value < -9223372036854775807", v), "true");
  // 2^53 + 1 is not representable as a double; it must not compare equal to 2^53.
  const char* w = R"({"__n__": ["long", 9007199254740993]})";
  EXPECT_EQ(eval("__n__:value = 9007199254740992", w), "false");
  EXPECT_EQ(eval("__n__:value > 9007199254740992.0", w), "true");
  EXPECT_EQ(eval("__n__:value = '9007199254740993'", w), "true");
}

TEST(ConditionEval, StringsCompareAsText) {
  const char* v = R"({"__s__": ["string", "beta"]})";
  EXPECT_EQ(eval("__s__:value = 'beta'", v), "true");
  EXPECT_EQ(eval("__s__:value = 'Beta'", v), "false");
  EXPECT_EQ(eval("__s__:value > 'alpha'", v), "true");
  EXPECT_EQ(eval("__s__:value < 'alpha'", v), "false");
  EXPECT_EQ(eval("__s__:value IN ('alpha', 'beta')", v), "true");
  EXPECT_EQ(eval("__s__:value NOT IN ('alpha', 'beta')", v), "false");
  EXPECT_EQ(eval("__s__:value IN ('gamma')", v), "false");
  // A numeric literal reads a string variable as a number.
  EXPECT_EQ(eval("__s__:value > 9", R"({"__s__": ["string", "10"]})"), "true");
  EXPECT_EQ(eval("__s__:value > '9'", R"({"__s__": ["string", "10"]})"), "false");
}

TEST(ConditionEval, HashesCompareCaseInsensitively) {
  const char* v = R"({"__h__": ["md5-hash", "D41D8CD98F00B204E9800998ECF8427E"]})";
  EXPECT_EQ(eval("__h__:value = 'd41d8cd98f00b204e9800998ecf8427e'", v), "true");
  EXPECT_EQ(eval("__x__:value = h'0AFF'", R"({"__x__": ["hexstring", "0aff"]})"), "true");
  EXPECT_EQ(eval("__x__:value = b'AQID'", R"({"__x__": ["hexstring", "010203"]})"), "true");
  EXPECT_EQ(eval("__x__:value = b'YWJj'", R"({"__x__": ["string", "abc"]})"), "true");
}

TEST(ConditionEval, Timestamps) {
  const char* v = R"({"__t__": ["string", "2023-06-01T12:00:00+02:00"]})";
  EXPECT_EQ(eval("__t__:value > t'2023-01-01T00:00:00Z'", v), "true");
  EXPECT_EQ(eval("__t__:value = t'2023-06-01T10:00:00Z'", v), "true");
  EXPECT_EQ(eval("__t__:value < t'2023-06-01T10:00:00.001Z'", v), "true");
  EXPECT_EQ(eval("__t__:value > t'2023-01-01T00:00:00Z'", R"({"__t__": ["string", "soon"]})"),
            "error: variable __t__ (string): value 'soon' is not an RFC 3339 timestamp "
            "(compared with t'2023-01-01T00:00:00Z')");
}

TEST(ConditionEval, LikeAndMatches) {
  const char* v = R"({"__s__": ["string", "powershell.exe"], "__n__": ["integer", 1234]})";
  EXPECT_EQ(eval("__s__:value LIKE 'power%.exe'", v), "true");
  EXPECT_EQ(eval("__s__:value LIKE 'power_hell.exe'", v), "true");
  EXPECT_EQ(eval("__s__:value LIKE 'power_.exe'", v), "false");
  EXPECT_EQ(eval("__s__:value LIKE '%'", v), "true");
  EXPECT_EQ(eval("__s__:value NOT LIKE '%.dll'", v), "true");
  EXPECT_EQ(eval("__s__:value MATCHES '^power\\w+\\.exe$'", v), "true");
  EXPECT_EQ(eval("__s__:value MATCHES 'shell'", v), "true");  // search, not full match
  EXPECT_EQ(eval("__s__:value MATCHES '^shell'", v), "false");
  EXPECT_EQ(eval("__n__:value LIKE '12%'", v), "true");
  EXPECT_EQ(eval("__n__:value MATCHES '^\\d{4}$'", v), "true");
  EXPECT_EQ(eval("__u__:value LIKE '_b_'", R"({"__u__": ["string", "äbç"]})"), "true");
}

TEST(ConditionEval, MatchesRefusesHugeValues) {
  cacao::Variables vars;
  cacao::Variable big;
  big.type = "string";
  big.value = boost::json::value(std::string(100000, 'a'));
  vars["__s__"] = big;
  auto c = Condition::parse("__s__:value MATCHES '^a*$'");
  ASSERT_TRUE(c);
  Result<bool> r = (*c)->evaluate(testing::lookup_in(vars));
  ASSERT_FALSE(r);
  EXPECT_NE(r.status().message().find("too long for MATCHES"), std::string::npos);
}

TEST(ConditionEval, Ipv4AndIpv6) {
  const char* v = R"({"__ip__": ["ipv4-addr", "10.1.2.3"], "__net__": ["ipv4-addr", "10.1.0.0/16"],
                      "__ip6__": ["ipv6-addr", "2001:db8::1"]})";
  EXPECT_EQ(eval("__ip__:value ISSUBSET '10.0.0.0/8'", v), "true");
  EXPECT_EQ(eval("__ip__:value ISSUBSET '192.168.0.0/16'", v), "false");
  EXPECT_EQ(eval("__ip__:value NOT ISSUBSET '192.168.0.0/16'", v), "true");
  EXPECT_EQ(eval("__ip__:value ISSUBSET '10.1.2.3'", v), "true");
  EXPECT_EQ(eval("__net__:value ISSUPERSET '10.1.200.7/32'", v), "true");
  EXPECT_EQ(eval("__net__:value ISSUPERSET '10.0.0.0/8'", v), "false");
  EXPECT_EQ(eval("__net__:value ISSUBSET '10.0.0.0/8'", v), "true");
  EXPECT_EQ(eval("__ip__:value = '10.1.2.3/32'", v), "true");
  EXPECT_EQ(eval("__ip__:value IN ('10.1.2.4', '10.1.2.3')", v), "true");
  EXPECT_EQ(eval("__ip6__:value = '2001:0db8:0000::0001'", v), "true");  // normalised
  EXPECT_EQ(eval("__ip6__:value ISSUBSET '2001:db8::/32'", v), "true");
  EXPECT_EQ(eval("__ip6__:value ISSUBSET '2001:db9::/32'", v), "false");
  EXPECT_EQ(eval("__ip6__:value ISSUBSET '10.0.0.0/8'", v), "false");  // other family
  EXPECT_EQ(eval("__ip6__:value = '10.0.0.1'", v), "false");
  EXPECT_EQ(eval("__ip6__:value != '10.0.0.1'", v), "true");
  // A string variable holding an address also works with ISSUBSET.
  EXPECT_EQ(eval("__s__:value ISSUBSET '10.0.0.0/8'", R"({"__s__": ["string", "10.9.9.9"]})"),
            "true");
}

TEST(ConditionEval, Dictionaries) {
  const char* v = R"({"__d__": ["dictionary", {"user": {"name": "bob", "roles": ["admin", "dev"]},
                                              "score": 7, "big": 9223372036854775807}],
                      "__j__": ["dictionary", "{\"a\": [1, 2]}"]})";
  EXPECT_EQ(eval("__d__:value.user.name = 'bob'", v), "true");
  EXPECT_EQ(eval("__d__:value.user.roles[0] = 'admin'", v), "true");
  EXPECT_EQ(eval("__d__:value['user']['roles'][1] LIKE 'd%'", v), "true");
  EXPECT_EQ(eval("__d__:value.score > 5", v), "true");
  EXPECT_EQ(eval("__d__:value.big = 9223372036854775807", v), "true");
  EXPECT_EQ(eval("__j__:value.a[1] = 2", v), "true");
  // Missing members behave like a missing value.
  EXPECT_EQ(eval("__d__:value.nope = 1", v), "false");
  EXPECT_EQ(eval("__d__:value.user.roles[9] = 'x'", v), "false");
  EXPECT_EQ(eval("EXISTS __d__:value.user.name", v), "true");
  EXPECT_EQ(eval("EXISTS __d__:value.user.age", v), "false");
  EXPECT_EQ(eval("__d__:value = 'x'", v),
            "error: variable __d__ (dictionary): the value is a dictionary; compare one of its "
            "members, e.g. __name__:value.key or __name__:value[0]");
}

TEST(ConditionEval, MissingValuesAreFalseNotErrors) {
  const char* v = R"({"__e__": ["integer"], "__z__": ["string", null]})";
  EXPECT_EQ(eval("__e__:value = 1", v), "false");
  EXPECT_EQ(eval("__e__:value != 1", v), "false");
  EXPECT_EQ(eval("__e__:value NOT = 1", v), "false");
  EXPECT_EQ(eval("NOT (__e__:value = 1)", v), "true");
  EXPECT_EQ(eval("EXISTS __e__", v), "false");
  EXPECT_EQ(eval("NOT EXISTS __e__", v), "true");
  EXPECT_EQ(eval("EXISTS __z__", v), "false");
  EXPECT_EQ(eval("__z__:value LIKE '%'", v), "false");
  EXPECT_EQ(eval("EXISTS __s__", R"({"__s__": ["string", ""]})"), "true");
}

TEST(ConditionEval, PrecedenceAndGrouping) {
  const char* v = R"({"__t__": ["bool", "true"], "__f__": ["bool", "false"]})";
  // AND binds tighter than OR.
  EXPECT_EQ(eval("__t__ = true OR __t__ = true AND __f__ = true", v), "true");
  EXPECT_EQ(eval("(__t__ = true OR __t__ = true) AND __f__ = true", v), "false");
  EXPECT_EQ(eval("__f__ = true AND __t__ = true OR __t__ = true", v), "true");
  EXPECT_EQ(eval("__f__ = true AND (__t__ = true OR __t__ = true)", v), "false");
  EXPECT_EQ(eval("[__t__:value = true] AND [__f__:value = false]", v), "true");
  EXPECT_EQ(eval("[__t__:value = true AND __f__:value = true] OR [__f__:value = false]", v), "true");
  EXPECT_EQ(eval("NOT __t__ = true OR __t__ = true", v), "true");  // NOT binds to one comparison
  EXPECT_EQ(eval("NOT (__t__ = true OR __t__ = true)", v), "false");
  EXPECT_EQ(eval("NOT NOT __t__ = true", v), "true");
}

TEST(ConditionEval, TypeErrorsNameVariableAndType) {
  EXPECT_EQ(eval("__n__:value = 'abc'", R"({"__n__": ["integer", "10"]})"),
            "error: variable __n__ (integer): cannot compare with 'abc': not a number");
  EXPECT_EQ(eval("__n__:value = 1", R"({"__n__": ["integer", "ten"]})"),
            "error: variable __n__ (integer): value 'ten' is not an integer");
  EXPECT_EQ(eval("__n__:value = 1", R"({"__n__": ["integer", "1.5"]})"),
            "error: variable __n__ (integer): value '1.5' is not an integer");
  EXPECT_EQ(eval("__b__:value = 1", R"({"__b__": ["bool", "true"]})"),
            "error: variable __b__ (bool): cannot compare with 1: not a boolean");
  EXPECT_EQ(eval("__b__:value = true", R"({"__b__": ["bool", "yes"]})"),
            "error: variable __b__ (bool): value 'yes' is not a boolean");
  EXPECT_EQ(eval("__ip__:value = 'localhost'", R"({"__ip__": ["ipv4-addr", "127.0.0.1"]})"),
            "error: variable __ip__ (ipv4-addr): cannot compare with 'localhost': not an IP "
            "address or CIDR");
  EXPECT_EQ(eval("__ip__:value = '::1'", R"({"__ip__": ["ipv4-addr", "::1"]})"),
            "error: variable __ip__ (ipv4-addr): value '::1' is not an IPv4 address or CIDR");
  EXPECT_EQ(eval("__s__:value > 5", R"({"__s__": ["string", "abc"]})"),
            "error: variable __s__ (string): value 'abc' is not a number (compared with 5)");
  EXPECT_EQ(eval("__s__:value ISSUBSET '10.0.0.0/8'", R"({"__s__": ["string", "abc"]})"),
            "error: variable __s__ (string): value is not an IP address or CIDR");
  EXPECT_EQ(eval("__s__:value.k = 1", R"({"__s__": ["string", "abc"]})"),
            "error: variable __s__:value.k (string): __s__ is not a dictionary, so __s__:value.k "
            "cannot be reached");
}

TEST(ConditionEval, UnknownVariablesAreErrorsEvenWhenShortCircuited) {
  const char* v = R"({"__a__": ["integer", "1"]})";
  EXPECT_EQ(eval("__x__:value = 1", v), "error: unknown variable __x__");
  EXPECT_EQ(eval("__a__ = 1 OR __x__ = 1", v), "error: unknown variable __x__");
  EXPECT_EQ(eval("EXISTS __x__", v), "error: unknown variable __x__");
}

TEST(ConditionEval, ConcurrentEvaluationOfOneCondition) {
  auto c = Condition::parse(
      "__n__:value > 5 AND __ip__:value ISSUBSET '10.0.0.0/8' AND __s__:value MATCHES '^ab+c$'");
  ASSERT_TRUE(c);
  std::shared_ptr<const Condition> cond = *c;
  std::atomic<int> wrong{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 500; ++i) {
        cacao::Variables vars;
        ASSERT_TRUE(testing::make_variables(
            R"({"__n__": ["integer", )" + std::to_string(i % 10) +
                R"(], "__ip__": ["ipv4-addr", "10.0.0.)" + std::to_string(t) +
                R"("], "__s__": ["string", "abbbc"]})",
            &vars));
        Result<bool> r = cond->evaluate(testing::lookup_in(vars));
        if (!r || *r != (i % 10 > 5)) ++wrong;
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(wrong.load(), 0);
}

}  // namespace
}  // namespace atio::expr
