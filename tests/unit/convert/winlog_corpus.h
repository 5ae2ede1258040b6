// The Windows corpus read independently of the converter, and the bundles
// the converter makes of it, for the winlog tests.
#pragma once

#include <gtest/gtest.h>

#include <fstream>
#include <set>
#include <sstream>

#include "atio/cti/convert/registry.h"
#include "unit/convert/convert_test_support.h"

namespace atio::convert::testing {

// One input record as the corpus writes it.
struct Record {
  std::string file;
  std::int64_t event_id = -1;
  std::string channel, computer, provider, record_id, message;
  bj::object fields;  // the event's fields (flat record, or EventData)
  bj::object raw;
};

inline std::string text(const bj::object& o, std::string_view key) { return str(o, key); }

inline Record to_record(const std::string& file, const bj::object& o) {
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

inline std::vector<Record> read_records(const std::string& path) {
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

inline const Corpus& corpus_run() {
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

inline const bj::object& observed(const bj::object& bundle) { return *of_type(bundle, "observed-data").at(0); }

inline bool present(const std::string& v) { return !v.empty() && v != "-" && v != "%%1793"; }

inline bool has_account(const bj::object& bundle, std::string_view key, const std::string& value) {
  for (const auto* a : of_type(bundle, "user-account")) {
    if (str(*a, key) == value) return true;
  }
  return false;
}

inline std::int64_t number(const std::string& s) {
  return s.starts_with("0x") ? std::stoll(s.substr(2), nullptr, 16) : std::stoll(s);
}

inline const bj::object* process_with_pid(const bj::object& bundle, std::int64_t pid) {
  for (const auto* p : of_type(bundle, "process")) {
    if (auto* v = p->if_contains("pid"); v && v->to_number<std::int64_t>() == pid) return p;
  }
  return nullptr;
}

inline std::string basename(const std::string& path) { return path.substr(path.find_last_of("\\/") + 1); }

inline bool group_event(const Record& r) {
  const auto id = r.event_id;
  return r.channel == "Security" &&
         ((id >= 4727 && id <= 4737) || (id >= 4754 && id <= 4758) || id == 4764 || id == 4799);
}

}  // namespace atio::convert::testing
