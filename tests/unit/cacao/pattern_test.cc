// Pattern: Python re.search semantics for the schemas' regular expressions.
#include "atio/playbook/cacao/pattern.h"

#include <gtest/gtest.h>

#include <string>

namespace atio::cacao {
namespace {

TEST(CacaoPattern, AnchorsAndTheTrailingNewlineOfPythonDollar) {
  Pattern p("^ab$");
  EXPECT_TRUE(p.search("ab"));
  EXPECT_TRUE(p.search("ab\n"));  // Python: $ also matches before a final newline
  EXPECT_FALSE(p.search("ab\n\n"));
  EXPECT_FALSE(p.search("xab"));
  EXPECT_FALSE(p.search("abx"));
  EXPECT_TRUE(Pattern("b$").search("ab"));  // unanchored start
  EXPECT_TRUE(Pattern("").search(""));
}

TEST(CacaoPattern, ClassesRepetitionAndAlternation) {
  Pattern id("^[a-z][a-z0-9-]+[a-z0-9]--[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[1-5][0-9a-fA-F]{3}-[89abAB][0-9a-fA-F]{3}-[0-9a-fA-F]{12}$");
  EXPECT_TRUE(id.search("action--00000000-0000-4000-8000-000000000001"));
  EXPECT_TRUE(id.search("a--b--00000000-0000-4000-8000-000000000001"));
  EXPECT_FALSE(id.search("ab--00000000-0000-4000-8000-000000000001"));  // prefix needs 3 chars
  EXPECT_FALSE(id.search("action--00000000-0000-6000-8000-000000000001"));
  EXPECT_FALSE(id.search("action--00000000-0000-4000-c000-000000000001"));
  EXPECT_FALSE(id.search("Action--00000000-0000-4000-8000-000000000001"));

  Pattern alt("^(ab|cd){2,3}x?$");
  EXPECT_TRUE(alt.search("abcd"));
  EXPECT_TRUE(alt.search("cdcdabx"));
  EXPECT_FALSE(alt.search("ab"));
  EXPECT_FALSE(alt.search("abababab"));
  EXPECT_TRUE(Pattern("^a{,2}$").search("aa"));
  EXPECT_TRUE(Pattern("^[^0-9]+$").search("abc"));
  EXPECT_FALSE(Pattern("^[^0-9]+$").search("a1"));
  EXPECT_TRUE(Pattern(R"(^\d\.\w$)").search("1.x"));
  EXPECT_TRUE(Pattern("^[-a]+$").search("-a-"));
}

TEST(CacaoPattern, WordBoundary) {
  Pattern p(R"(\b25[0-5]$)");
  EXPECT_TRUE(p.search("250"));
  EXPECT_TRUE(p.search("x 250"));
  EXPECT_FALSE(p.search("x250"));
  EXPECT_TRUE(Pattern(R"(ab\b)").search("ab"));
  EXPECT_TRUE(Pattern(R"(ab\b)").search("ab-"));
  EXPECT_FALSE(Pattern(R"(ab\b)").search("abc"));
}

TEST(CacaoPattern, LongInputsDoNotRecurse) {
  std::string long_text(20'000, 'a');
  Pattern url(R"([(http(s)?):/(www.)?a-zA-Z0-9@:%._+~#=]{2,256}\.[a-z]{2,6}\b([-a-zA-Z0-9@:%_+.~#?&//=]*))");
  EXPECT_FALSE(url.search(long_text));
  EXPECT_TRUE(url.search(long_text + ".com"));
}

}  // namespace
}  // namespace atio::cacao
