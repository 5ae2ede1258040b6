// stix -> iris on every STIX file of the corpus and on the bundles the
// winlog converter makes of the whole Windows corpus. Every alert is judged
// by tests/tools/iris_alert_oracle.py (the IRIS OpenAPI request schemas,
// via Python jsonschema); the IOC checks read the input bundle themselves.
#include <gtest/gtest.h>

#include <regex>
#include <set>

#include "atio/core/json.h"
#include "unit/convert/convert_test_support.h"

namespace atio::convert {
namespace {

using namespace testing;

// The IRIS ioc type ids of a fresh install (dfir-iris/iris-web post_init.py
// create_safe_ioctypes, 1-based in order; the corpus examples confirm
// domain 20 and url 141).
constexpr int kDomain = 20, kEmailDst = 25, kEmailSrc = 31, kIpAny = 76, kIpDst = 77,
              kIpSrc = 79, kMd5 = 90, kSha1 = 111, kSha256 = 113, kSha512 = 119, kUrl = 141;

std::vector<std::string> stix_files() {
  std::vector<std::string> files = data_files(corpus("stix-bundles"));
  for (const auto& f : data_files(corpus("stix21-schemas/examples"))) files.push_back(f);
  for (const auto& f : data_files(corpus("stix21-schemas/validator-test-examples"))) {
    files.push_back(f);
  }
  return files;
}

struct Case {
  std::string name;
  bj::object alert;
};

// Every alert the converter makes from the corpus, with where it came from.
const std::vector<Case>& corpus_alerts() {
  static const std::vector<Case> cases = [] {
    std::vector<Case> out;
    auto iris = builtin_registry().create("stix", "iris");
    EXPECT_TRUE(iris.is_ok()) << iris.status().to_string();
    for (const auto& file : stix_files()) {
      Conversion r = run_file(**iris, file);
      EXPECT_TRUE(r.status.is_ok()) << file << ": " << r.status.to_string();
      for (auto& d : r.docs) out.push_back({file, std::move(d)});
    }
    auto winlog = builtin_registry().create("winlog", "stix");
    EXPECT_TRUE(winlog.is_ok());
    for (const auto& file : data_files(corpus("windows-logs"))) {
      Conversion bundles = run_file(**winlog, file);
      std::string ndjson;
      for (const auto& b : bundles.docs) ndjson += json::dump(b) + "\n";
      Conversion r = run_string(**iris, ndjson);
      EXPECT_EQ(r.report.converted(), bundles.docs.size()) << file;
      EXPECT_EQ(r.docs.size(), bundles.docs.size()) << file;
      for (auto& d : r.docs) out.push_back({file + " (winlog)", std::move(d)});
    }
    return out;
  }();
  return cases;
}

TEST(StixToIris, EveryRecordOfEveryStixFileIsAccountedFor) {
  auto iris = builtin_registry().create("stix", "iris");
  ASSERT_TRUE(iris.is_ok());
  for (const auto& file : stix_files()) {
    SCOPED_TRACE(file);
    Conversion r = run_file(**iris, file);
    ASSERT_TRUE(r.status.is_ok()) << r.status.to_string();
    const Report& rep = r.report;
    EXPECT_EQ(rep.read(), rep.converted() + rep.skipped() + rep.failed());
    auto doc = json::parse_file(file, {64u << 20, 128});
    if (!doc.is_ok()) {  // broken on purpose: nothing converted, the breakage reported
      EXPECT_GE(rep.failed(), 1u);
      EXPECT_TRUE(r.docs.empty());
      continue;
    }
    const bj::value& v = *doc;
    if (v.is_array()) {  // a bare array of STIX objects: one alert for all of them
      EXPECT_EQ(rep.converted(), v.as_array().size());
      EXPECT_EQ(r.docs.size(), 1u);
    } else if (str(v.as_object(), "id").find("--") == std::string::npos) {  // not STIX
      EXPECT_EQ(rep.skipped(), 1u);
      EXPECT_TRUE(r.docs.empty());
    } else {  // one bundle, or one object
      EXPECT_EQ(rep.converted(), 1u);
      ASSERT_EQ(r.docs.size(), 1u);
      if (str(v.as_object(), "type") == "bundle") {
        // The whole bundle travels as the source content.
        EXPECT_EQ(r.docs[0].at("alert_source_content"), v);
      }
    }
  }
}

TEST(StixToIris, EveryAlertMatchesTheIrisRequestSchema) {
  const auto& cases = corpus_alerts();
  ASSERT_GT(cases.size(), 700u);
  std::vector<bj::object> alerts;
  for (const auto& c : cases) alerts.push_back(c.alert);
  std::string why;
  const auto verdicts = run_oracle("iris_alert_oracle.py",
                                   "--openapi '" + corpus("iris/openapi/v2.1.0") + "'", alerts, &why);
  ASSERT_TRUE(why.empty()) << why;
  ASSERT_EQ(verdicts.size(), cases.size());
  for (std::size_t i = 0; i < cases.size(); ++i) {
    EXPECT_EQ(verdicts[i], "valid") << cases[i].name;
  }
}

bool has_ioc(const bj::object& alert, const std::string& value, const std::set<int>& types) {
  for (const auto& i : alert.at("alert_iocs").as_array()) {
    const auto& ioc = i.as_object();
    std::string a = str(ioc, "ioc_value"), b = value;
    for (auto* s : {&a, &b}) {
      for (char& c : *s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    if (a == b && types.count(static_cast<int>(ioc.at("ioc_type_id").as_int64()))) return true;
  }
  return false;
}

TEST(StixToIris, EveryAddressDomainUrlAndHashBecomesAnIoc) {
  const std::map<std::string, int> hash_types = {
      {"MD5", kMd5}, {"SHA-1", kSha1}, {"SHA-256", kSha256}, {"SHA-512", kSha512}};
  std::size_t checked = 0;
  for (const auto& c : corpus_alerts()) {
    const auto& bundle = c.alert.at("alert_source_content").as_object();
    // Roles from the bundle's network-traffic and email-message objects.
    std::map<std::string, int> role;
    for (const auto& o : bundle.at("objects").as_array()) {
      const auto& obj = o.as_object();
      if (str(obj, "type") == "network-traffic") {
        if (!str(obj, "src_ref").empty()) role[str(obj, "src_ref")] |= 1;
        if (!str(obj, "dst_ref").empty()) role[str(obj, "dst_ref")] |= 2;
      }
    }
    for (const auto& o : bundle.at("objects").as_array()) {
      const auto& obj = o.as_object();
      const std::string type = str(obj, "type"), value = str(obj, "value");
      SCOPED_TRACE(c.name + " " + str(obj, "id"));
      if (type == "ipv4-addr" || type == "ipv6-addr") {
        const int r = role.count(str(obj, "id")) ? role[str(obj, "id")] : 0;
        EXPECT_TRUE(has_ioc(c.alert, value, r == 1   ? std::set<int>{kIpSrc, kIpAny}
                                            : r == 2 ? std::set<int>{kIpDst, kIpAny}
                                                     : std::set<int>{kIpAny, kIpSrc, kIpDst}));
        if (r == 1 || r == 2) {
          // A role-only address is filed with that role (unless another
          // object with the same address has no role).
          EXPECT_TRUE(has_ioc(c.alert, value, {r == 1 ? kIpSrc : kIpDst, kIpAny}));
        }
        ++checked;
      } else if (type == "domain-name") {
        EXPECT_TRUE(has_ioc(c.alert, value, {kDomain}));
        ++checked;
      } else if (type == "url") {
        EXPECT_TRUE(has_ioc(c.alert, value, {kUrl}));
        ++checked;
      } else if (type == "email-addr") {
        EXPECT_TRUE(has_ioc(c.alert, value, {kEmailSrc, kEmailDst}));
        ++checked;
      } else if (type == "file" || type == "artifact") {
        if (auto* hashes = obj.if_contains("hashes")) {
          for (const auto& h : hashes->as_object()) {
            auto it = hash_types.find(std::string(h.key()));
            if (it == hash_types.end()) continue;
            EXPECT_TRUE(has_ioc(c.alert, std::string(h.value().as_string()), {it->second}));
            ++checked;
          }
        }
      }
    }
  }
  EXPECT_GT(checked, 200u);
}

TEST(StixToIris, IndicatorPatternValuesBecomeIocs) {
  static const std::regex kCmp(
      R"(\[?(url|domain-name|ipv4-addr|ipv6-addr):value\s*=\s*'([^']*)')");
  static const std::regex kHash(R"(file:hashes\.'?(MD5|SHA-256|SHA-1)'?\s*=\s*'([^']*)')");
  std::size_t checked = 0;
  for (const auto& c : corpus_alerts()) {
    const auto& bundle = c.alert.at("alert_source_content").as_object();
    for (const auto& o : bundle.at("objects").as_array()) {
      const auto& obj = o.as_object();
      if (str(obj, "type") != "indicator" || str(obj, "pattern_type") != "stix") continue;
      const std::string pattern = str(obj, "pattern");
      for (std::sregex_iterator it(pattern.begin(), pattern.end(), kCmp), end; it != end; ++it) {
        const std::string t = (*it)[1];
        const std::set<int> types = t == "url"           ? std::set<int>{kUrl}
                                    : t == "domain-name" ? std::set<int>{kDomain}
                                                         : std::set<int>{kIpAny};
        EXPECT_TRUE(has_ioc(c.alert, (*it)[2], types)) << c.name << " " << pattern;
        ++checked;
      }
      for (std::sregex_iterator it(pattern.begin(), pattern.end(), kHash), end; it != end; ++it) {
        const std::string alg = (*it)[1];
        const int type = alg == "MD5" ? kMd5 : alg == "SHA-1" ? kSha1 : kSha256;
        EXPECT_TRUE(has_ioc(c.alert, (*it)[2], {type})) << c.name << " " << pattern;
        ++checked;
      }
    }
  }
  EXPECT_GE(checked, 15u);
}

TEST(StixToIris, ReportsGiveTitleAndReference) {
  int reports = 0;
  for (const auto& c : corpus_alerts()) {
    const auto& bundle = c.alert.at("alert_source_content").as_object();
    for (const auto& o : bundle.at("objects").as_array()) {
      const auto& obj = o.as_object();
      if (str(obj, "type") != "report") continue;
      EXPECT_EQ(str(c.alert, "alert_title"), str(obj, "name"));
      EXPECT_EQ(str(c.alert, "alert_source_ref"), str(obj, "id"));
      EXPECT_EQ(str(c.alert, "alert_source_event_time"), str(obj, "published"));
      ++reports;
      break;
    }
  }
  EXPECT_EQ(reports, 1);  // apt1.json
}

TEST(StixToIris, WindowsEventsBecomeAlertsAboutTheirHost) {
  std::size_t seen = 0, notable = 0;
  for (const auto& c : corpus_alerts()) {
    if (!c.name.ends_with("(winlog)")) continue;
    const auto& bundle = c.alert.at("alert_source_content").as_object();
    const bj::object* od = of_type(bundle, "observed-data").at(0);
    const std::string host = str(*od, "x_windows_computer");
    SCOPED_TRACE(c.name + " " + str(*od, "id"));
    EXPECT_EQ(str(c.alert, "alert_source_event_time"), str(*od, "first_observed"));
    EXPECT_EQ(str(c.alert, "alert_source_ref"), str(*od, "id"));
    EXPECT_NE(str(c.alert, "alert_title").find(str(*od, "x_windows_event_id")), std::string::npos);
    EXPECT_EQ(c.alert.at("alert_status_id").as_int64(), 2);  // New
    EXPECT_EQ(c.alert.at("alert_customer_id").as_int64(), 1);
    const auto& assets = c.alert.at("alert_assets").as_array();
    ASSERT_EQ(assets.size(), 1u);
    EXPECT_EQ(str(assets[0].as_object(), "asset_name"), host);
    EXPECT_EQ(assets[0].as_object().at("asset_type_id").as_int64(), 9);  // Windows - Computer
    if (auto dot = host.find('.'); dot != std::string::npos) {
      EXPECT_EQ(str(assets[0].as_object(), "asset_domain"), host.substr(dot + 1));
    }
    const bool is_notable = od->contains("x_atio_notable");
    // Notable events without a severity of their own are Medium (4), the others Unspecified (1).
    EXPECT_EQ(c.alert.at("alert_severity_id").as_int64(), is_notable ? 4 : 1);
    EXPECT_EQ(str(c.alert, "alert_tags").find("notable") != std::string::npos, is_notable);
    EXPECT_EQ(str(c.alert.at("alert_context").as_object(), "x_atio_event_class"),
              str(*od, "x_atio_event_class"));
    notable += is_notable;
    ++seen;
  }
  EXPECT_EQ(seen, 700u);
  EXPECT_GT(notable, 70u);
}

}  // namespace
}  // namespace atio::convert
