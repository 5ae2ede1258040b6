// The field readers of the GVM converter: severity scale (CVSS v3.1
// specification, section 5), NVT tags, ports, addresses and CVE lists.
#include "atio/cti/convert/gvm_fields.h"

#include <gtest/gtest.h>

namespace atio::convert::gvm {
namespace {

TEST(GvmSeverity, ScoresFollowTheCvssQualitativeScale) {
  struct {
    double score;
    Level level;
  } cases[] = {{10.0, Level::kCritical}, {9.0, Level::kCritical},
               {8.9, Level::kHigh},      {7.0, Level::kHigh},
               {6.9, Level::kMedium},    {4.0, Level::kMedium},
               {3.9, Level::kLow},       {0.1, Level::kLow},
               {0.0, Level::kLog},       {-1.0, Level::kFalsePositive},
               {-2.0, Level::kLog},      {-3.0, Level::kError}};
  for (const auto& c : cases) EXPECT_EQ(level_from_score(c.score), c.level) << c.score;
}

TEST(GvmSeverity, ThreatWordsAndWhichOneWins) {
  EXPECT_EQ(level_from_threat("High"), Level::kHigh);
  EXPECT_EQ(level_from_threat(" log "), Level::kLog);
  EXPECT_EQ(level_from_threat("Critical"), Level::kCritical);
  EXPECT_EQ(level_from_threat("False Positive"), Level::kFalsePositive);
  EXPECT_EQ(level_from_threat("Error"), Level::kError);
  EXPECT_EQ(level_from_threat(""), Level::kUnknown);
  // GVM derives the word from the score, so the score decides when both are given.
  EXPECT_EQ(level_of(6.0, "Log"), Level::kMedium);
  EXPECT_EQ(level_of(std::nullopt, "Low"), Level::kLow);
  EXPECT_STREQ(level_name(Level::kCritical), "critical");
  EXPECT_STREQ(level_name(Level::kLog), "log");
}

TEST(GvmTags, SplitsOnPipesThatStartAKey) {
  Nvt nvt;
  parse_tags(
      "cvss_base_vector=AV:N/AC:L|summary=a | b|insight=  x  |impact=|solution=fix it\nnow"
      "|solution_type=VendorFix",
      &nvt);
  EXPECT_EQ(nvt.cvss_vector, "AV:N/AC:L");
  EXPECT_EQ(nvt.summary, "a | b");
  EXPECT_EQ(nvt.insight, "x");
  EXPECT_EQ(nvt.impact, "");
  EXPECT_EQ(nvt.solution, "fix it\nnow");
  EXPECT_EQ(nvt.solution_type, "VendorFix");
  Nvt none;
  parse_tags("no tags here", &none);
  EXPECT_EQ(none.summary, "");
}

TEST(GvmLists, CvesAndPlaceholders) {
  Nvt nvt;
  add_cves("CVE-2011-3563, CVE-2012-0499,CVE-2012-0502", &nvt);
  add_cves("NOCVE", &nvt);
  add_cves("", &nvt);
  EXPECT_EQ(nvt.cves,
            (std::vector<std::string_view>{"CVE-2011-3563", "CVE-2012-0499", "CVE-2012-0502"}));
  EXPECT_TRUE(nvt.refs.empty());
  add_cves("CVE-2020-1, cve-2021-44228", &nvt);  // not CVE ids: kept, not as "cve"
  EXPECT_EQ(nvt.cves.size(), 3u);
  ASSERT_EQ(nvt.refs.size(), 2u);
  EXPECT_EQ(nvt.refs[0].type, "openvas-cve");
  EXPECT_EQ(nvt.refs[0].id, "CVE-2020-1");
  EXPECT_TRUE(is_cve_id("CVE-2021-44228"));
  EXPECT_FALSE(is_cve_id("CVE-21-44228"));
  std::vector<std::string_view> items;
  split_list(" 9506, NOBID ,,9561 ", &items);
  EXPECT_EQ(items, (std::vector<std::string_view>{"9506", "9561"}));
  std::vector<NvtRef> refs;
  add_cert("DFN-CERT-2020-0177", &refs);
  add_cert("WID-SEC-2025-1850", &refs);
  add_cert("CB-K15/0079", &refs);
  ASSERT_EQ(refs.size(), 3u);
  EXPECT_EQ(refs[0].type, "dfn-cert");
  EXPECT_EQ(refs[1].type, "cert-bund");
  EXPECT_EQ(refs[2].type, "cert-bund");
}

TEST(GvmPorts, EveryWayGvmWritesAPort) {
  Port p = parse_port("443/tcp", "");
  EXPECT_EQ(p.number, "443/tcp");
  p = parse_port("http (80/tcp)", "");
  EXPECT_EQ(p.number, "80/tcp");
  EXPECT_EQ(p.service, "http");
  p = parse_port("general/tcp", "");
  EXPECT_EQ(p.number, "");
  EXPECT_EQ(p.label, "general/tcp");
  p = parse_port("general/CPE-T", "");
  EXPECT_EQ(p.label, "general/CPE-T");
  p = parse_port("9200", "tcp");  // CSV: Port, Port Protocol
  EXPECT_EQ(p.number, "9200/tcp");
  p = parse_port("", "");
  EXPECT_EQ(p.number, "");
  EXPECT_EQ(p.label, "");
}

TEST(GvmAddresses, IpsAreCanonicalNamesAreChecked) {
  std::string c;
  EXPECT_EQ(classify_address(" 10.0.0.1\n ", &c), AddressKind::kIpv4);
  EXPECT_EQ(c, "10.0.0.1");
  EXPECT_EQ(classify_address("2001:DB8:0:0::8A2E:370:7334", &c), AddressKind::kIpv6);
  EXPECT_EQ(c, "2001:db8::8a2e:370:7334");  // RFC 5952
  EXPECT_EQ(classify_address("192.168.1.1001", &c), AddressKind::kOther);
  EXPECT_EQ(classify_address("", &c), AddressKind::kOther);
  EXPECT_TRUE(is_dns_name("www.google.com"));
  EXPECT_TRUE(is_dns_name("LOGSRV"));
  EXPECT_TRUE(is_dns_name("host.example.org."));
  EXPECT_FALSE(is_dns_name("192.168.1.1001"));
  EXPECT_FALSE(is_dns_name("-bad.example"));
  EXPECT_FALSE(is_dns_name("a..b"));
  EXPECT_FALSE(is_dns_name("has space"));
  EXPECT_FALSE(is_dns_name(""));
}

}  // namespace
}  // namespace atio::convert::gvm
