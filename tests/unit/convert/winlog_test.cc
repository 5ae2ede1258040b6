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

namespace atio::convert {
namespace {

using namespace testing;

// One input record as the corpus writes it.
struct Record {
  std::string file;
  std::int64_t event_id = -1;
  std::string channel, computer, provider, record_id, message;
  bj::object fields;  // the event's fields (flat record, or EventData)
  bj::object raw;
};

std::string text(const bj::object& o, std::string_view key) { return str(o, key); }

Record to_record(const std::string& file, const bj::object& o) {
  Record r;
  r.file = file;
  r.raw = o;
  if (auto* ev = o.if_contains("Event")) {
    const auto& sys = ev->at("System").get_object();
    r.event_id = sys.at("EventID").to_number<std::int64_t>();
    r.channel = text(sys, "Channel");
    r.computer = text(sys, "Computer");
    r.provider = text(sys.at("Provider").at("#attributes").get_object(), "Name");
    r.record_id = text(sys, "EventRecordID");
    r.fields = ev->at("EventData").get_object();
  } else {
    r.event_id = o.at("EventID").to_number<std::int64_t>();
    r.channel = text(o, "Channel");
    r.computer = text(o, "Hostname");
    r.provider = text(o, "SourceName");
    r.record_id = text(o, "RecordNumber");
    r.message = text(o, "Message");
    r.fields = o;
  }
  return r;
}

std::vector<Record> read_records(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  const std::string data = ss.str();
  std::vector<Record> out;
  if (path.ends_with(".ndjson")) {
    std::istringstream lines(data);
    std::string line;
    while (std::getline(lines, line)) {
      if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
      out.push_back(to_record(path, bj::parse(line).get_object()));
    }
  } else {
    bj::value v = bj::parse(data);
    if (v.is_array()) {
      for (const auto& e : v.get_array()) out.push_back(to_record(path, e.get_object()));
    } else {
      out.push_back(to_record(path, v.get_object()));
    }
  }
  return out;
}

struct Corpus {
  std::vector<Record> records;
  std::vector<bj::object> bundles;  // same order
};

const Corpus& corpus_run() {
  static const Corpus c = [] {
    Corpus c;
    auto conv = builtin_registry().create("winlog", "stix");
    EXPECT_TRUE(conv.is_ok()) << conv.status().to_string();
    for (const auto& file : data_files(corpus("windows-logs"))) {
      auto records = read_records(file);
      Conversion r = run_file(**conv, file);
      EXPECT_TRUE(r.status.is_ok()) << file << ": " << r.status.to_string();
      // Every record read once and converted: each is a Windows event.
      EXPECT_EQ(r.report.read(), records.size()) << file;
      EXPECT_EQ(r.report.converted(), records.size()) << file << "\n" << r.report.to_text();
      EXPECT_EQ(r.report.skipped() + r.report.failed(), 0u) << file << "\n" << r.report.to_text();
      EXPECT_EQ(r.docs.size(), records.size()) << file;
      for (auto& rec : records) c.records.push_back(std::move(rec));
      for (auto& d : r.docs) c.bundles.push_back(std::move(d));
    }
    return c;
  }();
  return c;
}

const bj::object& observed(const bj::object& bundle) { return *of_type(bundle, "observed-data").at(0); }

bool present(const std::string& v) { return !v.empty() && v != "-" && v != "%%1793"; }

bool has_account(const bj::object& bundle, std::string_view key, const std::string& value) {
  for (const auto* a : of_type(bundle, "user-account")) {
    if (str(*a, key) == value) return true;
  }
  return false;
}

std::int64_t number(const std::string& s) {
  return s.starts_with("0x") ? std::stoll(s.substr(2), nullptr, 16) : std::stoll(s);
}

const bj::object* process_with_pid(const bj::object& bundle, std::int64_t pid) {
  for (const auto* p : of_type(bundle, "process")) {
    if (auto* v = p->if_contains("pid"); v && v->to_number<std::int64_t>() == pid) return p;
  }
  return nullptr;
}

std::string basename(const std::string& path) { return path.substr(path.find_last_of("\\/") + 1); }

bool group_event(const Record& r) {
  const auto id = r.event_id;
  return r.channel == "Security" &&
         ((id >= 4727 && id <= 4737) || (id >= 4754 && id <= 4758) || id == 4764 || id == 4799);
}

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
