// winlog -> stix: the documented rules (event class, notable events, account
// types, services, the message fallback) on the Windows corpus, and the
// report on inputs that mix events with other records.
#include <gtest/gtest.h>

#include <map>
#include <regex>
#include <set>

#include "atio/cti/convert/registry.h"
#include "unit/convert/convert_test_support.h"
#include "unit/convert/winlog_corpus.h"

namespace atio::convert {
namespace {

using namespace testing;

// Notable ids by channel, from the documented rules.
std::string expected_reason_key(const Record& r) {
  static const std::set<std::int64_t> security = {4625, 4771, 4720, 4728, 4732, 4756, 4697,
                                                  1102, 4719, 4698, 4699, 4648};
  if (r.channel == "Security" && security.count(r.event_id)) return std::to_string(r.event_id);
  if (r.channel == "Security" && r.event_id == 4776 && number(text(r.fields, "Status")) != 0) {
    return "4776";
  }
  if (r.channel == "System" && (r.event_id == 104 || r.event_id == 7045)) {
    return std::to_string(r.event_id);
  }
  return {};
}

TEST(WinlogToStix, NotableEventsAreFlaggedAsOftenAsTheyOccur) {
  const Corpus& c = corpus_run();
  std::map<std::string, int> want, got;
  for (std::size_t i = 0; i < c.records.size(); ++i) {
    const auto key = expected_reason_key(c.records[i]);
    if (!key.empty()) ++want[key];
    const auto& od = observed(c.bundles[i]);
    if (auto* n = od.if_contains("x_atio_notable"); n && n->is_bool() && n->get_bool()) {
      ++got[std::to_string(od.at("x_windows_event_id").to_number<std::int64_t>())];
      EXPECT_FALSE(str(od, "x_atio_notable_reason").empty());
    } else {
      EXPECT_FALSE(od.contains("x_atio_notable_reason"));
    }
  }
  EXPECT_EQ(got, want);
  // The corpus README lists these among its events.
  EXPECT_EQ(want["4625"], 1);
  EXPECT_EQ(want["4720"], 1);
  EXPECT_EQ(want["7045"], 2);
  EXPECT_EQ(want["1102"], 1);
}

TEST(WinlogToStix, EventClassFollowsTheChannel) {
  const Corpus& c = corpus_run();
  for (std::size_t i = 0; i < c.records.size(); ++i) {
    const Record& r = c.records[i];
    std::string want = "other";
    if (r.channel == "Security") {
      want = "security";
      if (r.event_id >= 4698 && r.event_id <= 4702) want = "scheduled-task";
      if (r.event_id == 4778 || r.event_id == 4779) want = "rdp";
      if ((r.event_id == 4624 || r.event_id == 4625 || r.event_id == 4634) &&
          text(r.fields, "LogonType") == "10") {
        want = "rdp";
      }
    } else if (r.channel == "System") {
      want = "system";
    }
    EXPECT_EQ(str(observed(c.bundles[i]), "x_atio_event_class"), want)
        << r.file << " record " << i << " " << r.channel << "/" << r.event_id;
  }
}

TEST(WinlogToStix, LogClearedWithoutFieldsNamesTheSubjectFromTheMessage) {
  const Corpus& c = corpus_run();
  int seen = 0;
  for (std::size_t i = 0; i < c.records.size(); ++i) {
    const Record& r = c.records[i];
    if (r.event_id != 1102 || r.fields.contains("SubjectUserName")) continue;
    std::smatch m;
    ASSERT_TRUE(std::regex_search(r.message, m, std::regex("Account Name:\\s*([^\\r\\n]+)")));
    EXPECT_TRUE(has_account(c.bundles[i], "account_login", m[1].str()));
    ASSERT_TRUE(std::regex_search(r.message, m, std::regex("Security ID:\\s*(S-1-[0-9-]+)")));
    EXPECT_TRUE(has_account(c.bundles[i], "user_id", m[1].str()));
    ++seen;
  }
  EXPECT_EQ(seen, 1);
}

TEST(WinlogToStix, ServiceInstallIsAProcessWithTheServiceExtension) {
  const Corpus& c = corpus_run();
  int seen = 0;
  for (std::size_t i = 0; i < c.records.size(); ++i) {
    const Record& r = c.records[i];
    if (r.event_id != 7045 && r.event_id != 4697) continue;
    const std::string image = present(text(r.fields, "ImagePath")) ? text(r.fields, "ImagePath")
                                                                   : text(r.fields, "ServiceFileName");
    bool found = false;
    for (const auto* p : of_type(c.bundles[i], "process")) {
      auto* ext = p->if_contains("extensions");
      if (!ext) continue;
      const auto& svc = ext->at("windows-service-ext").as_object();
      found = found || (str(svc, "service_name") == text(r.fields, "ServiceName") &&
                        str(*p, "command_line") == image);
    }
    EXPECT_TRUE(found) << r.file << " record " << i;
    ++seen;
  }
  EXPECT_EQ(seen, 3);  // README: 7045 x2, 4697 x1
}

TEST(WinlogToStix, AccountTypeFollowsTheDomain) {
  const Corpus& c = corpus_run();
  for (std::size_t i = 0; i < c.records.size(); ++i) {
    const Record& r = c.records[i];
    if (r.event_id != 4720) continue;
    // The new account's domain is the host's own name: a local account.
    const std::string host = r.computer.substr(0, r.computer.find('.'));
    ASSERT_EQ(text(r.fields, "TargetDomainName"), host);
    for (const auto* a : of_type(c.bundles[i], "user-account")) {
      if (str(*a, "account_login") == text(r.fields, "TargetUserName")) {
        EXPECT_EQ(str(*a, "account_type"), "windows-local");
        EXPECT_EQ(str(*a, "user_id"), text(r.fields, "TargetSid"));
      }
      // The creator is from the domain THESHIRE, not the host.
      if (str(*a, "account_login") == text(r.fields, "SubjectUserName")) {
        EXPECT_EQ(str(*a, "account_type"), "windows-domain");
      }
    }
  }
}

TEST(WinlogToStix, ReportsEveryRecordOfAMixedInput) {
  auto conv = builtin_registry().create("winlog", "stix");
  ASSERT_TRUE(conv.is_ok());
  const std::string input =
      R"({"EventID":4625,"Channel":"Security","Hostname":"h","@timestamp":"2024-01-01T00:00:00Z","TargetUserName":"bob","IpAddress":"10.0.0.9"})"
      "\n{not json\n"
      R"({"alert":{"signature":"x"}})"
      "\n"
      R"({"EventID":4624,"Channel":"Security","Hostname":"h"})"
      "\n"
      R"({"winlog":{"event_id":"4720","channel":"Security","computer_name":"ws1.corp.example","event_data":{"TargetUserName":"eve","TargetDomainName":"WS1"}},"@timestamp":"2024-01-02T03:04:05.678Z"})"
      "\n";
  Conversion r = run_string(**conv, input);
  ASSERT_TRUE(r.status.is_ok()) << r.status.to_string();
  EXPECT_EQ(r.report.read(), 5u);
  EXPECT_EQ(r.report.converted(), 2u);
  EXPECT_EQ(r.report.skipped(), 1u);
  EXPECT_EQ(r.report.failed(), 2u);
  ASSERT_EQ(r.report.problems().size(), 3u);
  EXPECT_EQ(r.report.problems()[0].where, "test line 2 (record 1)");
  EXPECT_NE(r.report.problems()[0].reason.find("invalid JSON"), std::string::npos);
  EXPECT_NE(r.report.problems()[2].reason.find("no event time"), std::string::npos);
  ASSERT_EQ(r.docs.size(), 2u);
  EXPECT_TRUE(has_account(r.docs[0], "account_login", "bob"));
  EXPECT_EQ(of_type(r.docs[0], "ipv4-addr").size(), 1u);
  const auto& od = observed(r.docs[1]);
  EXPECT_EQ(str(od, "first_observed"), "2024-01-02T03:04:05.678Z");
  EXPECT_EQ(str(od, "x_atio_notable_reason"), "user account created");
  EXPECT_TRUE(has_account(r.docs[1], "account_type", "windows-local"));
}

TEST(WinlogToStix, RefusesOptions) {
  auto conv = builtin_registry().create("winlog", "stix", bj::object{{"x", 1}});
  EXPECT_FALSE(conv.is_ok());
}

}  // namespace
}  // namespace atio::convert
