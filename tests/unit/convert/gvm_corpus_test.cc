// The gvm -> stix converter on every report of the openvas corpus, each
// output checked against the input read independently: the XML with
// pugixml's DOM walked here, the CSV with Python's csv module
// (tests/tools/gvm_csv_oracle.py).
#include <arpa/inet.h>
#include <gtest/gtest.h>

#include <cstdio>
#include <optional>
#include <pugixml.hpp>
#include <regex>

#include "gvm_test_support.h"

namespace atio::convert::testing {
namespace {

// One result or row as the input states it.
struct Row {
  std::size_t line = 0;                   // CSV only
  std::string host, hostname, oid, port;  // port "443/tcp", "" when none is named
  std::set<std::string> cves;
  std::optional<double> score;  // the result's level: its score...
  std::string threat;           // ...else its threat word
  std::optional<double> nvt_score;
};

std::string trimmed(std::string s) {
  const char* ws = " \t\r\n";
  s.erase(0, s.find_first_not_of(ws));
  s.erase(s.find_last_not_of(ws) + 1);
  return s;
}

std::optional<double> number(const std::string& s) {
  std::string t = trimmed(s);
  if (t.empty()) return std::nullopt;
  char* end = nullptr;
  double v = std::strtod(t.c_str(), &end);
  if (*end != '\0') return std::nullopt;
  return v;
}

void add_cves(const std::string& text, std::set<std::string>* out) {
  static const std::regex cve("CVE-[0-9]{4}-[0-9]{4,}");
  for (std::sregex_iterator it(text.begin(), text.end(), cve), end; it != end; ++it) {
    out->insert(it->str());
  }
}

// "http (80/tcp)" / "80/tcp" -> "80/tcp"; "general/tcp" -> "".
std::string port_key(const std::string& text) {
  static const std::regex port("([0-9]+)/([a-z]+)");
  std::smatch m;
  return std::regex_search(text, m, port) ? m.str(0) : "";
}

// The documented rule: Log results (score 0, else threat "Log") naming no CVE are skipped.
bool expect_skipped(const Row& r) {
  bool log = r.score
                 ? *r.score == 0.0
                 : (r.threat == "Log" || (r.threat.empty() && r.nvt_score && *r.nvt_score == 0.0));
  return log && r.cves.empty();
}

// CVSS v3.1 specification, section 5 (qualitative severity rating scale),
// with GVM's "Log" for "None".
std::string cvss_rating(double score) {
  if (score >= 9.0) return "critical";
  if (score >= 7.0) return "high";
  if (score >= 4.0) return "medium";
  if (score >= 0.1) return "low";
  return "log";
}

void collect_results(const pugi::xml_node& n, std::vector<pugi::xml_node>* out) {
  for (pugi::xml_node c : n.children()) {
    if (std::string(c.name()) == "result" && std::string(n.name()) == "results") out->push_back(c);
    collect_results(c, out);
  }
}

std::vector<Row> xml_rows(const std::string& path) {
  pugi::xml_document doc;
  EXPECT_TRUE(doc.load_file(path.c_str())) << path;
  std::vector<pugi::xml_node> results;
  if (std::string(doc.document_element().name()) == "result") {
    results.push_back(doc.document_element());
  } else {
    collect_results(doc, &results);
  }
  std::vector<Row> rows;
  for (const pugi::xml_node& res : results) {
    Row r;
    for (pugi::xml_node c : res.child("host").children()) {
      if (c.type() == pugi::node_pcdata) r.host += c.value();
    }
    r.host = trimmed(r.host);
    r.hostname = trimmed(res.child("host").child_value("hostname"));
    pugi::xml_node nvt = res.child("nvt");
    r.oid = nvt.attribute("oid").value();
    r.port = port_key(res.child_value("port"));
    for (pugi::xml_node cve : nvt.children("cve")) add_cves(cve.child_value(), &r.cves);
    for (pugi::xml_node ref : nvt.child("refs").children("ref")) {
      if (std::string(ref.attribute("type").value()) == "cve")
        add_cves(ref.attribute("id").value(), &r.cves);
    }
    r.score = number(res.child_value("severity"));
    r.threat = trimmed(res.child_value("threat"));
    r.nvt_score = number(nvt.child_value("cvss_base"));
    if (!r.nvt_score) r.nvt_score = number(nvt.child("severities").attribute("score").value());
    rows.push_back(std::move(r));
  }
  return rows;
}

std::vector<Row> csv_rows(const std::string& path) {
  const std::string cmd = "/usr/bin/python3 '" + std::string(ATIO_SOURCE_DIR) +
                          "/tests/tools/gvm_csv_oracle.py' '" + path + "'";
  std::string output;
  if (FILE* p = ::popen(cmd.c_str(), "r")) {
    char buf[4096];
    std::size_t n;
    while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) output.append(buf, n);
    EXPECT_EQ(::pclose(p), 0) << "the CSV oracle failed (needs /usr/bin/python3): " << cmd;
  }
  std::vector<Row> rows;
  boost::system::error_code ec;
  bj::value doc = bj::parse(output, ec);
  if (ec) {
    ADD_FAILURE() << "CSV oracle output is not JSON: " << output.substr(0, 300);
    return rows;
  }
  for (const auto& v : doc.at("rows").as_array()) {
    const bj::object& f = v.at("fields").as_object();
    auto get = [&](const char* k) { return trimmed(str(f, k)); };
    Row r;
    r.line = v.at("line").to_number<std::size_t>();
    r.host = get("IP");
    r.hostname = get("Hostname");
    r.oid = get("NVT OID");
    if (!get("Port").empty()) r.port = get("Port") + "/" + get("Port Protocol");
    add_cves(get("CVEs"), &r.cves);
    r.score = number(get("CVSS"));
    r.threat = get("Severity");
    r.nvt_score = r.score;
    rows.push_back(std::move(r));
  }
  return rows;
}

// The canonical text of an IP address, "" when `s` is none.
std::string canonical_ip(const std::string& s, std::string* type) {
  unsigned char b[16];
  char out[INET6_ADDRSTRLEN];
  if (::inet_pton(AF_INET, s.c_str(), b) == 1) {
    *type = "ipv4-addr";
    return ::inet_ntop(AF_INET, b, out, sizeof out);
  }
  if (::inet_pton(AF_INET6, s.c_str(), b) == 1) {
    *type = "ipv6-addr";
    return ::inet_ntop(AF_INET6, b, out, sizeof out);
  }
  return "";
}

// Ids of the SCOs an infrastructure consists of, by infrastructure id.
std::map<std::string, std::set<std::string>> parts_of(const bj::object& bundle) {
  std::map<std::string, std::set<std::string>> parts;
  for (const bj::object* rel : of_type(bundle, "relationship")) {
    if (str(*rel, "relationship_type") == "consists-of") {
      parts[str(*rel, "source_ref")].insert(str(*rel, "target_ref"));
    }
  }
  return parts;
}

// The infrastructure standing for host `row` (by its IP SCO, else by name).
std::string infrastructure_of(const bj::object& bundle, const Row& row) {
  std::string type;
  const std::string ip = canonical_ip(row.host, &type);
  std::map<std::string, std::string> value_of;
  for (const char* t : {"ipv4-addr", "ipv6-addr"}) {
    for (const bj::object* o : of_type(bundle, t)) value_of[str(*o, "id")] = str(*o, "value");
  }
  auto parts = parts_of(bundle);
  for (const bj::object* infra : of_type(bundle, "infrastructure")) {
    const std::string id = str(*infra, "id");
    if (!ip.empty()) {
      for (const std::string& part : parts[id]) {
        if (value_of.count(part) && value_of[part] == ip) return id;
      }
      continue;
    }
    std::set<std::string> names{str(*infra, "name")};
    if (auto it = infra->find("aliases"); it != infra->end()) {
      for (const auto& a : it->value().as_array()) names.insert(std::string(a.as_string()));
    }
    if (names.count(row.host)) return id;
  }
  return "";
}

std::string openvas_id(const bj::object& vulnerability) {
  for (const auto& r : vulnerability.at("external_references").as_array()) {
    if (str(r.as_object(), "source_name") == "openvas") return str(r.as_object(), "external_id");
  }
  return "";
}

std::set<std::string> sco_ids(const bj::object& bundle) {
  std::set<std::string> ids;
  for (const char* t : {"ipv4-addr", "ipv6-addr", "domain-name"}) {
    for (const bj::object* o : of_type(bundle, t)) ids.insert(str(*o, "id"));
  }
  return ids;
}

class GvmCorpus : public ::testing::TestWithParam<std::string> {};

TEST_P(GvmCorpus, EveryResultIsAccountedForAndMapped) {
  const std::string path = GetParam();
  const bool csv = path.size() > 4 && path.substr(path.size() - 4) == ".csv";
  const std::vector<Row> rows = csv ? csv_rows(path) : xml_rows(path);
  Conversion out = run_file(path);
  ASSERT_TRUE(out.status.is_ok()) << out.status.to_string();
  ASSERT_EQ(out.bundles.size(), 1u) << "one bundle per report";
  const bj::object& bundle = out.bundles[0];
  expect_well_formed(bundle, path);

  // Every result is read once and ends as converted or skipped, for the documented reason.
  const Report& rep = out.report;
  EXPECT_EQ(rep.read(), rows.size());
  EXPECT_EQ(rep.converted() + rep.skipped() + rep.failed(), rep.read());
  EXPECT_EQ(rep.failed(), 0u);
  std::size_t skipped = 0;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    if (!expect_skipped(rows[i])) continue;
    ++skipped;
    // Each skip names its record (and its line in a CSV file).
    const std::string where = Report::where(path, Location{rows[i].line, i});
    EXPECT_TRUE(std::any_of(rep.problems().begin(), rep.problems().end(), [&](const auto& p) {
      return p.where == where &&
             p.reason.rfind("informational result without a vulnerability", 0) == 0;
    })) << where;
  }
  EXPECT_EQ(rep.skipped(), skipped);
  EXPECT_EQ(rep.outputs(), 1u);

  std::map<std::string, const bj::object*> vuln_by_oid;
  for (const bj::object* v : of_type(bundle, "vulnerability")) vuln_by_oid[openvas_id(*v)] = v;
  std::map<std::string, std::string> oid_of_vuln;
  for (const auto& [oid, v] : vuln_by_oid) oid_of_vuln[str(*v, "id")] = oid;

  // Each converted result is one has-relationship: host, NVT and port as the input says.
  std::multiset<std::tuple<std::string, std::string, std::string>> expected, actual;
  std::set<std::string> oids;
  for (const Row& r : rows) {
    if (expect_skipped(r)) continue;
    oids.insert(r.oid);
    const std::string infra = infrastructure_of(bundle, r);
    EXPECT_FALSE(infra.empty()) << "no infrastructure for host " << r.host;
    expected.insert({infra, r.oid, r.port});
    // Every CVE the input lists is an external reference of the NVT's vulnerability.
    ASSERT_TRUE(vuln_by_oid.count(r.oid)) << r.oid;
    std::set<std::string> refs;
    for (const auto& e : vuln_by_oid[r.oid]->at("external_references").as_array()) {
      if (str(e.as_object(), "source_name") == "cve")
        refs.insert(str(e.as_object(), "external_id"));
    }
    for (const std::string& cve : r.cves) EXPECT_TRUE(refs.count(cve)) << r.oid << " " << cve;
    // Every valid host IP is an ipv4-addr / ipv6-addr; the hostname names the infrastructure.
    std::string type;
    const std::string ip = canonical_ip(r.host, &type);
    if (!ip.empty()) {
      auto scos = of_type(bundle, type);
      EXPECT_TRUE(std::any_of(scos.begin(), scos.end(), [&](auto* o) {
        return str(*o, "value") == ip;
      })) << r.host;
    }
    if (!r.hostname.empty()) {
      for (const bj::object* infra_obj : of_type(bundle, "infrastructure")) {
        if (str(*infra_obj, "id") == infra) {
          EXPECT_EQ(str(*infra_obj, "name"), r.hostname);
        }
      }
    }
    // The vulnerability's severity is the CVSS rating of its score.
    if (r.nvt_score) {
      const bj::object& v = *vuln_by_oid[r.oid];
      EXPECT_EQ(v.at("x_atio_cvss_score").to_number<double>(), *r.nvt_score) << r.oid;
      EXPECT_EQ(str(v, "x_atio_severity"), cvss_rating(*r.nvt_score)) << r.oid;
    }
  }
  for (const bj::object* rel : of_type(bundle, "relationship")) {
    if (str(*rel, "relationship_type") != "has") continue;
    actual.insert(
        {str(*rel, "source_ref"), oid_of_vuln[str(*rel, "target_ref")], str(*rel, "x_atio_port")});
  }
  EXPECT_EQ(actual, expected);
  EXPECT_EQ(rep.converted(), actual.size());
  // One vulnerability per distinct NVT.
  EXPECT_EQ(vuln_by_oid.size(), oids.size());
  EXPECT_EQ(of_type(bundle, "vulnerability").size(), oids.size());

  // The same hosts give the same SCO ids in another run.
  Conversion again = run_file(path);
  ASSERT_EQ(again.bundles.size(), 1u);
  EXPECT_EQ(sco_ids(again.bundles[0]), sco_ids(bundle));
  EXPECT_EQ(
      of_type(again.bundles[0], "ipv4-addr").size() + of_type(again.bundles[0], "ipv6-addr").size(),
      of_type(bundle, "ipv4-addr").size() + of_type(bundle, "ipv6-addr").size());
}

std::string test_name(const ::testing::TestParamInfo<std::string>& info) {
  std::string name = info.param.substr(openvas_dir().size() + 1);
  for (char& c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  }
  return name;
}

INSTANTIATE_TEST_SUITE_P(Openvas, GvmCorpus, ::testing::ValuesIn(corpus_files()), test_name);

TEST(GvmCorpusFiles, TheCorpusHasXmlAndCsvReports) {
  auto files = corpus_files();
  EXPECT_TRUE(std::any_of(files.begin(), files.end(), [](auto& f) { return f.ends_with(".xml"); }));
  EXPECT_TRUE(std::any_of(files.begin(), files.end(), [](auto& f) { return f.ends_with(".csv"); }));
}

}  // namespace
}  // namespace atio::convert::testing
