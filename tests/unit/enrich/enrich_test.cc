// Enrichment of real converter output: the corpus Suricata alerts and GVM
// reports, with assets and policies declared for addresses found in them.
#include "atio/cti/enrich/enricher.h"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

#include <filesystem>
#include <map>
#include <set>

#include "atio/cti/convert/registry.h"
#include "atio/cti/convert/writer.h"

namespace atio::enrich {
namespace {

namespace fs = std::filesystem;
namespace bj = boost::json;

std::vector<bj::object> convert_file(const std::string& from, const fs::path& path) {
  auto c = convert::builtin_registry().create(from, "stix");
  EXPECT_TRUE(c.is_ok()) << c.status().to_string();
  auto in = convert::open_file(path.string());
  EXPECT_TRUE(in.is_ok());
  convert::CollectingOutput out;
  convert::Report report;
  EXPECT_TRUE((*c)->convert(**in, out, report).is_ok());
  std::vector<bj::object> docs;
  for (auto& d : out.documents) docs.push_back(d.as_object());
  return docs;
}

const bj::object* find_type(const bj::object& bundle, std::string_view type) {
  for (const auto& v : bundle.at("objects").as_array()) {
    if (v.as_object().at("type").as_string() == type) return &v.as_object();
  }
  return nullptr;
}

fs::path corpus(const std::string& rel) { return fs::path(ATIO_CORPUS_DIR) / rel; }

TEST(Enrich, SuricataAlertsGetAssetImportancePoliciesAndOneGrowingSighting) {
  auto bundles = convert_file("suricata", corpus("suricata-eve/alerts/frankhassanabad-wrccdc-2018.alerts-only.json"));
  ASSERT_FALSE(bundles.empty());
  // The target of the first alert is a critical PCI server; its /24 a
  // moderate network.
  const auto first = read_detections(bundles[0]);
  ASSERT_TRUE(first.is_ok());
  ASSERT_EQ(first->size(), 1u);
  const std::string target = (*first)[0].target;
  const std::string net = target.substr(0, target.rfind('.')) + ".0/24";
  json::FieldErrors errors;
  auto assets = parse_assets_json(
      bj::parse(R"([{"name":"db-1","ips":[")" + target + R"("],"tags":["pci"],"criticality":5,"owner":"dba"},
                    {"name":"lan","cidrs":[")" + net + R"("],"criticality":2}])"),
      &errors);
  ASSERT_TRUE(assets.is_ok()) << json::to_text(errors);
  AssetIndex index(*assets);
  RiskModel risk;
  auto policies = parse_policies(
      bj::parse(R"([{"name":"PCI: isolate","match":{"asset_tags":["pci"],"kinds":["alert"]},"response":["isolate-host","open-case"],"priority":"high"},
                    {"name":"Scans","match":{"signature_contains":["scan"]},"response":["open-case"]}])"),
      &errors);
  ASSERT_TRUE(policies.is_ok()) << json::to_text(errors);
  MemorySightingBook book;
  Knowledge k{&index, &risk, &*policies, &book};

  std::map<std::string, std::int64_t> occurrences;  // detection id -> times seen
  int on_db = 0, on_lan = 0;
  for (auto& bundle : bundles) {
    auto summaries = enrich_bundle(&bundle, k, "2026-11-30T00:00:00.000Z");
    ASSERT_TRUE(summaries.is_ok()) << summaries.status().to_string();
    ASSERT_EQ(summaries->size(), 1u);
    const auto& s = (*summaries)[0].as_object();
    const std::string id(s.at("detection_id").as_string());
    const std::int64_t n = ++occurrences[id];
    EXPECT_EQ(s.at("count").to_number<std::int64_t>(), n) << "one story per detection";
    const auto* report = find_type(bundle, "report");
    EXPECT_EQ(report->at("x_atio_detection_id").as_string(), id);
    EXPECT_EQ(report->at("x_atio_count").to_number<std::int64_t>(), n);
    const auto* sighting = find_type(bundle, "sighting");
    EXPECT_EQ(sighting->at("id").as_string(), "sighting--" + id);
    EXPECT_EQ(sighting->at("count").to_number<std::int64_t>(), n);
    EXPECT_LE(sighting->at("first_seen").as_string(), sighting->at("last_seen").as_string());
    bool sighting_listed = false;
    for (const auto& r : report->at("object_refs").as_array()) sighting_listed |= r == sighting->at("id");
    EXPECT_TRUE(sighting_listed);
    // The importance follows the documented formula.
    const int sev = report->at("x_suricata_severity").to_number<int>();
    const int conf = report->at("confidence").to_number<int>();
    const std::string tgt(s.at("target").as_string());
    const Asset* asset = index.match_address(tgt);
    const double S = (sev == 1 ? 9 : sev == 2 ? 6 : sev == 3 ? 3 : 1) / 10.0;
    const double C = 0.5 + 0.5 * conf / 100.0;
    const double A = asset == nullptr ? 0.8 : asset->criticality == 5 ? 1.0 : 0.6;
    EXPECT_EQ(s.at("importance").to_number<int>(), static_cast<int>(std::lround(100 * S * C * A)));
    if (tgt == target) {
      ++on_db;
      EXPECT_EQ(s.at("asset").at("name"), "db-1");
      EXPECT_EQ(report->at("x_atio_asset").at("owner"), "dba");
      bool pci = false;
      for (const auto& p : s.at("policies").as_array()) pci |= p.at("name") == "PCI: isolate";
      EXPECT_TRUE(pci);
      EXPECT_GE(s.at("asset_risk").to_number<int>(), s.at("importance").to_number<int>());
    } else if (asset != nullptr) {
      ++on_lan;
      EXPECT_EQ(s.at("asset").at("name"), "lan");
    } else {
      EXPECT_TRUE(s.at("asset").is_null());
      EXPECT_FALSE(report->contains("x_atio_asset"));
    }
    const std::string name(s.at("name").as_string());
    bool scan_policy = false;
    for (const auto& p : s.at("policies").as_array()) scan_policy |= p.at("name") == "Scans";
    std::string lowered = name;
    for (auto& c : lowered) c = static_cast<char>(std::tolower(c));
    EXPECT_EQ(scan_policy, lowered.find("scan") != std::string::npos) << name;
  }
  EXPECT_GT(on_db, 0);
  // The sensor reports the same alerts again (a fresh conversion: new report
  // ids): every detection is seen once more, in the same story.
  auto again = convert_file("suricata", corpus("suricata-eve/alerts/frankhassanabad-wrccdc-2018.alerts-only.json"));
  ASSERT_EQ(again.size(), bundles.size());
  for (std::size_t i = 0; i < again.size(); ++i) {
    auto s = enrich_bundle(&again[i], k, "2026-11-30T00:00:01.000Z");
    ASSERT_TRUE(s.is_ok());
    const std::string id((*s)[0].at("detection_id").as_string());
    EXPECT_EQ((*s)[0].at("count").to_number<std::int64_t>(), occurrences[id] + 1);
    EXPECT_EQ(find_type(again[i], "sighting")->at("id"), find_type(bundles[i], "sighting")->at("id"));
    EXPECT_EQ(find_type(again[i], "sighting")->at("first_seen"),
              find_type(bundles[i], "sighting")->at("first_seen"));
  }
}

TEST(Enrich, CountingTheSameOccurrenceTwiceChangesNothing) {
  auto bundles = convert_file("suricata", corpus("suricata-eve/mixed/assemblyline-alert_http.eve.json"));
  ASSERT_FALSE(bundles.empty());
  AssetIndex index;
  RiskModel risk;
  std::vector<Policy> none;
  MemorySightingBook book;
  Knowledge k{&index, &risk, &none, &book};
  bj::object again = bundles[0];
  auto a = enrich_bundle(&bundles[0], k, "2026-11-30T00:00:00.000Z");
  auto b = enrich_bundle(&again, k, "2026-11-30T00:00:00.000Z");
  ASSERT_TRUE(a.is_ok() && b.is_ok());
  EXPECT_EQ((*a)[0].at("count"), (*b)[0].at("count"));
  ASSERT_TRUE(book.set_external_id((*a)[0].at("detection_id").as_string().c_str(), "misp", "1234").is_ok());
  auto c = enrich_bundle(&bundles[0], k, "2026-11-30T00:00:00.000Z");
  ASSERT_TRUE(c.is_ok());
  EXPECT_EQ((*c)[0].at("misp_id"), "1234");
  EXPECT_EQ(find_type(bundles[0], "report")->at("x_atio_misp_id"), "1234");
}

TEST(Enrich, EveryGvmReportGivesOneDetectionPerAffectedHostAndVulnerability) {
  int files = 0, detections = 0;
  for (const auto& e : fs::recursive_directory_iterator(corpus("openvas"))) {
    const auto ext = e.path().extension();
    if (!e.is_regular_file() || (ext != ".xml" && ext != ".csv")) continue;
    SCOPED_TRACE(e.path().string());
    auto bundles = convert_file("gvm", e.path());
    ++files;
    for (auto& bundle : bundles) {
      std::size_t has = 0;
      for (const auto& v : bundle.at("objects").as_array()) {
        has += v.as_object().at("type") == "relationship" && v.as_object().at("relationship_type") == "has";
      }
      AssetIndex index;
      RiskModel risk;
      std::vector<Policy> none;
      MemorySightingBook book;
      Knowledge k{&index, &risk, &none, &book};
      auto s = enrich_bundle(&bundle, k, "2026-11-30T00:00:00.000Z");
      ASSERT_TRUE(s.is_ok()) << s.status().to_string();
      EXPECT_EQ(s->size(), has);
      detections += static_cast<int>(s->size());
      for (const auto& d : *s) {
        EXPECT_EQ(d.at("kind"), "vulnerability");
        EXPECT_FALSE(d.at("target").as_string().empty());
        const double sev = d.at("severity").to_number<double>();
        EXPECT_EQ(d.at("importance").to_number<int>(), static_cast<int>(std::lround(100 * sev / 10 * 0.75 * 0.8)));
      }
    }
  }
  EXPECT_GE(files, 16);
  EXPECT_GT(detections, 50);
}

TEST(Assets, ProblemsNameTheFieldAndTheRule) {
  json::FieldErrors errors;
  auto r = parse_assets_json(
      bj::parse(R"([{"name":"a","ips":["10.0.0.300"]},{"ips":["10.0.0.1"],"criticality":9},{"name":"c"},{"name":"d","cidrs":["10.0.0.0"],"colour":"red"}])"),
      &errors);
  ASSERT_FALSE(r.is_ok());
  std::set<std::string> pointers;
  for (const auto& e : errors) pointers.insert(e.pointer);
  EXPECT_TRUE(pointers.count("/0/ips/0"));
  EXPECT_TRUE(pointers.count("/1/name"));
  EXPECT_TRUE(pointers.count("/1/criticality"));
  EXPECT_TRUE(pointers.count("/2"));
  EXPECT_TRUE(pointers.count("/3/cidrs/0"));
  EXPECT_TRUE(pointers.count("/3/colour"));
}

TEST(Assets, CsvImportAndMatchingRules) {
  json::FieldErrors errors;
  auto r = parse_assets_csv(
      "name,ips,cidrs,hostnames,owner,tags,criticality\n"
      "web-1,10.1.2.3,,WEB-1.corp.example,web team,\"pci;dmz\",4\n"
      "dmz,,10.1.2.0/24,,net team,dmz,2\n"
      "core,,10.1.0.0/16 2001:db8::/32,,,,3\n",
      &errors);
  ASSERT_TRUE(r.is_ok()) << json::to_text(errors);
  AssetIndex index(*r);
  ASSERT_NE(index.match_address("10.1.2.3"), nullptr);
  EXPECT_EQ(index.match_address("10.1.2.3")->name, "web-1");
  EXPECT_EQ(index.match_address("10.1.2.4")->name, "dmz") << "longest prefix";
  EXPECT_EQ(index.match_address("10.1.9.9")->name, "core");
  EXPECT_EQ(index.match_address("2001:db8:0::7")->name, "core");
  EXPECT_EQ(index.match_address("10.2.0.1"), nullptr);
  EXPECT_EQ(index.match_hostname("web-1.CORP.example")->name, "web-1");
  EXPECT_EQ(index.match_address("10.1.2.3")->tags, (std::vector<std::string>{"pci", "dmz"}));
  auto bad = parse_assets_csv("name,criticality\nx,high\n", &errors);
  ASSERT_FALSE(bad.is_ok());
  EXPECT_EQ(errors.back().pointer, "line 2, column criticality");
}

TEST(Risk, ConfigurationIsCheckedAndApplied) {
  auto m = RiskModel::from_json(bj::parse(R"({"confidence_floor":1,"criticality_weight":{"5":0.5},"alert_severity":{"1":10}})"));
  ASSERT_TRUE(m.is_ok());
  EXPECT_EQ(m->importance(m->alert_severity(1), 0, 5), 50);
  EXPECT_EQ(m->asset_risk({50, 50}), 75);
  auto bad = RiskModel::from_json(bj::parse(R"({"criticality_weight":{"7":0.5}})"));
  ASSERT_FALSE(bad.is_ok());
  EXPECT_NE(bad.status().message().find("risk/criticality_weight/7"), std::string::npos);
}

}  // namespace
}  // namespace atio::enrich
