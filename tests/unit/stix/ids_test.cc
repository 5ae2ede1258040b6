#include "atio/cti/stix/ids.h"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>


#include "atio/cti/stix/jcs.h"

namespace atio::stix {
namespace {

namespace bj = boost::json;

TEST(Uuid5, MatchesRfc9562Example) {
  // RFC 9562 appendix A.4: www.example.com in the DNS namespace.
  EXPECT_EQ(uuid_v5("6ba7b810-9dad-11d1-80b4-00c04fd430c8", "www.example.com"),
            "2ed6657d-e927-568b-95e1-2665a8aea6a2");
}

TEST(ScoId, SameObservableSameId) {
  bj::object a{{"value", "198.51.100.3"}};
  bj::object b{{"value", "198.51.100.3"}, {"id", "ignored"}, {"spec_version", "2.1"}};
  EXPECT_EQ(sco_id("ipv4-addr", a), sco_id("ipv4-addr", b));
  EXPECT_NE(sco_id("ipv4-addr", a), sco_id("ipv6-addr", a).substr(0));
  const std::string id = sco_id("ipv4-addr", a);
  std::string_view type, uuid;
  ASSERT_TRUE(split_id(id, &type, &uuid));
  EXPECT_EQ(type, "ipv4-addr");
  EXPECT_EQ(uuid[14], '5');
}

TEST(ScoId, ProcessHasRandomIds) {
  bj::object p{{"pid", 4}};
  EXPECT_NE(sco_id("process", p), sco_id("process", p));
  const std::string id = sco_id("process", p);
  std::string_view uuid;
  ASSERT_TRUE(split_id(id, nullptr, &uuid));
  EXPECT_EQ(uuid[14], '4');
}

// Vectors from an independent implementation: Python's uuid.uuid5 over
// json.dumps(sort_keys=True, separators=(",", ":")), which equals JCS for
// these ASCII values. (The version-5 ids in the corpus's cti-python-stix2
// examples are hand-made: none follows the spec's algorithm.)
TEST(ScoId, MatchesAnIndependentImplementation) {
  EXPECT_EQ(sco_id("domain-name", bj::object{{"value", "example.com"}}),
            "domain-name--bedb4899-d24b-5401-bc86-8f6b4cc18ec7");
  EXPECT_EQ(sco_id("url", bj::object{{"value", "https://example.com/research/index.html"}}),
            "url--47c3cf9a-5027-5bf0-997a-017c7edc7c55");
  EXPECT_EQ(sco_id("mutex", bj::object{{"name", "__CLEANSWEEP__"}, {"pid", 1}}),
            "mutex--f93fe911-e545-5239-b9b0-597840d0c871");
  // Only one hash contributes: MD5 before SHA-1.
  bj::object file{{"name", "a.exe"},
                  {"hashes", bj::object{{"SHA-1", "5374e08903744ceeaedd8f5e1bfc06b2c4688e76"},
                                        {"MD5", "a92e5b2bae0b4b3a3d81c85610b95cd4"}}},
                  {"size", 77312}};
  bj::object md5_only{{"name", "a.exe"},
                      {"hashes", bj::object{{"MD5", "a92e5b2bae0b4b3a3d81c85610b95cd4"}}}};
  EXPECT_EQ(sco_id("file", file), sco_id("file", md5_only));
  EXPECT_EQ(sco_id("file", file), "file--e41b4fe4-8bf6-5755-84ff-91d62b0f31ba");
}

TEST(Jcs, SortsMembersAndFormatsNumbersLikeEcmascript) {
  auto v = bj::parse(R"({"b":[1E30,4.5,0.000001,1e-7,-0,100,true,null],"a":"\u00e9\n\u001f","\ufb01":1,"\ud83d\ude00":2})");
  EXPECT_EQ(canonicalize(v),
            "{\"a\":\"\xc3\xa9\\n\\u001f\",\"b\":[1e+30,4.5,0.000001,1e-7,0,100,true,null],"
            "\"\xf0\x9f\x98\x80\":2,\"\xef\xac\x81\":1}");
}

// Integers print as ECMAScript prints the double they convert to: exact up
// to 2^53, rounded past it (JavaScript: String(2**53 + 1) is
// "9007199254740992", String(12345678901234567890) is "12345678901234567000").
TEST(Jcs, IntegersAsEcmascriptNumbers) {
  EXPECT_EQ(canonicalize(bj::value(std::int64_t{443})), "443");
  EXPECT_EQ(canonicalize(bj::value(std::int64_t{-7})), "-7");
  EXPECT_EQ(canonicalize(bj::value(std::int64_t{9007199254740992})), "9007199254740992");
  EXPECT_EQ(canonicalize(bj::value(std::int64_t{9007199254740993})), "9007199254740992");
  EXPECT_EQ(canonicalize(bj::value(std::int64_t{-9007199254740993})), "-9007199254740992");
  EXPECT_EQ(canonicalize(bj::value(std::uint64_t{12345678901234567890u})), "12345678901234567000");
}

TEST(SplitId, RejectsMalformed) {
  EXPECT_FALSE(split_id("indicator-1234", nullptr, nullptr));
  EXPECT_FALSE(split_id("--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f", nullptr, nullptr));
  EXPECT_FALSE(split_id("indicator--8e2e2d2b-17d4-4cbf-938f", nullptr, nullptr));
  EXPECT_TRUE(split_id("indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f", nullptr, nullptr));
}

}  // namespace
}  // namespace atio::stix
