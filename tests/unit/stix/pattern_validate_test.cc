// Validation of indicator patterns: every pattern of the corpus, and a table
// of patterns that break one rule of STIX 2.1 part 9 each.
#include <gtest/gtest.h>

#include <regex>
#include <set>
#include <string>

#include "atio/cti/stix/pattern_validate.h"
#include "unit/stix/pattern_corpus.h"

namespace atio::stix {
namespace {

// The object types a pattern names, found with a regular expression over the
// text outside string literals (independent of the parser).
std::set<std::string> types_in_text(const std::string& text) {
  std::string outside;
  bool in_string = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (in_string && c == '\\') {
      ++i;
      continue;
    }
    if (c == '\'') in_string = !in_string;
    outside.push_back(in_string ? ' ' : c);
  }
  std::set<std::string> types;
  static const std::regex kPath(R"(([a-z0-9_-]+):[A-Za-z_'])");
  for (auto it = std::sregex_iterator(outside.begin(), outside.end(), kPath);
       it != std::sregex_iterator(); ++it) {
    types.insert((*it)[1].str());
  }
  return types;
}

TEST(PatternCorpus, EveryIndicatorPatternParsesAndRoundTrips) {
  std::vector<testing::CorpusIndicator> indicators = testing::corpus_indicators();
  ASSERT_GE(indicators.size(), 100u);  // the corpus README counts 140 stix patterns
  std::set<std::string> files;
  for (const testing::CorpusIndicator& ind : indicators) {
    const std::string text = ind.pattern();
    files.insert(ind.file);
    Result<pattern::Pattern> p = pattern::parse(text);
    ASSERT_TRUE(p.is_ok()) << ind.file << ": " << text << ": " << p.status().to_string();
    const std::string printed = p->to_string();
    Result<pattern::Pattern> again = pattern::parse(printed);
    ASSERT_TRUE(again.is_ok()) << printed;
    EXPECT_EQ(*again, *p) << text << "\nprinted as\n" << printed;
  }
  // Patterns come from all four kinds of source.
  for (const char* folder : {"stix-bundles/", "stix21-schemas/", "misp/misp-stix-pairs/",
                             "misp/misp-stix-mapping-docs/"}) {
    EXPECT_TRUE(std::any_of(files.begin(), files.end(),
                            [&](const std::string& f) { return f.starts_with(folder); }))
        << folder;
  }
}

TEST(PatternCorpus, EveryIndicatorPatternIsValidOrMixesTypesUnderAnd) {
  // misp-stix writes a few patterns such as [domain-name:value = 'circl.lu'
  // AND network-traffic:dst_port = '8443'], which section 9 forbids; every
  // other pattern of the corpus must be valid.
  int valid = 0, mixed = 0;
  for (const testing::CorpusIndicator& ind : testing::corpus_indicators()) {
    const std::string text = ind.pattern();
    std::vector<PatternProblem> problems = pattern_problems(text);
    if (problems.empty()) {
      ++valid;
      EXPECT_TRUE(check_pattern(text).is_ok());
      continue;
    }
    ++mixed;
    EXPECT_GE(types_in_text(text).size(), 2u) << text << ": " << problems[0].to_string();
    for (const PatternProblem& p : problems) {
      EXPECT_NE(p.message.find("must use one SCO type"), std::string::npos)
          << ind.file << ": " << text << ": " << p.to_string();
    }
    EXPECT_FALSE(check_pattern(text).is_ok());
  }
  EXPECT_GT(valid, 100);
  EXPECT_LT(mixed, valid / 10);
}

struct Invalid {
  const char* pattern;
  const char* message;  // the start of check_pattern's message
};

const Invalid kInvalid[] = {
    {"[domain-name:value = 'circl.lu' AND network-traffic:dst_port = 8443]",
     "position 2: comparison expressions joined by AND must use one SCO type, found "
     "'domain-name', 'network-traffic'"},
    {"[(file:name = 'a' OR process:name = 'a') AND file:size = 1]",
     "position 3: comparison expressions joined by AND must use one SCO type"},
    {"[File:name = 'x']", "position 2: 'File' is not a STIX type name"},
    {"[x_whatever:detected = 1]", "position 2: 'x_whatever' is not a STIX type name"},
    {"[ab:value = 1]", "position 2: 'ab' is not a STIX type name"},
    {"[x--y:value = 1]", "position 2: 'x--y' is not a STIX type name"},
    {"[file:name = 'x'] WITHIN 0 SECONDS", "position 26: WITHIN must be more than 0 seconds"},
    {"[file:name = 'x'] WITHIN 0.0 SECONDS", "position 26: WITHIN must be more than 0 seconds"},
    {"[file:name = 'x'] REPEATS 0 TIMES", "position 1: REPEATS must be at least 1 time"},
    {"[file:name = 'x'] START t'2016-06-01T02:00:00Z' STOP t'2016-06-01T01:00:00Z'",
     "position 25: START t'2016-06-01T02:00:00Z' must be before STOP t'2016-06-01T01:00:00Z'"},
    {"[file:name = 'x'] START t'2016-06-01T01:00:00Z' STOP t'2016-06-01T01:00:00Z'",
     "position 25: START t'2016-06-01T01:00:00Z' must be before STOP"},
    {"[file:created = t'2016-06-01T01:00:00+02:00']",
     "position 17: timestamp t'2016-06-01T01:00:00+02:00' is not a STIX timestamp"},
    {"[file:name MATCHES '([a-z']",
     "position 20: MATCHES '([a-z' is not a regular expression atio can run"},
    {"[file:name MATCHES '(?<=a)b']",
     "position 20: MATCHES '(?<=a)b' is not a regular expression atio can run"},
    {"[ipv4-addr:value ISSUBSET 'example.com']",
     "position 27: ISSUBSET needs an IPv4/IPv6 address or CIDR string such as '10.0.0.0/8', "
     "found 'example.com'"},
    {"[ipv6-addr:value ISSUPERSET '2001:db8::/129']", "position 29: ISSUPERSET needs"},
    {"[file:size IN (1, 'two')]", "position 19: the IN list mixes integer and string literals"},
    {"[file:name = 'C:\\Windows']", "position 14: string 'C:\\\\Windows' has a backslash"},
    {"[win-registry-key:key = 'a'] WITHIN 5 SECONDS WITHIN 6 SECONDS",
     "position 1: the WITHIN qualifier is applied twice to one expression"},
    {"([win-registry-key:key = 'a'] REPEATS 2 TIMES REPEATS 3 TIMES)",
     "position 2: the REPEATS qualifier is applied twice to one expression"},
    // A syntax error is reported alone, with its position.
    {"[file:name = 'x'] AND", "position 22: expected '[' or '(' starting an observation expression"},
};

TEST(PatternValidate, InvalidPatternsFailWithAUsefulMessage) {
  for (const Invalid& c : kInvalid) {
    Status s = check_pattern(c.pattern);
    ASSERT_FALSE(s.is_ok()) << c.pattern;
    EXPECT_EQ(s.code(), Code::kInvalidArgument);
    EXPECT_EQ(s.message().rfind(c.message, 0), 0u) << c.pattern << "\n  got: " << s.message();
  }
}

TEST(PatternValidate, EveryProblemIsListed) {
  std::vector<PatternProblem> problems =
      pattern_problems("[Bad:x = 1 AND file:y = 2] WITHIN 0 SECONDS REPEATS 0 TIMES");
  ASSERT_EQ(problems.size(), 4u);
  EXPECT_EQ(problems[0].position, 1u);  // REPEATS applies from the start
  EXPECT_EQ(problems[1].position, 2u);  // 'Bad'
  EXPECT_EQ(problems[2].position, 2u);  // AND mixes Bad and file
  EXPECT_EQ(problems[3].position, 35u);  // WITHIN 0
}

TEST(PatternValidate, ValidPatternsPass) {
  for (const char* text : {
           "[file:name = 'x']",
           "([win-registry-key:key = 'a'] WITHIN 5 SECONDS) WITHIN 6 SECONDS",
           "[ipv4-addr:value ISSUBSET '198.51.100.0/24'] REPEATS 2 TIMES WITHIN 0.5 SECONDS",
           "[file:created = t'2016-06-01T01:00:00.123456Z'] START t'2016-06-01T01:00:00Z' STOP "
           "t'2016-06-02T01:00:00Z'",
           "[file:name MATCHES '^[a-z]+\\\\.exe$' AND file:size IN (1, 2, 3)]",
           "[network-traffic:src_ref.value = '10.0.0.1' OR ipv4-addr:value = '10.0.0.1']",
           "[domain-name:value = 'a.example' AND domain-name:resolves_to_refs[*].value = '10.0.0.1']",
       }) {
    EXPECT_TRUE(check_pattern(text).is_ok()) << text << ": " << check_pattern(text).to_string();
  }
}

}  // namespace
}  // namespace atio::stix
