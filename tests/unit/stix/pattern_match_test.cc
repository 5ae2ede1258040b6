// Comparison semantics on the example SCOs of cti-python-stix2
// (stix-bundles/cti-python-stix2/sco-examples-bundle.json): the expected
// values are read from the SCOs themselves.
#include <gtest/gtest.h>

#include <string>

#include "atio/core/base64.h"
#include "atio/core/json.h"
#include "atio/cti/stix/pattern_match.h"
#include "atio/cti/stix/pattern_text.h"

namespace atio::stix::pattern {
namespace {

// The example SCOs by id (the file repeats some; copies are identical).
const bj::object& examples() {
  static const bj::object objects = [] {
    Result<bj::value> v = json::parse_file(std::string(ATIO_CORPUS_DIR) +
                                           "/stix-bundles/cti-python-stix2/sco-examples-bundle.json");
    bj::object out;
    if (v) {
      for (const bj::value& o : v->as_array()) out[o.at("id").as_string()] = o;
    }
    return out;
  }();
  return objects;
}

bool m(std::string_view text, const bj::object& objects = examples(), MatchOptions opts = {}) {
  Result<Pattern> p = parse(text);
  EXPECT_TRUE(p.is_ok()) << text << ": " << p.status().to_string();
  if (!p) return false;
  Result<bool> r = matches(p->root.comparison, objects, opts);
  EXPECT_TRUE(r.is_ok()) << text << ": " << r.status().to_string();
  return r && *r;
}

TEST(PatternMatch, EveryExampleValueMatchesItsOwnEquality) {
  ASSERT_GE(examples().size(), 60u);
  int checked = 0;
  for (const auto& kv : examples()) {
    const bj::object& sco = kv.value().as_object();
    const std::string type(sco.at("type").as_string());
    for (const char* key : {"value", "name", "path", "key", "command_line", "mime_type"}) {
      const bj::value* v = sco.if_contains(key);
      if (!v || !v->is_string()) continue;
      const std::string lit = quote(v->as_string());
      EXPECT_TRUE(m("[" + type + ":" + key + " = " + lit + "]")) << type << ":" << key;
      // One character more is another value; so is another case.
      EXPECT_FALSE(m("[" + type + ":" + key + " = " + quote(std::string(v->as_string()) + "x") + "]"));
      ++checked;
    }
    if (const bj::object* hashes = sco.contains("hashes") ? &sco.at("hashes").as_object() : nullptr) {
      for (const auto& h : *hashes) {
        EXPECT_TRUE(m("[" + type + ":hashes." + quote(h.key()) + " = " +
                      quote(h.value().as_string()) + "]"));
        ++checked;
      }
    }
  }
  EXPECT_GT(checked, 60);
}

TEST(PatternMatch, StringsAreCaseSensitive) {
  EXPECT_TRUE(m("[windows-registry-key:key = 'HKEY_LOCAL_MACHINE\\\\System\\\\Foo\\\\Bar']"));
  EXPECT_FALSE(m("[windows-registry-key:key = 'hkey_local_machine\\\\System\\\\Foo\\\\Bar']"));
  EXPECT_TRUE(m("[mutex:name = '__CLEANSWEEP__']"));
  EXPECT_FALSE(m("[mutex:name = '__cleansweep__']"));
}

TEST(PatternMatch, ReferencesAreFollowed) {
  // network-traffic--2568d22a: src 198.51.100.2, dst 198.51.100.3.
  EXPECT_TRUE(m("[network-traffic:src_ref.value = '198.51.100.2' AND "
                "network-traffic:dst_ref.value = '198.51.100.3']"));
  EXPECT_TRUE(m("[network-traffic:dst_ref.type = 'domain-name' AND "
                "network-traffic:dst_ref.value = 'example.com']"));
  // AND holds for one SCO: no traffic goes from 198.51.100.2 to example.com.
  EXPECT_FALSE(m("[network-traffic:src_ref.value = '198.51.100.2' AND "
                 "network-traffic:dst_ref.value = 'example.com']"));
  // file--5a27d487 (qwerty.dll) lies in C:\Windows\System32.
  EXPECT_TRUE(m("[file:name = 'qwerty.dll' AND file:parent_directory_ref.path = "
                "'C:\\\\Windows\\\\System32']"));
  EXPECT_TRUE(m("[domain-name:resolves_to_refs[*].value = '198.51.100.3']"));
  EXPECT_TRUE(m("[domain-name:resolves_to_refs[0].value = '198.51.100.3']"));
  EXPECT_FALSE(m("[domain-name:resolves_to_refs[1].value = '198.51.100.3']"));
  EXPECT_TRUE(m("[email-message:from_ref.value = 'jdoe@example.com' AND "
                "email-message:to_refs[*].value = 'mary@example.com']"));
  // The reference itself compares as the id it holds.
  EXPECT_TRUE(m("[file:parent_directory_ref = 'directory--93c0a9b0-520d-545d-9094-1a08ddf46b05']"));
  // A reference that does not resolve selects nothing.
  bj::object lone{{"x", bj::object{{"type", "network-traffic"}, {"src_ref", "ipv4-addr--none"}}}};
  EXPECT_FALSE(m("[network-traffic:src_ref.value = '1.2.3.4']", lone));
  EXPECT_FALSE(m("[network-traffic:src_ref.value NOT = '1.2.3.4']", lone));
}

TEST(PatternMatch, ListsAndMissingProperties) {
  // windows-registry-key--2ba37ae7 has values Foo=qwerty and Bar=42.
  EXPECT_TRUE(m("[windows-registry-key:values[*].name = 'Bar']"));
  EXPECT_TRUE(m("[windows-registry-key:values[1].data = '42']"));
  EXPECT_FALSE(m("[windows-registry-key:values[0].data = '42']"));
  EXPECT_FALSE(m("[windows-registry-key:values[-1].name = 'Bar']"));
  // [*] holds when any element passes, NOT included.
  EXPECT_TRUE(m("[windows-registry-key:values[*].name NOT = 'Bar']"));
  EXPECT_TRUE(m("[network-traffic:protocols[*] = 'http']"));
  // A missing property makes the comparison false, negated or not.
  EXPECT_FALSE(m("[mutex:no_such_property = 'x']"));
  EXPECT_FALSE(m("[mutex:no_such_property != 'x']"));
  EXPECT_FALSE(m("[mutex:no_such_property NOT = 'x']"));
  EXPECT_FALSE(m("[mutex:no_such_property NOT LIKE '%']"));
  EXPECT_TRUE(m("[file:name = 'foo.dll' AND EXISTS file:hashes.'SHA-256']"));
  EXPECT_FALSE(m("[file:name = 'foo.dll' AND EXISTS file:hashes.MD5]"));
  EXPECT_TRUE(m("[file:extensions.'ntfs-ext'.alternate_data_streams[*].size = 25536]"));
  // Another type's SCOs are never tested.
  EXPECT_FALSE(m("[no-such-type:value = '198.51.100.3']"));
}

TEST(PatternMatch, NumbersAndTimestamps) {
  EXPECT_TRUE(m("[file:name = 'foo.dll' AND file:size = 25536]"));
  EXPECT_TRUE(m("[file:name = 'foo.dll' AND file:size >= 25536 AND file:size < 25536.5]"));
  EXPECT_FALSE(m("[file:name = 'foo.dll' AND file:size > 25536]"));
  EXPECT_TRUE(m("[autonomous-system:number IN (1, 15139, 3)]"));
  EXPECT_FALSE(m("[autonomous-system:number NOT IN (1, 15139, 3)]"));
  // MISP writes numbers as strings; compared as numbers unless strict.
  EXPECT_TRUE(m("[autonomous-system:number = '15139']"));
  MatchOptions strict;
  strict.numeric_strings = false;
  EXPECT_FALSE(m("[autonomous-system:number = '15139']", examples(), strict));
  // Values of types that cannot be compared are unequal and unordered.
  EXPECT_TRUE(m("[autonomous-system:number != 'Slime']"));
  EXPECT_FALSE(m("[autonomous-system:number < 'Slime']"));
  EXPECT_FALSE(m("[autonomous-system:number NOT < 'Slime']"));
  // process--d2ec5aab was created 2016-01-20T14:11:25.55Z.
  EXPECT_TRUE(m("[process:created_time = t'2016-01-20T14:11:25.550Z']"));
  EXPECT_TRUE(m("[process:created_time > t'2016-01-20T14:11:25Z']"));
  EXPECT_FALSE(m("[process:created_time > t'2016-01-20T14:11:26Z']"));
  EXPECT_TRUE(m("[user-account:is_service_account = false AND user-account:account_login = 'jdoe']"));
}

TEST(PatternMatch, HexAndBinaryCompareBytes) {
  // file--6ce09d9c: magic_number_hex "504B0304" (PK\3\4).
  EXPECT_TRUE(m("[file:magic_number_hex = h'504b0304']"));
  EXPECT_FALSE(m("[file:magic_number_hex = h'504b0305']"));
  EXPECT_TRUE(m("[file:magic_number_hex = b'UEsDBA==']"));
  EXPECT_TRUE(m("[file:magic_number_hex = 'PK\x03\x04']"));
  EXPECT_TRUE(m("[file:magic_number_hex MATCHES '^PK\\\\x03']"));
  EXPECT_TRUE(m("[file:magic_number_hex > h'50']"));
  bj::object art{{"a", bj::object{{"type", "artifact"}, {"payload_bin", base64_encode("\xd4\xc3\xb2\xa1\x02")}}}};
  EXPECT_TRUE(m("[artifact:payload_bin = h'd4c3b2a102']", art));
  // The spec's pcap example: MATCHES over the bytes of a binary property.
  EXPECT_TRUE(m("[artifact:payload_bin MATCHES '\\\\xd4\\\\xc3\\\\xb2\\\\xa1\\\\x02']", art));
  EXPECT_FALSE(m("[artifact:payload_bin = 'ZNSyoQI=']", art));  // base64 text is not the bytes
}

TEST(PatternMatch, LikeMatchesAndCidr) {
  EXPECT_TRUE(m("[file:name LIKE '%.dll']"));
  EXPECT_TRUE(m("[file:name LIKE 'qu_ry.dll']"));  // _ is one character (ê is two bytes)
  EXPECT_FALSE(m("[file:name LIKE 'qu_ry.DLL']"));
  EXPECT_TRUE(m("[url:value LIKE 'https://example.com/%']"));
  EXPECT_TRUE(m("[url:value MATCHES '^https://[a-z.]+/research/']"));
  EXPECT_FALSE(m("[url:value MATCHES '^http://']"));
  EXPECT_TRUE(m("[process:command_line MATCHES 'sirvizio\\\\.exe /s$']"));
  EXPECT_TRUE(m("[ipv4-addr:value ISSUBSET '198.51.100.0/24']"));
  EXPECT_TRUE(m("[ipv4-addr:value ISSUBSET '203.0.113.0/29']"));
  EXPECT_FALSE(m("[ipv4-addr:value ISSUBSET '10.0.0.0/8']"));
  // ipv4-addr--5853f6a4 is the network 198.51.100.0/24.
  EXPECT_TRUE(m("[ipv4-addr:value ISSUPERSET '198.51.100.77']"));
  EXPECT_FALSE(m("[ipv4-addr:value ISSUPERSET '198.51.101.1']"));
  EXPECT_TRUE(m("[ipv6-addr:value ISSUBSET '2001:db8::/32']"));
  EXPECT_TRUE(m("[ipv6-addr:value ISSUPERSET '2001:db8::1']"));
  EXPECT_TRUE(m("[network-traffic:dst_ref.value ISSUBSET '198.51.100.0/24' AND "
                "network-traffic:dst_port = 443]"));
  // A regex PCRE has and ECMAScript has not: an error, not a silent false.
  Result<Pattern> p = parse("[file:name MATCHES '(?<=a)b']");
  ASSERT_TRUE(p.is_ok());
  EXPECT_FALSE(matches(p->root.comparison, examples()).is_ok());
}

}  // namespace
}  // namespace atio::stix::pattern
