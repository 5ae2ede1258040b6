// stix -> iris mapping rules on small bundles: TLP from markings, severity,
// options, updates of existing alerts, loose objects. Expected ids are IRIS's
// (post_init.py of dfir-iris/iris-web; the corpus examples confirm tlp 2
// amber and severity 4 Medium) and the rules documented in iris_signals.h.
#include <gtest/gtest.h>

#include "atio/core/json.h"
#include "unit/convert/convert_test_support.h"

namespace atio::convert {
namespace {

using namespace testing;

bj::object alert_of(const std::string& bundle, const bj::object& options = {}) {
  auto iris = builtin_registry().create("stix", "iris", options);
  EXPECT_TRUE(iris.is_ok()) << iris.status().to_string();
  if (!iris.is_ok()) return {};
  Conversion r = run_string(**iris, bundle);
  EXPECT_TRUE(r.status.is_ok());
  EXPECT_EQ(r.docs.size(), 1u) << r.report.to_text();
  return r.docs.empty() ? bj::object() : r.docs[0];
}

std::string bundle_of(const std::string& objects) {
  return R"({"type":"bundle","id":"bundle--0b4a1c33-2a7f-4a3e-9d1e-111111111111","objects":[)" +
         objects + "]}";
}

std::string indicator(const std::string& extra) {
  return R"({"type":"indicator","spec_version":"2.1","id":"indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f","created":"2020-01-01T00:00:00Z","modified":"2020-01-01T00:00:00Z","name":"bad host","pattern":"[ipv4-addr:value = '203.0.113.7']","pattern_type":"stix","valid_from":"2020-01-01T00:00:00Z")" +
         extra + "}";
}

std::int64_t ioc_tlp(const bj::object& alert) {
  return alert.at("alert_iocs").as_array().at(0).as_object().at("ioc_tlp_id").as_int64();
}

TEST(StixToIrisMapping, TlpComesFromTheMarking) {
  // TLP 1.0 ids (STIX 2.1 section 7.2.1.4); IRIS: red 1, amber 2, green 3, clear 4.
  EXPECT_EQ(ioc_tlp(alert_of(bundle_of(indicator(
                R"(,"object_marking_refs":["marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9"])")))),
            4);
  EXPECT_EQ(ioc_tlp(alert_of(bundle_of(indicator(
                R"(,"object_marking_refs":["marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed"])")))),
            1);
  // The most restrictive of several wins (green and red).
  EXPECT_EQ(ioc_tlp(alert_of(bundle_of(indicator(
                R"(,"object_marking_refs":["marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da","marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed"])")))),
            1);
  // A marking-definition of the bundle that names its level.
  const std::string custom =
      R"({"type":"marking-definition","spec_version":"2.1","id":"marking-definition--11111111-2222-4333-8444-555555555555","created":"2020-01-01T00:00:00Z","definition_type":"tlp","name":"TLP:GREEN","definition":{"tlp":"green"}})";
  EXPECT_EQ(ioc_tlp(alert_of(bundle_of(
                custom + "," +
                indicator(R"(,"object_marking_refs":["marking-definition--11111111-2222-4333-8444-555555555555"])")))),
            3);
  // No marking: amber by default, or the option.
  EXPECT_EQ(ioc_tlp(alert_of(bundle_of(indicator("")))), 2);
  EXPECT_EQ(ioc_tlp(alert_of(bundle_of(indicator("")), bj::object{{"default_tlp_id", 4}})), 4);
}

TEST(StixToIrisMapping, SeverityFollowsTheDocumentedScale) {
  auto severity = [](const std::string& extra) {
    return alert_of(bundle_of(indicator(extra))).at("alert_severity_id").as_int64();
  };
  EXPECT_EQ(severity(""), 1);  // nothing says: Unspecified
  EXPECT_EQ(severity(R"(,"x_atio_severity":"high")"), 5);
  EXPECT_EQ(severity(R"(,"x_atio_severity":"Critical")"), 6);
  EXPECT_EQ(severity(R"(,"x_atio_severity":5.0)"), 4);  // CVSS-like medium
  EXPECT_EQ(severity(R"(,"x_suricata_severity":1)"), 5);
  EXPECT_EQ(severity(R"(,"x_suricata_severity":3)"), 3);
  EXPECT_EQ(severity(R"(,"confidence":85)"), 5);
  EXPECT_EQ(severity(R"(,"confidence":15)"), 3);
  // x_atio_severity comes before confidence on one object.
  EXPECT_EQ(severity(R"(,"x_atio_severity":"low","confidence":100)"), 3);
}

TEST(StixToIrisMapping, OptionsSetCustomerClassificationAndSource) {
  const auto a = alert_of(bundle_of(indicator("")),
                          bj::object{{"customer_id", 7}, {"classification_id", 3}, {"source", "soc-edge"}});
  EXPECT_EQ(a.at("alert_customer_id").as_int64(), 7);
  EXPECT_EQ(a.at("alert_classification_id").as_int64(), 3);
  EXPECT_EQ(str(a, "alert_source"), "soc-edge");
  const auto d = alert_of(bundle_of(indicator("")));
  EXPECT_EQ(d.at("alert_customer_id").as_int64(), 1);
  EXPECT_EQ(str(d, "alert_source"), "atio");
  EXPECT_EQ(str(d, "alert_title"), "bad host");
  EXPECT_EQ(str(d, "alert_source_event_time"), "2020-01-01T00:00:00Z");

  for (const bj::object& bad : {bj::object{{"customer_id", "one"}}, bj::object{{"customer", 1}},
                                bj::object{{"default_tlp_id", 9}}, bj::object{{"source", ""}}}) {
    EXPECT_FALSE(builtin_registry().create("stix", "iris", bad).is_ok()) << json::dump(bad);
  }
}

TEST(StixToIrisMapping, AReportWithAnIrisIdUpdatesThatAlert) {
  const std::string report =
      R"({"type":"report","spec_version":"2.1","id":"report--9f2a3b4c-1d2e-4f5a-8b6c-7d8e9f0a1b2c","created":"2021-03-04T05:06:07Z","modified":"2021-03-04T05:06:07Z","name":"Beaconing from ws-12","published":"2021-03-04T05:06:07Z","object_refs":["indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f"],"x_atio_iris_id":42,"x_atio_risk":"high","external_references":[{"source_name":"case","url":"https://soc.example/cases/9"}],"labels":["c2","beacon"]})";
  const auto a = alert_of(bundle_of(report + "," + indicator("")));
  EXPECT_EQ(a.at("alert_id").as_int64(), 42);
  EXPECT_EQ(str(a, "alert_title"), "Beaconing from ws-12");
  EXPECT_EQ(str(a, "alert_source_ref"), "report--9f2a3b4c-1d2e-4f5a-8b6c-7d8e9f0a1b2c");
  EXPECT_EQ(str(a, "alert_source_link"), "https://soc.example/cases/9");
  EXPECT_EQ(str(a, "alert_tags"), "c2,beacon");
  const auto& ctx = a.at("alert_context").as_object();
  EXPECT_EQ(str(ctx, "x_atio_risk"), "high");
  EXPECT_FALSE(ctx.contains("x_atio_iris_id"));
  // Without the id the document creates an alert.
  EXPECT_FALSE(alert_of(bundle_of(indicator(""))).contains("alert_id"));
}

TEST(StixToIrisMapping, AttackTechniquesBecomeTags) {
  const std::string ap =
      R"({"type":"attack-pattern","spec_version":"2.1","id":"attack-pattern--0c7b5b88-8ff7-4a4d-aa9d-feb398cd0061","created":"2020-01-01T00:00:00Z","modified":"2020-01-01T00:00:00Z","name":"Valid Accounts","external_references":[{"source_name":"mitre-attack","external_id":"T1078.002"},{"source_name":"capec","external_id":"CAPEC-560"}]})";
  EXPECT_EQ(str(alert_of(bundle_of(indicator("") + "," + ap)), "alert_tags"), "T1078.002");
}

TEST(StixToIrisMapping, LooseObjectsAndEmptyBundles) {
  auto iris = builtin_registry().create("stix", "iris");
  ASSERT_TRUE(iris.is_ok());
  const std::string input =
      R"({"type":"ipv4-addr","spec_version":"2.1","id":"ipv4-addr--ff26c055-6336-5bc5-b98d-13d6226742dd","value":"198.51.100.3"})"
      "\n"
      R"({"type":"url","spec_version":"2.1","id":"url--c1477287-23ac-5971-a010-5c287877fa60","value":"https://example.com/x"})"
      "\n"
      R"({"type":"bundle","id":"bundle--44af6c39-c09b-49c5-9de2-394224b04982","objects":[]})"
      "\n[1,2]\n";
  Conversion r = run_string(**iris, input);
  ASSERT_TRUE(r.status.is_ok());
  EXPECT_EQ(r.report.read(), 4u);
  EXPECT_EQ(r.report.converted(), 2u);
  EXPECT_EQ(r.report.skipped(), 2u);
  ASSERT_EQ(r.docs.size(), 1u);
  const auto& iocs = r.docs[0].at("alert_iocs").as_array();
  ASSERT_EQ(iocs.size(), 2u);
  EXPECT_EQ(iocs[0].at("ioc_type_id").as_int64(), 76);   // ip-any
  EXPECT_EQ(iocs[1].at("ioc_type_id").as_int64(), 141);  // url
}

}  // namespace
}  // namespace atio::convert
