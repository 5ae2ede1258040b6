// winlog -> stix on every file of the Windows corpus. Expected values come
// from the input records (read here with a reader of their own) and from the
// rules the converter documents, never from its output.
#include <gtest/gtest.h>

#include <arpa/inet.h>

#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>

#include "atio/cti/convert/registry.h"
#include "atio/cti/stix/time.h"
#include "unit/convert/convert_test_support.h"
#include "unit/convert/winlog_corpus.h"

namespace atio::convert {
namespace {

using namespace testing;

TEST(WinlogToStix, EveryRecordOfTheCorpusBecomesOneBundle) {
  const Corpus& c = corpus_run();
  ASSERT_EQ(c.records.size(), 700u);  // README: 698 OTRF records + 2 Sigma records
  ASSERT_EQ(c.bundles.size(), c.records.size());
}

TEST(WinlogToStix, EveryBundleMatchesTheOasisSchemas) {
  const Corpus& c = corpus_run();
  std::string why;
  const auto verdicts = run_oracle(
      "stix_schema_oracle.py", "--schemas '" + corpus("stix21-schemas/schemas") + "'", c.bundles, &why);
  ASSERT_TRUE(why.empty()) << why;
  for (std::size_t i = 0; i < c.bundles.size(); ++i) {
    EXPECT_EQ(verdicts[i], "valid") << c.records[i].file << " record " << i;
  }
}

TEST(WinlogToStix, ObservedDataCarriesTheRecord) {
  const Corpus& c = corpus_run();
  for (std::size_t i = 0; i < c.records.size(); ++i) {
    const Record& r = c.records[i];
    const bj::object& b = c.bundles[i];
    SCOPED_TRACE(r.file + " record " + std::to_string(i) + " EventID " + std::to_string(r.event_id));
    ASSERT_EQ(str(b, "type"), "bundle");
    const auto& od = observed(b);
    EXPECT_EQ(str(od, "spec_version"), "2.1");
    EXPECT_EQ(str(od, "first_observed"), str(od, "last_observed"));
    EXPECT_TRUE(stix::is_stix_timestamp(str(od, "first_observed")));
    EXPECT_EQ(od.at("number_observed").as_int64(), 1);
    EXPECT_EQ(od.at("x_windows_event_id").to_number<std::int64_t>(), r.event_id);
    EXPECT_EQ(str(od, "x_windows_channel"), r.channel);
    EXPECT_EQ(str(od, "x_windows_computer"), r.computer);
    EXPECT_EQ(str(od, "x_windows_provider"), r.provider);
    EXPECT_EQ(str(od, "x_windows_record_id"), r.record_id);
    // object_refs name exactly the SCOs of the bundle, at least one.
    std::set<std::string> refs, scos;
    for (const auto& ref : od.at("object_refs").as_array()) refs.insert(std::string(ref.as_string()));
    for (const auto& o : b.at("objects").as_array()) {
      const std::string type = str(o.as_object(), "type");
      if (type == "observed-data" || type == "infrastructure" || type == "relationship") continue;
      scos.insert(str(o.as_object(), "id"));
    }
    EXPECT_FALSE(refs.empty());
    EXPECT_EQ(refs, scos);
    // The host is an infrastructure named after the computer, linked to the observation.
    const auto hosts = of_type(b, "infrastructure");
    ASSERT_EQ(hosts.size(), 1u);
    EXPECT_EQ(str(*hosts[0], "name"), r.computer);
    const auto rels = of_type(b, "relationship");
    ASSERT_EQ(rels.size(), 1u);
    EXPECT_EQ(str(*rels[0], "relationship_type"), "consists-of");
    EXPECT_EQ(str(*rels[0], "source_ref"), str(*hosts[0], "id"));
    EXPECT_EQ(str(*rels[0], "target_ref"), str(od, "id"));
  }
}

TEST(WinlogToStix, EventTimeIsTheTimeTheEventHappened) {
  const Corpus& c = corpus_run();
  for (std::size_t i = 0; i < c.records.size(); ++i) {
    const Record& r = c.records[i];
    SCOPED_TRACE(r.file + " record " + std::to_string(i));
    stix::TimePoint got, want;
    ASSERT_TRUE(stix::parse_time(str(observed(c.bundles[i]), "first_observed"), &got));
    const std::string stamp = text(r.raw, "@timestamp");
    if (auto* ev = r.raw.if_contains("Event")) {
      const auto& sys_time = ev->at("System").at("TimeCreated").at("#attributes");
      ASSERT_TRUE(stix::parse_time(str(sys_time.as_object(), "SystemTime"), &want));
      EXPECT_LT(std::chrono::abs(got - want), std::chrono::milliseconds(1));
    } else if (!stamp.empty()) {
      // Logged before Logstash received it, and shipped within a minute.
      ASSERT_TRUE(stix::parse_time(stamp, &want));
      EXPECT_LE(got, want);
      EXPECT_LT(want - got, std::chrono::minutes(1));
    } else {
      // Only an unzoned TimeCreated: read as UTC.
      ASSERT_TRUE(stix::parse_time(text(r.raw, "TimeCreated"), &want));
      EXPECT_EQ(got, want);
    }
  }
}

TEST(WinlogToStix, AccountsNamedByTheEventAreUserAccounts) {
  const Corpus& c = corpus_run();
  std::size_t checked = 0;
  for (std::size_t i = 0; i < c.records.size(); ++i) {
    const Record& r = c.records[i];
    const bj::object& b = c.bundles[i];
    SCOPED_TRACE(r.file + " record " + std::to_string(i) + " EventID " + std::to_string(r.event_id));
    std::vector<std::string> logins = {text(r.fields, "SubjectUserName"),
                                       text(r.fields, "AccountName"),
                                       text(r.fields, "ServiceAccount")};
    std::vector<std::string> sids = {text(r.fields, "SubjectUserSid")};
    if (group_event(r)) {
      logins.push_back(text(r.fields, "MemberName"));
      sids.push_back(text(r.fields, "MemberSid"));
    } else {
      logins.push_back(text(r.fields, "TargetUserName"));
      sids.push_back(text(r.fields, "TargetUserSid"));
      sids.push_back(text(r.fields, "TargetSid"));
    }
    for (const auto& login : logins) {
      if (!present(login) || login.starts_with("CN=")) continue;
      EXPECT_TRUE(has_account(b, "account_login", login)) << login;
      ++checked;
    }
    for (const auto& sid : sids) {
      if (!sid.starts_with("S-1-") || sid == "S-1-0-0") continue;
      EXPECT_TRUE(has_account(b, "user_id", sid)) << sid;
      ++checked;
    }
  }
  EXPECT_GT(checked, 1000u);
}

TEST(WinlogToStix, ProcessesNamedByTheEventAreProcesses) {
  const Corpus& c = corpus_run();
  std::size_t created = 0;
  for (std::size_t i = 0; i < c.records.size(); ++i) {
    const Record& r = c.records[i];
    const bj::object& b = c.bundles[i];
    SCOPED_TRACE(r.file + " record " + std::to_string(i) + " EventID " + std::to_string(r.event_id));
    const std::string new_pid = text(r.fields, "NewProcessId");
    if (present(new_pid)) {
      const bj::object* p = process_with_pid(b, number(new_pid));
      ASSERT_NE(p, nullptr);
      EXPECT_EQ(str(*p, "command_line"), text(r.fields, "CommandLine"));
      const bj::object* image = find_id(b, str(*p, "image_ref"));
      ASSERT_NE(image, nullptr);
      EXPECT_EQ(str(*image, "name"), basename(text(r.fields, "NewProcessName")));
      const bj::object* parent = find_id(b, str(*p, "parent_ref"));
      ASSERT_NE(parent, nullptr);
      EXPECT_EQ(parent->at("pid").to_number<std::int64_t>(), number(text(r.fields, "ProcessId")));
      ++created;
      continue;
    }
    for (std::string_view key : {"ProcessId", "ProcessID"}) {
      const std::string pid = text(r.fields, key);
      if (present(pid) && number(pid) != 0) {
        EXPECT_NE(process_with_pid(b, number(pid)), nullptr) << key << " " << pid;
      }
    }
  }
  EXPECT_EQ(created, 50u);  // README: 4688 x50
}

std::string expected_ip(std::string v) {
  if (v.starts_with("::ffff:")) v = v.substr(7);
  unsigned char buf[16];
  if (v == "0.0.0.0" || v == "::") return {};
  if (::inet_pton(AF_INET, v.c_str(), buf) == 1 || ::inet_pton(AF_INET6, v.c_str(), buf) == 1) {
    return v;
  }
  return {};
}

TEST(WinlogToStix, AddressesNamedByTheEventAreIpObservables) {
  const Corpus& c = corpus_run();
  std::size_t checked = 0;
  for (std::size_t i = 0; i < c.records.size(); ++i) {
    const Record& r = c.records[i];
    const bj::object& b = c.bundles[i];
    for (std::string_view key : {"IpAddress", "SourceAddress", "DestAddress"}) {
      const std::string want = expected_ip(text(r.fields, key));
      if (want.empty()) continue;
      const auto type = want.find(':') == std::string::npos ? "ipv4-addr" : "ipv6-addr";
      bool found = false;
      for (const auto* a : of_type(b, type)) found = found || str(*a, "value") == want;
      EXPECT_TRUE(found) << r.file << " record " << i << " " << key << " " << want;
      ++checked;
    }
  }
  EXPECT_GT(checked, 100u);
}

}  // namespace
}  // namespace atio::convert
