// Parsing STIX patterns: the tree the grammar gives, printing that parses
// back to the same tree, and syntax errors with their positions.
#include <gtest/gtest.h>

#include <string>

#include "atio/cti/stix/pattern.h"

namespace atio::stix::pattern {
namespace {

using OK = ObservationExpr::Kind;
using CK = ComparisonExpr::Kind;

Pattern parsed(std::string_view text) {
  Result<Pattern> p = parse(text);
  EXPECT_TRUE(p.is_ok()) << text << ": " << p.status().to_string();
  return p ? std::move(p).value() : Pattern{};
}

std::string parse_error(std::string_view text) {
  Result<Pattern> p = parse(text);
  EXPECT_FALSE(p.is_ok()) << text;
  return p ? "" : p.status().message();
}

// The examples of STIX 2.1 part 9 (as collected in oasis-open/
// cti-pattern-validator, stix2patterns/test/spec_examples.txt).
const char* const kSpecExamples[] = {
    R"([file:hashes.'SHA-256' = 'aec070645fe53ee3b3763059376134f058cc337247c978add178b6ccdfb0019f'])",
    R"([email-message:from_ref.value MATCHES '.+\\@example\\.com$' AND email-message:body_multipart[*].body_raw_ref.name MATCHES '^Final Report.+\\.exe$'])",
    R"([file:hashes.'SHA-256' = 'aec070645fe53ee3b3763059376134f058cc337247c978add178b6ccdfb0019f' AND file:mime_type = 'application/x-pdf'])",
    R"([file:hashes.'SHA-256' = 'bf07a7fbb825fc0aae7bf4a1177b2b31fcf8a3feeaf7092761e18c859ee52a9c' OR file:hashes.MD5 = 'cead3f77f6cda6ec00f57d76c9a6879f'] AND [file:hashes.'SHA-256' = 'aec070645fe53ee3b3763059376134f058cc337247c978add178b6ccdfb0019f'])",
    R"(([file:hashes.MD5 = '79054025255fb1a26e4bc422aef54eb4'] FOLLOWEDBY [win-registry-key:key = 'HKEY_LOCAL_MACHINE\\foo\\bar']) WITHIN 300 SECONDS)",
    R"([user-account:account_type = 'unix' AND user-account:user_id = '1007' AND user-account:account_login = 'Peter'] AND [user-account:account_type = 'unix' AND user-account:user_id = '1008' AND user-account:account_login = 'Paul'] AND [user-account:account_type = 'unix' AND user-account:user_id = '1009' AND user-account:account_login = 'Mary'])",
    R"([artifact:mime_type = 'application/vnd.tcpdump.pcap' AND artifact:payload_bin MATCHES '\\xd4\\xc3\\xb2\\xa1\\x02\\x00\\x04\\x00'])",
    R"([file:name = 'foo.dll' AND file:parent_directory_ref.path = 'C:\\Windows\\System32'])",
    R"([file:extensions.windows-pebinary-ext.sections[*].entropy > 7.0])",
    R"([file:mime_type = 'image/bmp' AND file:magic_number_hex = h'ffd8'])",
    R"([network-traffic:dst_ref.type = 'ipv4-addr' AND network-traffic:dst_ref.value = '203.0.113.33/32'])",
    R"([network-traffic:dst_ref.type = 'domain-name' AND network-traffic:dst_ref.value = 'example.com'] REPEATS 5 TIMES WITHIN 1800 SECONDS)",
    R"([domain-name:value = 'www.5z8.info' AND domain-name:resolves_to_refs[*].value = '198.51.100.1/32'])",
    R"([url:value = 'http://example.com/foo' OR url:value = 'http://example.com/bar'])",
    R"([x509-certificate:issuer = 'CN=WEBMAIL' AND x509-certificate:serial_number = '4c:0b:1d:19:74:86:a7:66:b4:1a:bf:40:27:21:76:28'])",
    R"([windows-registry-key:key = 'HKEY_CURRENT_USER\\Software\\CryptoLocker\\Files' OR windows-registry-key:key = 'HKEY_CURRENT_USER\\Software\\Microsoft\\CurrentVersion\\Run\\CryptoLocker_0388'])",
    R"([(file:name = 'pdf.exe' OR file:size = '371712') AND file:created = t'2014-01-13T07:03:17Z'])",
    R"([email-message:sender_ref.value = 'jdoe@example.com' AND email-message:subject = 'Conference Info'])",
    R"([x-usb-device:usbdrive.serial_number = '575833314133343231313937'])",
    R"([process:command_line MATCHES '^.+>-add GlobalSign.cer -c -s -r localMachine Root$'] FOLLOWEDBY [process:command_line MATCHES'^.+>-add GlobalSign.cer -c -s -r localMachineTrustedPublisher$'] WITHIN 300 SECONDS)",
    R"([network-traffic:dst_ref.value ISSUBSET '2001:0db8:dead:beef:0000:0000:0000:0000/64'])",
    R"(([file:name = 'foo.dll'] AND [win-registry-key:key = 'HKEY_LOCAL_MACHINE\\foo\\bar']) OR [process:name = 'fooproc' OR process:name = 'procfoo'])",
};

TEST(PatternParse, SpecExamplesParseAndPrintBackToTheSameTree) {
  for (const char* text : kSpecExamples) {
    Pattern p = parsed(text);
    std::string printed = p.to_string();
    Result<Pattern> again = parse(printed);
    ASSERT_TRUE(again.is_ok()) << printed << ": " << again.status().to_string();
    EXPECT_EQ(*again, p) << text << "\nprinted as\n" << printed;
    EXPECT_EQ(again->to_string(), printed);
  }
}

TEST(PatternParse, ObservationOperatorPrecedence) {
  // FOLLOWEDBY binds loosest, then OR, then AND; qualifiers bind tightest.
  Pattern p = parsed("[a-a:x = 1] OR [b-b:x = 2] AND [c-c:x = 3] FOLLOWEDBY [d-d:x = 4]");
  ASSERT_EQ(p.root.kind, OK::kFollowedBy);
  ASSERT_EQ(p.root.children.size(), 2u);
  const ObservationExpr& left = p.root.children[0];
  ASSERT_EQ(left.kind, OK::kOr);
  EXPECT_EQ(left.children[0].comparison.path.object_type, "a-a");
  EXPECT_EQ(left.children[1].kind, OK::kAnd);
  EXPECT_EQ(p.root.children[1].comparison.path.object_type, "d-d");

  Pattern q = parsed("[a-a:x = 1] AND [b-b:x = 2] WITHIN 5 SECONDS");
  ASSERT_EQ(q.root.kind, OK::kAnd);
  EXPECT_EQ(q.root.children[0].kind, OK::kSimple);
  ASSERT_EQ(q.root.children[1].kind, OK::kWithin);
  EXPECT_EQ(q.root.children[1].within.int_value, 5);

  Pattern r = parsed("([a-a:x = 1] AND [b-b:x = 2]) WITHIN 5 SECONDS");
  ASSERT_EQ(r.root.kind, OK::kWithin);
  EXPECT_EQ(r.root.children[0].kind, OK::kAnd);
  EXPECT_TRUE(r.root.children[0].parenthesized);
}

TEST(PatternParse, QualifiersChainOutward) {
  Pattern p = parsed(
      "[file:name = 'a'] REPEATS 5 TIMES WITHIN 1.5 SECONDS "
      "START t'2016-06-01T01:30:00.123Z' STOP t'2016-06-01T02:20:00Z'");
  ASSERT_EQ(p.root.kind, OK::kStartStop);
  EXPECT_EQ(p.root.start.text, "2016-06-01T01:30:00.123Z");
  EXPECT_EQ(p.root.stop.text, "2016-06-01T02:20:00Z");
  const ObservationExpr& within = p.root.children[0];
  ASSERT_EQ(within.kind, OK::kWithin);
  EXPECT_EQ(within.within.kind, Literal::Kind::kFloat);
  EXPECT_DOUBLE_EQ(within.within.float_value, 1.5);
  ASSERT_EQ(within.children[0].kind, OK::kRepeats);
  EXPECT_EQ(within.children[0].repeats, 5);
  EXPECT_EQ(within.children[0].children[0].kind, OK::kSimple);
}

TEST(PatternParse, ComparisonPrecedenceAndParentheses) {
  Pattern p = parsed("[a-a:x = 1 OR a-a:y = 2 AND a-a:z = 3]");
  const ComparisonExpr& c = p.root.comparison;
  ASSERT_EQ(c.kind, CK::kOr);
  EXPECT_EQ(c.children[0].kind, CK::kCompare);
  EXPECT_EQ(c.children[1].kind, CK::kAnd);

  Pattern q = parsed("[(a-a:x = 1 OR a-a:y = 2) AND a-a:z = 3]");
  ASSERT_EQ(q.root.comparison.kind, CK::kAnd);
  EXPECT_EQ(q.root.comparison.children[0].kind, CK::kOr);
  EXPECT_TRUE(q.root.comparison.children[0].parenthesized);
}

TEST(PatternParse, ObjectPaths) {
  Pattern p = parsed("[file:extensions.'windows-pebinary-ext'.sections[*].entropy > 7.0]");
  const ObjectPath& path = p.root.comparison.path;
  EXPECT_EQ(path.object_type, "file");
  ASSERT_EQ(path.steps.size(), 5u);
  EXPECT_EQ(path.steps[0].key, "extensions");
  EXPECT_EQ(path.steps[1].key, "windows-pebinary-ext");
  EXPECT_EQ(path.steps[2].key, "sections");
  EXPECT_EQ(path.steps[3].kind, PathStep::Kind::kAnyIndex);
  EXPECT_EQ(path.steps[4].key, "entropy");
  EXPECT_EQ(path.to_string(), "file:extensions.'windows-pebinary-ext'.sections[*].entropy");
  // The unquoted spelling of the spec example is the same path.
  EXPECT_EQ(parsed("[file:extensions.windows-pebinary-ext.sections[*].entropy > 7.0]"), p);

  Pattern q = parsed("[email-message:to_refs[0].value = 'a@example.com']");
  const ObjectPath& to = q.root.comparison.path;
  ASSERT_EQ(to.steps.size(), 3u);
  EXPECT_EQ(to.steps[1].kind, PathStep::Kind::kIndex);
  EXPECT_EQ(to.steps[1].index, 0);

  Pattern r = parsed("[network-traffic:'src_ref'.value = '10.0.0.1']");
  EXPECT_EQ(r.root.comparison.path.to_string(), "network-traffic:src_ref.value");
}

TEST(PatternParse, Literals) {
  Pattern p = parsed(
      R"([a-a:s = 'it\'s a \\ back' AND a-a:i = -42 AND a-a:f = 2.5 AND a-a:b = true AND )"
      R"(a-a:t = t'2016-01-20T12:31:12.123Z' AND a-a:h = h'FFd8' AND a-a:n = b'AQID' AND )"
      R"(a-a:l IN ('x', 'y') AND a-a:e NOT != false AND EXISTS a-a:z])");
  const auto& c = p.root.comparison.children;
  ASSERT_EQ(c.size(), 10u);
  EXPECT_EQ(c[0].operands[0].text, "it's a \\ back");
  EXPECT_EQ(c[1].operands[0].int_value, -42);
  EXPECT_DOUBLE_EQ(c[2].operands[0].float_value, 2.5);
  EXPECT_TRUE(c[3].operands[0].bool_value);
  EXPECT_EQ(c[4].operands[0].kind, Literal::Kind::kTimestamp);
  EXPECT_EQ(c[5].operands[0].text, std::string("\xff\xd8", 2));
  EXPECT_EQ(c[6].operands[0].text, std::string("\x01\x02\x03", 3));
  ASSERT_EQ(c[7].operands.size(), 2u);
  EXPECT_EQ(c[7].op, CompareOp::kIn);
  EXPECT_TRUE(c[8].negated);
  EXPECT_EQ(c[8].op, CompareOp::kNe);
  EXPECT_EQ(c[9].kind, CK::kExists);
  EXPECT_EQ(parse(p.to_string()).value(), p);
  // == and <> are the grammar's other spellings of = and !=.
  EXPECT_EQ(parsed("[a-a:x == 1 AND a-a:y <> 2]"), parsed("[a-a:x = 1 AND a-a:y != 2]"));
}

// Syntax errors. Positions are those the ANTLR grammar reports (column + 1)
// for the failing cases of oasis-open/cti-pattern-validator's v2.1 tests.
TEST(PatternParse, SyntaxErrorsNamePositionAndExpectation) {
  EXPECT_EQ(parse_error("file:size = 1280"),
            "position 1: expected '[' or '(' starting an observation expression, found 'file'");
  EXPECT_EQ(parse_error("[file:size = ]"), "position 14: expected a literal, found ']'");
  EXPECT_EQ(parse_error("[file:hashes.MD5 = cead3f77f6cda6ec00f57d76c9a6879f]"),
            "position 20: expected a literal, found 'cead3f77f6cda6ec00f57d76c9a6879f'");
  EXPECT_EQ(parse_error("[file.size = 1280]"),
            "position 6: expected ':' after the object type, found '.'");
  EXPECT_EQ(parse_error("[file:name MATCHES /.*\\.dll/]"),
            "position 20: expected a 'string' literal, found '/'");
  const std::string key = R"([win-registry-key:key = 'hkey_local_machine\\foo\\bar'])";
  EXPECT_EQ(parse_error(key + " WITHIN ]"),
            "position 64: expected a positive number of seconds after WITHIN, found ']'");
  EXPECT_EQ(parse_error(key + " WITHIN 5 HOURS]"), "position 66: expected SECONDS, found 'HOURS'");
  EXPECT_EQ(parse_error(key + " WITHIN -5 SECONDS]"),
            "position 64: expected a positive number of seconds after WITHIN, found '-5'");
  EXPECT_EQ(parse_error("[network-traffic:dst_ref.value ISSUBSET ]"),
            "position 41: expected a 'string' literal, found ']'");
  EXPECT_EQ(parse_error("[file:hashes.MD5 =? 'cead3f77f6cda6ec00f57d76c9a6879f']"),
            "position 19: expected a literal, found '?'");
  EXPECT_EQ(parse_error("[x_whatever:detected == t'2457-73-22T32:81:84.1Z']").rfind("position 25: ", 0),
            0u);
  EXPECT_EQ(parse_error("[artifact:payload_bin = b'====']"),
            "position 25: expected base64 such as b'AQID', found b'===='");
  EXPECT_EQ(parse_error("[foo:bar=1] within 2 seconds"),
            "position 13: expected AND, OR, FOLLOWEDBY, a qualifier or end of input, found 'within'");
}

TEST(PatternParse, MoreSyntaxErrors) {
  EXPECT_EQ(parse_error(""),
            "position 1: expected a pattern such as [type:property = 'value'], found end of input");
  EXPECT_EQ(parse_error("[file:name = 'a'"), "position 17: expected AND, OR or ']', found end of input");
  EXPECT_EQ(parse_error("[file:name = 'a' and file:size = 1]"),
            "position 18: expected AND, OR or ']', found 'and'");
  EXPECT_EQ(parse_error("[file:size > true]"),
            "position 14: expected an orderable literal (number, string, timestamp, hex or binary), "
            "found 'true'");
  EXPECT_EQ(parse_error("[file:name = TRUE]"), "position 14: expected a literal, found 'TRUE'");
  EXPECT_EQ(parse_error("[file:name = 'a'] REPEATS 2.5 TIMES"),
            "position 27: expected a positive integer after REPEATS, found '2.5'");
  EXPECT_EQ(parse_error("[file:name = 'a'] START '2016-01-01T00:00:00Z' STOP t'2017-01-01T00:00:00Z'"),
            "position 25: expected a timestamp such as t'2016-06-01T00:00:00Z' after START, found "
            "'2016-01-01T00:00:00Z'");
  EXPECT_EQ(parse_error("[file:sections[x] = 1]"),
            "position 16: expected a list index or '*' after '[', found 'x'");
  EXPECT_EQ(parse_error("([file:name = 'a']"),
            "position 19: expected AND, OR, FOLLOWEDBY, a qualifier or ')', found end of input");
  EXPECT_EQ(parse_error("[file:name = 'open"), "position 14: unterminated string literal");
  EXPECT_EQ(parse_error("[file:name NOT 'a']"),
            "position 16: expected a comparison operator, found 'a'");
  // Positions count characters, not bytes.
  EXPECT_EQ(parse_error("[file:name = 'é' ¤]"), "position 18: expected AND, OR or ']', found '¤'");
}

TEST(PatternParse, DeepNestingIsRefused) {
  std::string deep(500, '(');
  deep += "[file:name = 'a']" + std::string(500, ')');
  EXPECT_NE(parse_error(deep).find("nested too deeply"), std::string::npos);
}

}  // namespace
}  // namespace atio::stix::pattern
