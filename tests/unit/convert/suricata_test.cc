// The Suricata converter on every EVE file of the corpus, checked against
// the input records themselves.
#include "atio/cti/convert/suricata.h"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <filesystem>
#include <functional>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "atio/cti/convert/writer.h"
#include "atio/cti/stix/validate.h"
#include "unit/convert/convert_test_support.h"
#include "atio/cti/stix/ids.h"
#include "atio/cti/stix/object.h"

namespace atio::convert {
namespace {

namespace fs = std::filesystem;

std::string read_file(const fs::path& p) {
  std::ifstream f(p);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

// The records of an EVE file as the test reads them itself: a JSON array, or
// one JSON value per line (lines that do not parse are counted apart).
struct Eve {
  std::vector<bj::object> records;
  std::size_t broken = 0;
};

Eve read_eve(const fs::path& p) {
  Eve eve;
  const std::string text = read_file(p);
  boost::system::error_code ec;
  auto whole = bj::parse(text, ec);
  if (!ec && whole.is_array()) {
    for (auto& v : whole.as_array()) eve.records.push_back(v.as_object());
    return eve;
  }
  std::istringstream lines(text);
  std::string line;
  while (std::getline(lines, line)) {
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    auto v = bj::parse(line, ec);
    if (ec || !v.is_object()) {
      ++eve.broken;
    } else {
      eve.records.push_back(v.as_object());
    }
  }
  return eve;
}

std::vector<fs::path> eve_files() {
  std::vector<fs::path> files;
  for (const auto& e : fs::recursive_directory_iterator(fs::path(ATIO_CORPUS_DIR) / "suricata-eve")) {
    const auto name = e.path().filename().string();
    if (!e.is_regular_file() || e.path().parent_path().filename() == "schema") continue;
    if (name.ends_with(".json") || name.ends_with(".ndjson")) files.push_back(e.path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

std::map<std::string, const bj::object*> by_type(const bj::object& bundle,
                                                  std::multimap<std::string, const bj::object*>* all) {
  std::map<std::string, const bj::object*> first;
  for (const auto& v : bundle.at("objects").as_array()) {
    const auto& o = v.as_object();
    const std::string type(o.at("type").as_string());
    first.emplace(type, &o);
    all->emplace(type, &o);
  }
  return first;
}

const bj::object* find_id(const bj::object& bundle, std::string_view id) {
  for (const auto& v : bundle.at("objects").as_array()) {
    if (v.as_object().at("id").as_string() == id) return &v.as_object();
  }
  return nullptr;
}

TEST(SuricataToStix, EveryAlertOfTheCorpusBecomesABundleThatSaysWhatTheAlertSaid) {
  auto converter = builtin_registry().create("suricata", "stix");
  ASSERT_TRUE(converter.is_ok());
  std::size_t files = 0, alerts_total = 0;
  std::map<std::string, std::string> address_ids;  // value -> SCO id, across all bundles
  for (const auto& path : eve_files()) {
    SCOPED_TRACE(path.string());
    const Eve eve = read_eve(path);
    std::vector<const bj::object*> alerts;
    for (const auto& r : eve.records) {
      if (r.contains("event_type") && r.at("event_type") == "alert") alerts.push_back(&r);
    }
    auto input = open_file(path.string());
    ASSERT_TRUE(input.is_ok());
    CollectingOutput out;
    Report report;
    ASSERT_TRUE((*converter)->convert(**input, out, report).is_ok());
    ++files;
    alerts_total += alerts.size();

    // Every record is accounted for: alerts converted, the rest skipped,
    // broken lines failed.
    EXPECT_EQ(report.read(), eve.records.size() + eve.broken);
    EXPECT_EQ(report.converted(), alerts.size());
    EXPECT_EQ(report.skipped(), eve.records.size() - alerts.size());
    EXPECT_EQ(report.failed(), eve.broken);
    ASSERT_EQ(out.documents.size(), alerts.size());

    for (std::size_t i = 0; i < alerts.size(); ++i) {
      const auto& alert = *alerts[i];
      const auto& a = alert.at("alert").as_object();
      const auto& bundle = out.documents[i].as_object();
      std::multimap<std::string, const bj::object*> all;
      auto first = by_type(bundle, &all);
      ASSERT_TRUE(first.count("report") && first.count("attack-pattern") &&
                  first.count("sighting") && first.count("observed-data") &&
                  first.count("identity"));
      const auto& report_obj = *first["report"];
      EXPECT_EQ(first["attack-pattern"]->at("name"), a.at("signature"));
      EXPECT_EQ(report_obj.at("name").as_string(),
                "Suricata alert: " + std::string(a.at("signature").as_string()));
      // Actor and target are the alert's source and destination.
      const auto* actor = find_id(bundle, report_obj.at("x_atio_actor_ref").as_string());
      const auto* target = find_id(bundle, report_obj.at("x_atio_target_ref").as_string());
      ASSERT_TRUE(actor && target);
      EXPECT_EQ(actor->at("value"), alert.at("src_ip"));
      EXPECT_EQ(target->at("value"), alert.at("dest_ip"));
      for (const auto* addr : {actor, target}) {
        const std::string value(addr->at("value").as_string());
        auto it = address_ids.emplace(value, std::string(addr->at("id").as_string())).first;
        EXPECT_EQ(it->second, addr->at("id").as_string()) << "same address, same id: " << value;
      }
      // Ports and transport protocol on network-traffic.
      ASSERT_TRUE(first.count("network-traffic"));
      const auto& nt = *first["network-traffic"];
      EXPECT_EQ(nt.at("src_ref"), report_obj.at("x_atio_actor_ref"));
      EXPECT_EQ(nt.at("dst_ref"), report_obj.at("x_atio_target_ref"));
      if (alert.contains("src_port")) {
        EXPECT_EQ(nt.at("src_port").to_number<std::int64_t>(),
                  alert.at("src_port").to_number<std::int64_t>());
      }
      if (alert.contains("dest_port")) {
        EXPECT_EQ(nt.at("dst_port").to_number<std::int64_t>(),
                  alert.at("dest_port").to_number<std::int64_t>());
      }
      std::string proto(alert.at("proto").as_string());
      for (auto& c : proto) c = static_cast<char>(std::tolower(c));
      EXPECT_EQ(nt.at("protocols").as_array()[0].as_string(), proto);
      // HTTP context: the host name and URL are observables.
      if (alert.contains("http") && alert.at("http").as_object().contains("hostname")) {
        const auto& host = alert.at("http").at("hostname").as_string();
        const bool is_ip = host.find_first_not_of("0123456789.") == bj::string::npos;
        bool found = false;
        for (auto [it, end] = all.equal_range(is_ip ? "ipv4-addr" : "domain-name"); it != end; ++it) {
          found = found || it->second->at("value") == host;
        }
        EXPECT_TRUE(found) << host;
        EXPECT_TRUE(nt.at("extensions").as_object().contains("http-request-ext"));
      }
      // Confidence follows the documented mapping of the severity.
      EXPECT_EQ(report_obj.at("confidence").to_number<int>(), suricata_confidence(a));
      const auto sev = a.at("severity").to_number<int>();
      if (!a.contains("metadata")) {
        EXPECT_EQ(suricata_confidence(a), sev == 1 ? 80 : sev == 2 ? 60 : sev == 3 ? 40 : 20);
      }
      // Every reference of the report resolves inside the bundle.
      for (const auto& ref : report_obj.at("object_refs").as_array()) {
        EXPECT_NE(find_id(bundle, ref.as_string()), nullptr) << ref;
      }
      EXPECT_EQ(report_obj.at("object_refs").as_array().size(),
                bundle.at("objects").as_array().size() - 1);
      EXPECT_EQ(first["sighting"]->at("sighting_of_ref"), first["attack-pattern"]->at("id"));
      for (const auto& ref : first["observed-data"]->at("object_refs").as_array()) {
        std::string_view type;
        ASSERT_TRUE(stix::split_id(ref.as_string(), &type, nullptr));
        EXPECT_EQ(stix::kind_of(type), stix::Kind::kSco) << ref;
      }
      // Every SCO's id is the one STIX derives from its ID-contributing
      // properties (stix::sco_id from the object as read back), or a random
      // one where it has none.
      for (const auto& v : bundle.at("objects").as_array()) {
        const auto& o = v.as_object();
        const std::string type(o.at("type").as_string());
        if (stix::kind_of(type) != stix::Kind::kSco) continue;
        const std::string expected = stix::sco_id(type, o);
        const std::string_view id = o.at("id").as_string();
        const char version = expected[type.size() + 2 + 14];
        if (version == '5') {
          EXPECT_EQ(id, expected);
        } else {
          EXPECT_EQ(id[type.size() + 2 + 14], '4') << id;
        }
      }
    }
  }
  EXPECT_GE(files, 10u);
  EXPECT_EQ(alerts_total, 416u) << "the corpus README counts 416 alerts";
}

// Every bundle of every corpus alert is valid STIX 2.1: atio's validator
// finds no error, and the OASIS schemas (the oracle) accept every object.
TEST(SuricataToStix, EveryBundleOfTheCorpusIsValidStix) {
  auto converter = builtin_registry().create("suricata", "stix");
  ASSERT_TRUE(converter.is_ok());
  std::vector<bj::object> bundles;
  for (const auto& path : eve_files()) {
    auto input = open_file(path.string());
    ASSERT_TRUE(input.is_ok());
    CollectingOutput out;
    Report report;
    ASSERT_TRUE((*converter)->convert(**input, out, report).is_ok());
    for (auto& d : out.documents) bundles.push_back(d.as_object());
  }
  ASSERT_EQ(bundles.size(), 416u);
  for (std::size_t i = 0; i < bundles.size(); ++i) {
    const stix::Validation v = stix::validate(bundles[i]);
    EXPECT_TRUE(v.ok()) << "bundle " << i << ": " << v.problems.front().pointer << " "
                        << v.problems.front().message;
  }
  std::string why;
  const auto verdicts = testing::run_oracle(
      "stix_schema_oracle.py",
      "--bundles --explain --schemas '" + std::string(ATIO_CORPUS_DIR) + "/stix21-schemas/schemas'",
      bundles, &why);
  ASSERT_TRUE(why.empty()) << why;
  for (std::size_t i = 0; i < verdicts.size(); ++i) EXPECT_EQ(verdicts[i], "valid") << "bundle " << i;
}

TEST(SuricataToStix, ConfidenceRaisedAndLoweredByRuleMetadata) {
  auto alert = [](int severity, std::string_view confidence, std::string_view sig_severity) {
    bj::object metadata;
    if (!confidence.empty()) metadata["confidence"] = bj::array{bj::string(confidence)};
    if (!sig_severity.empty()) metadata["signature_severity"] = bj::array{bj::string(sig_severity)};
    return bj::object{{"severity", severity}, {"metadata", metadata}};
  };
  EXPECT_EQ(suricata_confidence(alert(1, "High", "Critical")), 100);
  EXPECT_EQ(suricata_confidence(alert(2, "Low", "")), 45);
  EXPECT_EQ(suricata_confidence(alert(3, "Medium", "Informational")), 30);
  EXPECT_EQ(suricata_confidence(alert(4, "low", "minor")), 0);
}

std::vector<bj::object> convert_text(const std::string& text, Report* report) {
  auto converter = builtin_registry().create("suricata", "stix", bj::object{{"sensor", "ids-1"}});
  EXPECT_TRUE(converter.is_ok());
  auto in = string_input("test", text);
  CollectingOutput out;
  EXPECT_TRUE((*converter)->convert(*in, out, *report).is_ok());
  std::vector<bj::object> docs;
  for (auto& d : out.documents) docs.push_back(d.as_object());
  return docs;
}

TEST(SuricataToStix, ContextOfAnEarlierRecordOfTheSameFlowIsAttached) {
  Report report;
  auto docs = convert_text(
      R"({"timestamp":"2024-01-01T00:00:00+0100","flow_id":7,"event_type":"dns","src_ip":"10.0.0.1","dest_ip":"10.0.0.53","proto":"UDP","dns":{"type":"query","rrname":"evil.example"}})"
      "\n"
      R"({"timestamp":"2024-01-01T00:00:01+0100","flow_id":7,"event_type":"alert","src_ip":"10.0.0.1","src_port":5353,"dest_ip":"10.0.0.53","dest_port":53,"proto":"UDP","alert":{"signature":"DNS query for a known bad domain","signature_id":9,"severity":1,"metadata":{"mitre_technique_id":["T1071.004"],"mitre_tactic_name":["Command_And_Control"]}}})"
      "\n",
      &report);
  ASSERT_EQ(docs.size(), 1u);
  EXPECT_EQ(report.skipped(), 1u);
  bool domain = false, technique = false, phase = false, sensor = false, time = false;
  for (const auto& v : docs[0].at("objects").as_array()) {
    const auto& o = v.as_object();
    if (o.at("type") == "domain-name") domain = o.at("value") == "evil.example";
    if (o.at("type") == "identity") sensor = o.at("name") == "ids-1";
    if (o.at("type") == "sighting") time = o.at("first_seen") == "2023-12-31T23:00:01.000Z";
    if (o.at("type") == "attack-pattern") {
      for (const auto& r : o.at("external_references").as_array()) {
        technique = technique || (r.at("external_id") == "T1071.004" &&
                                  r.at("url") == "https://attack.mitre.org/techniques/T1071/004/");
      }
      phase = o.at("kill_chain_phases").as_array()[0].at("phase_name") == "command-and-control";
    }
  }
  EXPECT_TRUE(domain);
  EXPECT_TRUE(technique);
  EXPECT_TRUE(phase);
  EXPECT_TRUE(sensor);
  EXPECT_TRUE(time);
}

TEST(SuricataToStix, UnusableAlertsAreReportedWithLineAndFieldAndTheRestConverted) {
  Report report;
  auto docs = convert_text(
      R"({"timestamp":"yesterday","event_type":"alert","src_ip":"1.2.3.4","dest_ip":"5.6.7.8","alert":{"signature":"x"}})" "\n"
      R"({"timestamp":"2024-01-01T00:00:00Z","event_type":"alert","dest_ip":"5.6.7.8","alert":{"signature":"x"}})" "\n"
      R"({"timestamp":"2024-01-01T00:00:00Z","event_type":"alert","src_ip":"1.2.3.4","dest_ip":"5.6.7.8","alert":{}})" "\n"
      R"({"timestamp":"2024-01-01T00:00:00Z","event_type":"alert","src_ip":"10.0.0.999","dest_ip":"5.6.7.8","alert":{"signature":"x"}})" "\n"
      R"([1,2])" "\n"
      R"({"timestamp":"2024-01-01T00:00:00Z","event_type":"alert","src_ip":"2001:db8::1","dest_ip":"5.6.7.8","alert":{"signature":"ok"}})" "\n",
      &report);
  EXPECT_EQ(docs.size(), 1u);
  EXPECT_EQ(report.read(), 6u);
  EXPECT_EQ(report.failed(), 5u);
  ASSERT_EQ(report.problems().size(), 5u);
  EXPECT_EQ(report.problems()[0].where, "test line 1 (record 0)");
  EXPECT_NE(report.problems()[0].reason.find("timestamp"), std::string::npos);
  EXPECT_NE(report.problems()[1].reason.find("src_ip"), std::string::npos);
  EXPECT_NE(report.problems()[2].reason.find("alert.signature"), std::string::npos);
  EXPECT_NE(report.problems()[3].reason.find("src_ip: '10.0.0.999' is not an IPv4"), std::string::npos);
  EXPECT_NE(report.problems()[4].reason.find("not a JSON object"), std::string::npos);
  bool v6 = false;
  for (const auto& v : docs[0].at("objects").as_array()) {
    v6 = v6 || v.as_object().at("type") == "ipv6-addr";
  }
  EXPECT_TRUE(v6);
}

// Values a broken or hostile sensor (or an attacker's Host header) could put
// in any field of an alert: the converter checks each value as it writes it
// and does not run the full validator at run time, so every bundle it still
// makes must pass the full validator, and every alert it refuses must be
// refused with a field named.
TEST(SuricataToStix, HostileValuesInAnyFieldGiveValidStixOrAFieldError) {
  // One alert of each corpus file, and one with every context the converter
  // reads (http, dns, tls, fileinfo, files, ATT&CK metadata).
  std::vector<bj::object> alerts;
  for (const auto& path : eve_files()) {
    for (const auto& r : read_eve(path).records) {
      if (r.contains("event_type") && r.at("event_type") == "alert" && r.contains("alert")) {
        alerts.push_back(r);
        break;
      }
    }
  }
  alerts.push_back(bj::parse(R"({"timestamp":"2024-01-01T00:00:00Z","flow_id":1,"event_type":"alert",
    "src_ip":"10.0.0.1","src_port":1,"dest_ip":"10.0.0.2","dest_port":80,"proto":"TCP","app_proto":"http",
    "host":"s1","community_id":"1:x","flow":{"start":"2024-01-01T00:00:00Z"},
    "alert":{"signature":"s","signature_id":1,"gid":1,"rev":1,"severity":2,"category":"c","action":"allowed",
      "source":{"ip":"10.0.0.1","port":1},"target":{"ip":"10.0.0.2","port":80},
      "metadata":{"mitre_technique_id":["T1071.004"],"mitre_tactic_name":["Command_And_Control"],
                  "confidence":["High"],"signature_severity":["Major"]}},
    "http":{"hostname":"h.example","url":"/a","http_method":"GET","protocol":"HTTP/1.1","http_user_agent":"ua"},
    "dns":{"rrname":"d.example","query":[{"rrname":"q.example"}]},
    "tls":{"sni":"t.example","subject":"CN=t","issuerdn":"CN=i","serial":"01",
           "fingerprint":"aa:bb:cc:dd:ee:ff:00:11:22:33:44:55:66:77:88:99:aa:bb:cc:dd",
           "notbefore":"2024-01-01T00:00:00","notafter":"2025-01-01T00:00:00"},
    "fileinfo":{"filename":"f","md5":"0123456789abcdef0123456789abcdef","size":3},
    "files":[{"filename":"g","sha256":"0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"}]})")
                       .as_object());
  const std::vector<bj::value> hostile = {
      "", "999.1.1.1", "1.2.3.4/8", "fe80::1%eth0", "::1", "example.com:80", "CVE-2021-44228",
      "CAPEC-1", "T1059", "T10", bj::string(std::string("\0\x1f\"\\", 4)), "\xc3\xbc" "n",
      -1, 65536, 1e300, INT64_MAX, UINT64_MAX, true, nullptr, bj::array{}, bj::object{},
      bj::array{"CVE-2020-0001"}, "2024-13-45T99:99:99Z", "2024-01-01T00:00:00.123456789+05:30"};
  std::size_t converted = 0, refused = 0;
  for (const auto& alert : alerts) {
    // Every leaf of the alert, by its path from the top.
    std::vector<std::vector<std::string>> leaves;
    std::function<void(const bj::value&, std::vector<std::string>)> collect =
        [&](const bj::value& v, std::vector<std::string> path) {
          if (v.is_object()) {
            for (const auto& kv : v.get_object()) {
              auto p = path;
              p.emplace_back(kv.key());
              collect(kv.value(), p);
            }
          } else if (!path.empty()) {
            leaves.push_back(path);
          }
        };
    collect(alert, {});
    for (const auto& path : leaves) {
      if (path.size() == 1 && path[0] == "event_type") continue;
      for (const auto& value : hostile) {
        bj::value changed = alert;
        bj::value* at = &changed;
        for (const auto& key : path) at = &at->as_object()[key];
        *at = value;
        Report report;
        auto docs = convert_text(bj::serialize(changed) + "\n", &report);
        std::string where;
        for (const auto& key : path) where += "/" + key;
        where += " = " + bj::serialize(value);
        if (docs.empty()) {
          ASSERT_EQ(report.failed(), 1u) << where;
          EXPECT_NE(report.problems()[0].reason.find(": "), std::string::npos) << where;
          ++refused;
          continue;
        }
        ASSERT_EQ(docs.size(), 1u) << where;
        const stix::Validation v = stix::validate(docs[0]);
        ASSERT_TRUE(v.ok()) << where << ": " << v.problems.front().pointer << " "
                            << v.problems.front().message;
        ++converted;
      }
    }
  }
  EXPECT_GT(converted, 1000u);
  EXPECT_GT(refused, 100u);
}

TEST(SuricataToStix, AHostThatLooksLikeAnAddressButIsNoneGivesNoObservableYetTheAlertGoesOn) {
  Report report;
  auto docs = convert_text(
      R"({"timestamp":"2024-01-01T00:00:00Z","event_type":"alert","src_ip":"10.0.0.1","dest_ip":"10.0.0.2","proto":"TCP","alert":{"signature":"x"},"http":{"hostname":"10.0.0.999","url":"/x"}})"
      "\n",
      &report);
  ASSERT_EQ(docs.size(), 1u);
  std::set<std::string> values;
  for (const auto& v : docs[0].at("objects").as_array()) {
    if (v.as_object().contains("value")) values.insert(std::string(v.at("value").as_string()));
  }
  EXPECT_EQ(values, (std::set<std::string>{"10.0.0.1", "10.0.0.2", "http://10.0.0.999/x"}));
  EXPECT_TRUE(stix::validate(docs[0]).ok());
}

TEST(SuricataToStix, UnknownOptionIsRefusedByName) {
  auto c = builtin_registry().create("suricata", "stix", bj::object{{"sensr", "x"}});
  ASSERT_FALSE(c.is_ok());
  EXPECT_NE(c.status().message().find("sensr"), std::string::npos);
}

}  // namespace
}  // namespace atio::convert
