// The gvm -> stix converter on small inputs written here for the cases the
// corpus does not have: what is not a GVM report, which results are skipped
// or failed and where, GMP responses with several reports, CSV rows that do
// not fit the header, options, and the mapping of single fields.
#include <gtest/gtest.h>

#include "gvm_test_support.h"

namespace atio::convert::testing {
namespace {

// A GVM 22-style export around `results` (each a <result> element).
std::string gmp_report(const std::string& results, const std::string& scan_end = "") {
  return "<report id=\"r1\" format_id=\"a994b278-1f62-11e1-96ac-406186ea4fc5\"><name>n</name>"
         "<task id=\"t\"><name>Weekly scan</name></task><report id=\"r1\"><gmp><version>22.4"
         "</version></gmp><scan_start>2024-01-02T03:04:05+02:00</scan_start>" +
         (scan_end.empty() ? "" : "<scan_end>" + scan_end + "</scan_end>") + "<results>" + results +
         "</results></report></report>";
}

std::string result(const std::string& host, const std::string& port, const std::string& oid,
                   const std::string& threat, const std::string& severity,
                   const std::string& nvt_extra = "", const std::string& host_extra = "") {
  return "<result id=\"res-" + oid + "\"><host>" + host + host_extra + "</host><port>" + port +
         "</port><nvt oid=\"" + oid + "\"><name>NVT " + oid + "</name>" + nvt_extra +
         "</nvt><threat>" + threat + "</threat><severity>" + severity +
         "</severity><description>found it</description></result>";
}

bool has_problem(const Report& r, const std::string& where, const std::string& reason) {
  for (const auto& p : r.problems()) {
    if (p.where == where && p.reason.rfind(reason, 0) == 0) return true;
  }
  return false;
}

TEST(GvmEdge, WhatIsNotAGvmReportIsAnErrorNamingTheInput) {
  const std::pair<std::string, std::string> inputs[] = {
      {"eve.json", "{\"event_type\":\"alert\"}\n"},
      {"other.xml", "<nessus><x/></nessus>"},
      {"broken.xml", "<report><results><result></report>"},
      {"plain.csv", "a,b,c\n1,2,3\n"},
      {"empty.txt", "  \n"},
      {"foreign-report.xml", "<report><title>not GVM</title></report>"},
  };
  for (const auto& [name, text] : inputs) {
    Conversion c = run_text(name, text);
    EXPECT_FALSE(c.status.is_ok()) << name;
    EXPECT_EQ(c.status.code(), Code::kInvalidArgument) << name;
    EXPECT_NE(c.status.to_string().find(name), std::string::npos) << c.status.to_string();
    EXPECT_TRUE(c.bundles.empty()) << name;
  }
  // A real file of another format, by its path.
  const std::string eve = std::string(ATIO_CORPUS_DIR) + "/suricata-eve/edge-cases";
  for (const auto& e : fs::directory_iterator(eve)) {
    Conversion c = run_file(e.path().string());
    EXPECT_FALSE(c.status.is_ok()) << e.path();
    EXPECT_NE(c.status.to_string().find(e.path().string()), std::string::npos);
  }
}

TEST(GvmEdge, SkippedAndFailedResultsSayWhereAndWhy) {
  const std::string xml = gmp_report(
      result("10.0.0.1", "general/tcp", "1.1", "Log", "0.0") +         // 0: informational
      result("10.0.0.1", "22/tcp", "1.2", "False Positive", "-1.0") +  // 1
      result("10.0.0.1", "general/tcp", "1.3", "Error", "-3.0") +      // 2
      result("", "80/tcp", "1.4", "High", "7.5") +                     // 3: no host
      result("10.0.0.1", "80/tcp", "", "High", "7.5") +                // 4: no NVT
      result("10.0.0.1", "443/tcp", "1.6", "Log", "0.0", "<cve>CVE-2020-0001</cve>") +  // 5
      result("10.0.0.1", "443/tcp", "1.7", "High", "8.0"));                             // 6
  Conversion c = run_text("scan.xml", xml);
  ASSERT_TRUE(c.status.is_ok()) << c.status.to_string();
  const Report& r = c.report;
  EXPECT_EQ(r.read(), 7u);
  EXPECT_EQ(r.converted(), 2u);
  EXPECT_EQ(r.skipped(), 3u);
  EXPECT_EQ(r.failed(), 2u);
  EXPECT_TRUE(has_problem(r, "scan.xml record 0", "informational result without a vulnerability"));
  EXPECT_TRUE(has_problem(r, "scan.xml record 1", "false positive"));
  EXPECT_TRUE(has_problem(r, "scan.xml record 2", "scanner error, not a finding"));
  EXPECT_TRUE(has_problem(r, "scan.xml record 3", "result without a host"));
  EXPECT_TRUE(has_problem(r, "scan.xml record 4", "result without an NVT OID"));
  ASSERT_EQ(c.bundles.size(), 1u);
  expect_well_formed(c.bundles[0], "scan.xml");
  // A Log result naming a CVE is a finding.
  auto vulns = of_type(c.bundles[0], "vulnerability");
  ASSERT_EQ(vulns.size(), 2u);
  EXPECT_EQ(str(*vulns[0], "name"), "NVT 1.6");
  EXPECT_EQ(str(*vulns[0], "x_atio_severity"), "log");
  EXPECT_EQ(str(*vulns[1], "x_atio_severity"), "high");
  // The report publishes at the scan start when the scan has no end, in UTC.
  auto report = of_type(c.bundles[0], "report");
  EXPECT_EQ(str(*report[0], "published"), "2024-01-02T01:04:05.000Z");
  EXPECT_EQ(str(*report[0], "name"), "Weekly scan");
}

TEST(GvmEdge, IncludeLogKeepsInformationalResults) {
  const std::string xml =
      gmp_report(result("10.0.0.1", "general/tcp", "1.1", "Log", "0.0"), "2024-01-03T00:00:00Z");
  Conversion c = run_text("log.xml", xml, bj::object{{"include_log", true}});
  ASSERT_TRUE(c.status.is_ok());
  EXPECT_EQ(c.report.converted(), 1u);
  auto vulns = of_type(c.bundles[0], "vulnerability");
  ASSERT_EQ(vulns.size(), 1u);
  EXPECT_EQ(str(*vulns[0], "x_atio_severity"), "log");
  EXPECT_EQ(str(*of_type(c.bundles[0], "report")[0], "published"), "2024-01-03T00:00:00.000Z");
}

TEST(GvmEdge, OptionsAreChecked) {
  Conversion bad = run_text("x.xml", gmp_report(""), bj::object{{"include_logs", true}});
  EXPECT_EQ(bad.status.code(), Code::kInvalidArgument);
  EXPECT_NE(bad.status.to_string().find("include_logs"), std::string::npos);
  Conversion type = run_text("x.xml", gmp_report(""), bj::object{{"include_log", "yes"}});
  EXPECT_EQ(type.status.code(), Code::kInvalidArgument);
}

TEST(GvmEdge, EveryReportOfAGmpResponseIsOneBundle) {
  const std::string one = gmp_report(result("10.0.0.1", "80/tcp", "1.1", "High", "7.5"));
  const std::string two = gmp_report(result("10.0.0.2", "80/tcp", "1.1", "High", "7.5") +
                                     result("10.0.0.2", "80/tcp", "1.2", "Low", "2.0"));
  Conversion c = run_text(
      "resp.xml", "<get_reports_response status=\"200\">" + one + two + "</get_reports_response>");
  ASSERT_TRUE(c.status.is_ok()) << c.status.to_string();
  ASSERT_EQ(c.bundles.size(), 2u);
  EXPECT_EQ(c.report.outputs(), 2u);
  EXPECT_EQ(c.report.converted(), 3u);
  EXPECT_EQ(of_type(c.bundles[0], "relationship").size(), 2u);  // has + consists-of
  EXPECT_EQ(of_type(c.bundles[1], "vulnerability").size(), 2u);
  for (const auto& b : c.bundles) expect_well_formed(b, "resp.xml");
}

TEST(GvmEdge, FieldsMapToStix) {
  const std::string refs =
      "<cvss_base>9.0</cvss_base><refs><ref type=\"cve\" id=\"CVE-2021-44228\"/>"
      "<ref type=\"cwe\" id=\"CWE-502\"/><ref type=\"url\" id=\"https://logging.apache.org/x\"/>"
      "<ref type=\"cert-bund\" id=\"WID-SEC-2021-1\"/></refs>"
      "<tags>cvss_base_vector=CVSS:3.1/AV:N|summary=S|insight=I|solution=Fix</tags>";
  const std::string xml =
      gmp_report(result("2001:DB8::1", "https (443/tcp)", "1.9", "High", "9.0", refs,
                        "<hostname>Web.Example.org</hostname>") +
                 result("2001:db8:0::1", "general/tcp", "1.9", "High", "9.0", refs));
  Conversion c = run_text("f.xml", xml);
  ASSERT_TRUE(c.status.is_ok());
  const bj::object& b = c.bundles[0];
  expect_well_formed(b, "f.xml");
  // One host (the address written two ways), named by its hostname.
  auto infra = of_type(b, "infrastructure");
  ASSERT_EQ(infra.size(), 1u);
  EXPECT_EQ(str(*infra[0], "name"), "Web.Example.org");
  EXPECT_EQ(infra[0]->at("aliases"), (bj::array{"2001:db8::1"}));
  EXPECT_EQ(infra[0]->at("infrastructure_types"), (bj::array{"unknown"}));
  auto ip = of_type(b, "ipv6-addr");
  ASSERT_EQ(ip.size(), 1u);
  EXPECT_EQ(str(*ip[0], "value"), "2001:db8::1");
  auto dn = of_type(b, "domain-name");
  ASSERT_EQ(dn.size(), 1u);
  EXPECT_EQ(str(*dn[0], "value"), "web.example.org");

  auto vulns = of_type(b, "vulnerability");
  ASSERT_EQ(vulns.size(), 1u);
  const bj::object& v = *vulns[0];
  EXPECT_EQ(v.at("x_atio_cvss_score").to_number<double>(), 9.0);
  EXPECT_EQ(str(v, "x_atio_cvss_vector"), "CVSS:3.1/AV:N");
  EXPECT_EQ(str(v, "x_atio_severity"), "critical");
  EXPECT_EQ(str(v, "description"), "S\n\nInsight: I\n\nSolution: Fix");
  std::set<std::pair<std::string, std::string>> ext;
  for (const auto& e : v.at("external_references").as_array()) {
    const bj::object& o = e.as_object();
    ext.insert({str(o, "source_name"), str(o, "external_id") + str(o, "url")});
  }
  EXPECT_TRUE(ext.count({"openvas", "1.9"}));
  EXPECT_TRUE(ext.count({"cve", "CVE-2021-44228"}));
  EXPECT_TRUE(ext.count({"cwe", "CWE-502"}));
  EXPECT_TRUE(ext.count({"cert-bund", "WID-SEC-2021-1"}));
  EXPECT_TRUE(ext.count({"logging.apache.org", "https://logging.apache.org/x"}));

  std::vector<const bj::object*> has;
  for (const bj::object* rel : of_type(b, "relationship")) {
    if (str(*rel, "relationship_type") == "has") has.push_back(rel);
  }
  ASSERT_EQ(has.size(), 2u);
  EXPECT_EQ(str(*has[0], "x_atio_port"), "443/tcp");
  EXPECT_EQ(str(*has[0], "x_atio_service"), "https");
  EXPECT_EQ(str(*has[0], "description"), "found it");
  EXPECT_EQ(has[1]->count("x_atio_port"), 0u);
  EXPECT_EQ(str(*has[1], "x_atio_port_label"), "general/tcp");
}

TEST(GvmEdge, CsvRowsThatDoNotFitTheHeaderFailWithTheirLine) {
  const std::string csv =
      "IP,Hostname,Port,Port Protocol,CVSS,Severity,NVT Name,NVT OID,CVEs,Task Name,Timestamp\n"
      "10.0.0.1,,80,tcp,5.0,Medium,\"A, with comma\",1.1,\"CVE-2020-1234,CVE-2020-1\",T,"
      "2024-05-01T10:00:00Z\n"
      "10.0.0.1,,80,tcp,5.0\n"
      "10.0.0.2,h2,,,7.0,High,\"multi\nline\",1.2,,T,2024-05-01T11:00:00Z\n";
  Conversion c = run_text("r.csv", csv);
  ASSERT_TRUE(c.status.is_ok()) << c.status.to_string();
  EXPECT_EQ(c.report.read(), 3u);
  EXPECT_EQ(c.report.converted(), 2u);
  EXPECT_EQ(c.report.failed(), 1u);
  EXPECT_TRUE(has_problem(c.report, "r.csv line 3 (record 1)", "wrong number of fields"));
  const bj::object& b = c.bundles[0];
  expect_well_formed(b, "r.csv");
  auto report = of_type(b, "report");
  EXPECT_EQ(str(*report[0], "name"), "T");
  EXPECT_EQ(str(*report[0], "published"), "2024-05-01T11:00:00.000Z") << "the latest result";
  auto vulns = of_type(b, "vulnerability");
  ASSERT_EQ(vulns.size(), 2u);
  EXPECT_EQ(str(*vulns[0], "name"), "A, with comma");
  // The OID, the CVE, and the item that is no CVE id kept as another reference.
  const bj::array& ext = vulns[0]->at("external_references").as_array();
  ASSERT_EQ(ext.size(), 3u);
  EXPECT_EQ(str(ext[1].as_object(), "external_id"), "CVE-2020-1234");
  EXPECT_EQ(str(ext[2].as_object(), "source_name"), "openvas-cve");
  EXPECT_EQ(str(*vulns[1], "name"), "multi\nline");
}

TEST(GvmEdge, UnterminatedCsvQuoteFailsTheLastRow) {
  Conversion c = run_text("u.csv", "IP,NVT OID,NVT Name\n10.0.0.1,1.1,ok\n10.0.0.1,1.2,\"open\n");
  ASSERT_TRUE(c.status.is_ok());
  EXPECT_EQ(c.report.converted(), 1u);
  EXPECT_TRUE(has_problem(c.report, "u.csv line 3 (record 1)", "unterminated quoted field"));
}

}  // namespace
}  // namespace atio::convert::testing
