// The MUSTs of the STIX 2.1 text that the OASIS schemas cannot see, each on a
// small object built here, plus the behaviour around them that users rely on
// (dangling references allowed, custom types accepted, vocabularies warn).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <string>
#include <vector>

#include "atio/cti/stix/validate.h"

namespace atio::stix {
namespace {

namespace bj = boost::json;
using ::testing::Contains;
using ::testing::IsEmpty;
using ::testing::Not;

std::string uuid(int n) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "9a6f1d5b-bd5c-4b7c-9e3a-%012d", n);
  return buf;
}

std::string id(std::string_view type, int n = 1) { return std::string(type) + "--" + uuid(n); }

// An SDO/SRO with the common properties the spec requires.
bj::object sdo(std::string_view type, bj::object props = {}) {
  bj::object o{{"type", type},
               {"spec_version", "2.1"},
               {"id", id(type)},
               {"created", "2020-01-01T00:00:00.000Z"},
               {"modified", "2020-01-01T00:00:00.000Z"}};
  for (auto& kv : props) o[kv.key()] = kv.value();
  return o;
}

bj::object sco(std::string_view type, bj::object props = {}) {
  bj::object o{{"type", type}, {"spec_version", "2.1"}, {"id", id(type, 7)}};
  for (auto& kv : props) o[kv.key()] = kv.value();
  return o;
}

Validation check(const bj::object& o) {
  Validation v;
  validate_object(o, "", &v);
  return v;
}

// "rule pointer" for each problem of a severity.
std::vector<std::string> found(const Validation& v, Problem::Severity severity) {
  std::vector<std::string> out;
  for (const auto& p : v.problems) {
    if (p.severity == severity) out.push_back(std::string(p.rule) + " " + p.pointer);
  }
  return out;
}
std::vector<std::string> errors(const Validation& v) { return found(v, Problem::Severity::kError); }
std::vector<std::string> warnings(const Validation& v) {
  return found(v, Problem::Severity::kWarning);
}

TEST(StixSpecRules, ValidObjectsHaveNoProblems) {
  EXPECT_THAT(
      check(sdo("identity", {{"name", "ACME"}, {"identity_class", "organization"}})).problems,
      IsEmpty());
  EXPECT_THAT(check(sco("ipv4-addr", {{"value", "198.51.100.3"}})).problems, IsEmpty());
}

TEST(StixSpecRules, CreatedIsNotLaterThanModified) {
  auto o = sdo("identity", {{"name", "ACME"}, {"created", "2020-01-02T00:00:00.000Z"}});
  EXPECT_THAT(errors(check(o)), Contains("spec.time-order /modified"));
  o["created"] = "2020-01-01T00:00:00.000Z";  // equal is fine
  EXPECT_THAT(errors(check(o)), IsEmpty());
  // Fractions compare as numbers: .5000 is later than .123.
  o["created"] = "2020-01-01T00:00:00.5000Z";
  o["modified"] = "2020-01-01T00:00:00.123Z";
  EXPECT_THAT(errors(check(o)), Contains("spec.time-order /modified"));
}

// Section 2.6: integers fit in a signed 54-bit value, whatever the property's
// own minimum says.
TEST(StixSpecRules, IntegersFitIn54Bits) {
  auto file = sco("file", {{"name", "a"}, {"size", 9007199254740991LL}});  // 2^53 - 1
  EXPECT_THAT(errors(check(file)), IsEmpty());
  file["size"] = 9007199254740992LL;
  EXPECT_THAT(errors(check(file)), Contains("spec.integer /size"));
  file["size"] = -1;
  EXPECT_THAT(errors(check(file)), Contains("schema.range /size"));
  auto traffic = sco("network-traffic", {{"protocols", bj::array{"tcp"}}, {"src_packets", UINT64_MAX}});
  EXPECT_THAT(errors(check(traffic)), Contains("spec.integer /src_packets"));
}

TEST(StixSpecRules, TimeWindowsAreOrdered) {
  const char* early = "2019-01-01T00:00:00Z";
  const char* late = "2019-06-01T00:00:00Z";
  struct Window {
    const char* type;
    const char* first;
    const char* last;
    bool strict;  // the spec asks for "later than", not "later than or equal to"
    bj::object props;
  };
  const std::vector<Window> windows = {
      {"campaign", "first_seen", "last_seen", false, {{"name", "c"}}},
      {"intrusion-set", "first_seen", "last_seen", false, {{"name", "i"}}},
      {"threat-actor", "first_seen", "last_seen", false, {{"name", "t"}}},
      {"infrastructure", "first_seen", "last_seen", false, {{"name", "i"}}},
      {"malware", "first_seen", "last_seen", false, {{"is_family", false}}},
      {"sighting", "first_seen", "last_seen", false, {{"sighting_of_ref", id("indicator")}}},
      {"observed-data",
       "first_observed",
       "last_observed",
       false,
       {{"number_observed", 1}, {"object_refs", bj::array{id("ipv4-addr")}}}},
      {"indicator",
       "valid_from",
       "valid_until",
       true,
       {{"pattern", "[ipv4-addr:value = '198.51.100.3']"}, {"pattern_type", "stix"}}},
      {"relationship",
       "start_time",
       "stop_time",
       true,
       {{"relationship_type", "uses"}, {"source_ref", id("malware")}, {"target_ref", id("tool")}}},
  };
  for (const auto& w : windows) {
    SCOPED_TRACE(w.type);
    auto o = sdo(w.type, w.props);
    o[w.first] = late;
    o[w.last] = early;
    EXPECT_THAT(errors(check(o)), Contains(std::string("spec.time-order /") + w.last));
    o[w.last] = late;
    if (w.strict) {
      EXPECT_THAT(errors(check(o)), Contains(std::string("spec.time-order /") + w.last));
    } else {
      EXPECT_THAT(errors(check(o)), IsEmpty());
    }
  }
  auto traffic = sco("network-traffic", {{"protocols", bj::array{"tcp"}},
                                         {"src_ref", id("ipv4-addr")},
                                         {"start", late},
                                         {"end", early}});
  EXPECT_THAT(errors(check(traffic)), Contains("spec.time-order /end"));
}

TEST(StixSpecRules, TimestampsAreCalendarDates) {
  auto o = sdo("identity", {{"name", "ACME"}, {"created", "2021-02-29T00:00:00.000Z"}});
  o["modified"] = "2021-03-01T00:00:00.000Z";
  EXPECT_THAT(errors(check(o)), Contains("spec.timestamp-date /created"));
  o["created"] = "2020-02-29T00:00:00.000Z";  // a leap year
  EXPECT_THAT(errors(check(o)), IsEmpty());
}

TEST(StixSpecRules, CommonReferencesPointToTheRightTypes) {
  auto o = sdo("identity", {{"name", "ACME"}, {"created_by_ref", id("malware")}});
  EXPECT_THAT(errors(check(o)), Contains("spec.ref-type /created_by_ref"));
  o["created_by_ref"] = id("identity", 2);
  o["object_marking_refs"] = bj::array{id("marking-definition"), id("identity", 3)};
  EXPECT_THAT(errors(check(o)), Contains("spec.ref-type /object_marking_refs/1"));
  EXPECT_THAT(errors(check(o)), Not(Contains("spec.ref-type /object_marking_refs/0")));
}

TEST(StixSpecRules, SightingReferences) {
  auto s = sdo("sighting", {{"sighting_of_ref", id("ipv4-addr")}});
  EXPECT_THAT(errors(check(s)), Contains("spec.ref-type /sighting_of_ref"));  // an SCO
  s["sighting_of_ref"] = id("x-acme-thing");  // a custom SDO may be sighted
  EXPECT_THAT(errors(check(s)), IsEmpty());
  s["sighting_of_ref"] = id("indicator");
  s["where_sighted_refs"] = bj::array{id("identity"), id("location"), id("indicator", 2)};
  s["observed_data_refs"] = bj::array{id("observed-data"), id("ipv4-addr")};
  const auto e = errors(check(s));
  EXPECT_THAT(e, Contains("schema.ref-type /where_sighted_refs/2"));
  EXPECT_THAT(e, Contains("schema.ref-type /observed_data_refs/1"));
  EXPECT_EQ(e.size(), 2u);
}

TEST(StixSpecRules, ObservableReferences) {
  auto traffic = sco(
      "network-traffic",
      {{"protocols", bj::array{"tcp"}}, {"src_ref", id("file")}, {"dst_ref", id("domain-name")}});
  EXPECT_THAT(errors(check(traffic)), Contains("spec.ref-type /src_ref"));
  EXPECT_THAT(errors(check(traffic)), Not(Contains("spec.ref-type /dst_ref")));
  traffic["src_ref"] = "198.51.100.3";  // a value, not a reference
  EXPECT_THAT(errors(check(traffic)), Contains("spec.identifier /src_ref"));

  auto email = sco("email-message", {{"is_multipart", false},
                                     {"from_ref", id("email-addr")},
                                     {"to_refs", bj::array{id("user-account")}}});
  EXPECT_THAT(errors(check(email)), Contains("spec.ref-type /to_refs/0"));
  auto process = sco("process", {{"pid", 4}, {"parent_ref", id("file")}});
  EXPECT_THAT(errors(check(process)), Contains("spec.ref-type /parent_ref"));
  auto domain = sco("domain-name", {{"value", "example.com"},
                                    {"resolves_to_refs", bj::array{id("ipv4-addr"), id("url")}}});
  EXPECT_THAT(errors(check(domain)), Contains("spec.ref-type /resolves_to_refs/1"));
  auto malware = sdo("malware", {{"is_family", false}, {"sample_refs", bj::array{id("url")}}});
  EXPECT_THAT(errors(check(malware)), Contains("spec.ref-type /sample_refs/0"));
}

TEST(StixSpecRules, RelationshipEnds) {
  auto r = sdo("relationship", {{"relationship_type", "resolves-to"},
                                {"source_ref", id("domain-name")},
                                {"target_ref", id("ipv4-addr")}});
  EXPECT_THAT(check(r).problems, IsEmpty());  // SCO to SCO, defined by the spec
  r["target_ref"] = id("marking-definition");
  EXPECT_THAT(errors(check(r)), Contains("schema.ref-type /target_ref"));
  r["target_ref"] = id("extension-definition");
  EXPECT_THAT(errors(check(r)), Contains("spec.ref-type /target_ref"));
  // A relationship type the spec does not list for the pair: allowed, warned.
  r["relationship_type"] = "eats";
  r["target_ref"] = id("ipv4-addr");
  const auto v = check(r);
  EXPECT_TRUE(v.ok());
  EXPECT_THAT(warnings(v), Contains("spec.relationship-type /relationship_type"));
  r["relationship_type"] = "related-to";  // a common relationship: any pair
  EXPECT_THAT(check(r).problems, IsEmpty());
}

TEST(StixSpecRules, ObservedDataRefersToObservables) {
  auto od = sdo("observed-data", {{"first_observed", "2020-01-01T00:00:00Z"},
                                  {"last_observed", "2020-01-01T00:00:00Z"},
                                  {"number_observed", 1},
                                  {"object_refs", bj::array{id("relationship")}}});
  EXPECT_THAT(errors(check(od)), Contains("spec.observed-sco /object_refs"));
  od["object_refs"] = bj::array{id("indicator")};
  EXPECT_THAT(errors(check(od)), Contains("schema.ref-type /object_refs/0"));
  od["object_refs"] = bj::array{id("ipv4-addr"), id("relationship")};
  EXPECT_THAT(errors(check(od)), IsEmpty());

  // In a bundle the observed objects should travel along; a missing one warns.
  bj::object bundle{{"type", "bundle"},
                    {"id", id("bundle")},
                    {"objects", bj::array{od, sco("ipv4-addr", {{"value", "198.51.100.3"}})}}};
  bundle["objects"].get_array()[1].get_object()["id"] = id("ipv4-addr");
  Validation v = validate(bundle);
  EXPECT_TRUE(v.ok());
  EXPECT_THAT(warnings(v), Contains("spec.observed-ref /objects/0/object_refs/1"));
  EXPECT_THAT(warnings(v), Not(Contains("spec.observed-ref /objects/0/object_refs/0")));
}

TEST(StixSpecRules, DanglingReferencesInABundleAreNotErrors) {
  bj::object bundle{
      {"type", "bundle"},
      {"id", id("bundle")},
      {"objects", bj::array{sdo("relationship", {{"relationship_type", "uses"},
                                                 {"source_ref", id("malware", 9)},
                                                 {"target_ref", id("tool", 9)},
                                                 {"created_by_ref", id("identity", 9)}})}}};
  EXPECT_THAT(validate(bundle).problems, IsEmpty());
}

TEST(StixSpecRules, CustomPropertyNames) {
  auto o = sdo("identity", {{"name", "ACME"}, {"x_acme_score", 5}});
  EXPECT_THAT(check(o).problems, IsEmpty());
  o["x_acme-score"] = 5;  // the schema's pattern checks only the first three characters
  EXPECT_THAT(errors(check(o)), Contains("spec.property-name /x_acme-score"));
  o.erase("x_acme-score");
  o["Score"] = 5;
  EXPECT_THAT(errors(check(o)), Contains("schema.property-name /Score"));
  o.erase("Score");
  o["acme_score"] = 5;  // valid but not prefixed
  const auto v = check(o);
  EXPECT_TRUE(v.ok());
  EXPECT_THAT(warnings(v), Contains("spec.custom-prefix /acme_score"));
  // Properties of a toplevel-property-extension need no prefix.
  o["extensions"] = bj::object{
      {id("extension-definition"), bj::object{{"extension_type", "toplevel-property-extension"}}}};
  EXPECT_THAT(check(o).problems, IsEmpty());
}

TEST(StixSpecRules, CustomObjectTypes) {
  // A custom type is never an error by itself; its common properties are checked.
  bj::object tactic{{"type", "x-mitre-tactic"},
                    {"spec_version", "2.1"},
                    {"id", id("x-mitre-tactic")},
                    {"created", "2020-01-01T00:00:00.000Z"},
                    {"modified", "2020-01-01T00:00:00.000Z"},
                    {"x_mitre_shortname", "initial-access"}};
  EXPECT_THAT(check(tactic).problems, IsEmpty());
  tactic["confidence"] = 101;
  EXPECT_THAT(errors(check(tactic)), Contains("schema.range /confidence"));
  tactic.erase("confidence");
  tactic["id"] = id("x-mitre-matrix");
  EXPECT_THAT(errors(check(tactic)), Contains("spec.id-type /id"));
  for (const char* bad : {"x--tactic", "X-Tactic", "xy", "1x-tactic"}) {
    bj::object o{{"type", bad}, {"id", std::string(bad) + "--" + uuid(1)}};
    EXPECT_THAT(errors(check(o)), Contains("schema.type-name /type")) << bad;
  }
}

TEST(StixSpecRules, OpenVocabulariesWarnClosedEnumerationsFail) {
  auto identity = sdo("identity", {{"name", "ACME"}, {"identity_class", "alien"}});
  auto v = check(identity);
  EXPECT_TRUE(v.ok());
  EXPECT_THAT(warnings(v), Contains("spec.vocabulary /identity_class"));
  auto indicator = sdo("indicator", {{"pattern", "rule x {}"},
                                     {"pattern_type", "my-engine"},
                                     {"valid_from", "2020-01-01T00:00:00Z"},
                                     {"indicator_types", bj::array{"malicious-activity", "odd"}}});
  v = check(indicator);
  EXPECT_TRUE(v.ok());
  EXPECT_THAT(warnings(v), Contains("spec.vocabulary /pattern_type"));
  EXPECT_THAT(warnings(v), Contains("spec.vocabulary /indicator_types/1"));
  auto opinion = sdo("opinion", {{"opinion", "maybe"}, {"object_refs", bj::array{id("report")}}});
  EXPECT_THAT(errors(check(opinion)), Contains("schema.enum /opinion"));
}

TEST(StixSpecRules, Ranges) {
  auto o = sdo("identity", {{"name", "ACME"}, {"confidence", 101}});
  EXPECT_THAT(errors(check(o)), Contains("schema.range /confidence"));
  o["confidence"] = 100;
  EXPECT_THAT(errors(check(o)), IsEmpty());
  auto s = sdo("sighting", {{"sighting_of_ref", id("indicator")}, {"count", 1000000000}});
  EXPECT_THAT(errors(check(s)), Contains("schema.range /count"));
  s["count"] = 0;
  EXPECT_THAT(errors(check(s)), IsEmpty());
}

TEST(StixSpecRules, MetaObjects) {
  auto ext = sdo("extension-definition", {{"name", "acme"},
                                          {"schema", "https://example.com/schema.json"},
                                          {"version", "1.0"},
                                          {"extension_types", bj::array{"new-sdo"}}});
  EXPECT_THAT(errors(check(ext)), Contains("spec.required "));
  ext["created_by_ref"] = id("identity");
  EXPECT_THAT(errors(check(ext)), IsEmpty());

  auto o = sdo("identity", {{"name", "ACME"}});
  o["granular_markings"] = bj::array{bj::object{
      {"selectors", bj::array{"name"}}, {"lang", "en"}, {"marking_ref", id("marking-definition")}}};
  EXPECT_THAT(errors(check(o)), Contains("spec.granular-marking /granular_markings/0"));
}

TEST(StixSpecRules, ObservableValues) {
  for (const char* ok : {"2001:db8::1", "::", "fe80::1%eth0", "::ffff:192.0.2.1", "2001:db8::/32",
                         "1:2:3:4:5:6:7:8"}) {
    EXPECT_THAT(errors(check(sco("ipv6-addr", {{"value", ok}}))), IsEmpty()) << ok;
  }
  for (const char* bad :
       {"1::2::3", "2001:db8::/129", "12345::1", "1:2:3:4:5:6:7:8:9", "fe80::1%"}) {
    EXPECT_THAT(errors(check(sco("ipv6-addr", {{"value", bad}}))),
                Contains("schema.pattern /value"))
        << bad;
  }
  EXPECT_THAT(errors(check(sco("ipv4-addr", {{"value", "10.0.0.0/33"}}))),
              Contains("schema.pattern /value"));
  auto software =
      sco("software", {{"name", "Internet Explorer"},
                       {"cpe", "cpe:2.3:a:microsoft:internet_explorer:8.0.6001:beta:*:*:*:*:*:*"}});
  EXPECT_THAT(errors(check(software)), IsEmpty());
  software["cpe"] = "cpe:2.3:a:microsoft";
  EXPECT_THAT(errors(check(software)), Contains("schema.pattern /cpe"));
}

TEST(StixSpecRules, PointersNameTheObjectInItsDocument) {
  bj::object bundle{{"type", "bundle"},
                    {"id", id("bundle")},
                    {"objects", bj::array{sdo("identity", {{"name", "ACME"}}),
                                          sdo("identity", {{"name", "B"}, {"created", "x"}})}}};
  EXPECT_THAT(errors(validate(bundle)), Contains("schema.timestamp /objects/1/created"));
  bj::array list{sdo("identity"), 42};
  const auto v = validate(list);
  EXPECT_THAT(errors(v), Contains("schema.required /0"));
  EXPECT_THAT(errors(v), Contains("schema.type /1"));
  EXPECT_EQ(v.errors(), 2u);
  EXPECT_EQ(v.warnings(), 0u);
  EXPECT_FALSE(v.ok());
}

TEST(StixSpecRules, IndicatorPatternsAreChecked) {
  auto indicator = [](std::string_view pattern, std::string_view type = "stix") {
    return sdo("indicator", {{"pattern", pattern},
                             {"pattern_type", type},
                             {"valid_from", "2020-01-01T00:00:00Z"}});
  };
  EXPECT_THAT(errors(check(indicator("[ipv4-addr:value = '198.51.100.1']"))), IsEmpty());
  EXPECT_THAT(errors(check(indicator("[ipv4-addr:value = '198.51.100.1'"))),
              Contains("spec.pattern /pattern"));
  EXPECT_THAT(errors(check(indicator("[ipv4-addr:value = '1.2.3.4' AND file:name = 'x']"))),
              Contains("spec.pattern /pattern"));
  // Other pattern languages are not STIX patterns.
  EXPECT_THAT(errors(check(indicator("alert tcp any any -> any any (msg:\"x\";)", "snort"))),
              IsEmpty());
}

}  // namespace
}  // namespace atio::stix
