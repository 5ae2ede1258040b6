// The JSON diff in playbook records, and the export formats.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "atio/audit/export.h"
#include "atio/audit/json_diff.h"

namespace atio::audit {
namespace {

namespace bj = boost::json;

// Applies RFC 6902 add/remove/replace operations (only what json_diff
// emits) to `doc`: an independent check that the diff leads from before to after.
void apply_patch(bj::value& doc, const bj::array& ops) {
  for (const auto& v : ops) {
    const bj::object& op = v.as_object();
    const std::string kind(op.at("op").as_string());
    const std::string path(op.at("path").as_string());
    if (path.empty()) {
      doc = op.at("value");
      continue;
    }
    const auto slash = path.rfind('/');
    boost::system::error_code ec;
    bj::value* parent = doc.find_pointer(path.substr(0, slash), ec);
    ASSERT_NE(parent, nullptr) << path;
    std::string key = path.substr(slash + 1);
    for (std::size_t p; (p = key.find("~1")) != std::string::npos;) key.replace(p, 2, "/");
    for (std::size_t p; (p = key.find("~0")) != std::string::npos;) key.replace(p, 2, "~");
    if (parent->is_object()) {
      if (kind == "remove") {
        parent->as_object().erase(key);
      } else {
        parent->as_object()[key] = op.at("value");
      }
    } else {
      parent->as_array().at(std::stoul(key)) = op.at("value");
    }
  }
}

TEST(JsonDiffTest, TheDiffLeadsFromBeforeToAfter) {
  bj::value before = bj::parse(R"({"name":"a","workflow":{"s1":{"type":"start"},"x/y":1,"t~":2},
                                   "list":[1,2,3],"gone":true})");
  bj::value after = bj::parse(R"({"name":"b","workflow":{"s1":{"type":"end"},"x/y":2,"t~":2},
                                  "list":[1,2],"new":{"deep":[1]}})");
  bj::array ops = json_diff(before, after);
  bj::value patched = before;
  apply_patch(patched, ops);
  EXPECT_EQ(patched, after) << bj::serialize(ops);
  EXPECT_TRUE(json_diff(after, after).empty());
}

TEST(JsonDiffTest, TheDiffStaysSmall) {
  bj::object a, b;
  for (int i = 0; i < 200; ++i) b["k" + std::to_string(i)] = std::string(1000, 'x');
  DiffLimits limits;
  limits.max_ops = 10;
  bj::array ops = json_diff(a, b, limits);
  ASSERT_EQ(ops.size(), 11u);
  EXPECT_EQ(ops[0].as_object().at("value_omitted"), true);
  EXPECT_EQ(ops.back().as_object().at("op"), "truncated");
  EXPECT_EQ(ops.back().as_object().at("more"), 190);
}

TEST(ExportTest, ASyslogLineIsRfc5424) {
  store::AuditRecord r;
  r.seq = 42;
  r.time_ms = 1714564800123;  // 2024-05-01T12:00:00.123Z
  r.actor = "key \"x\" ]";
  r.action = "playbook.delete";
  r.outcome = "failure";
  r.detail = "{}";
  r.hash = "ab";
  const std::string line = syslog_line(r, "host one");
  // <PRI>VERSION TIMESTAMP HOSTNAME APP-NAME PROCID MSGID SD MSG; facility 13
  // (log audit) * 8 + severity 4 (warning) = 108.
  EXPECT_EQ(line.rfind("<108>1 2024-05-01T12:00:00.123Z host_one atio - playbook.delete "
                       "[atio@32473 seq=\"42\" hash=\"ab\" actor=\"key \\\"x\\\" \\]\" "
                       "outcome=\"failure\"] {",
                       0),
            0u)
      << line;
  const bj::value msg = bj::parse(line.substr(line.find("] {") + 2));
  EXPECT_EQ(msg.at("seq"), 42);
  EXPECT_EQ(msg.at("time"), "2024-05-01T12:00:00.123Z");
  r.outcome = "success";
  EXPECT_EQ(syslog_line(r, "h").rfind("<109>1 ", 0), 0u);
}

TEST(ExportTest, RecordJsonKeepsTheHashedDetailText) {
  store::AuditRecord r;
  r.detail = R"({"b":1,  "a":2})";
  bj::object o = record_json(r);
  EXPECT_EQ(o.at("detail_text").as_string(), r.detail);
  EXPECT_EQ(o.at("detail").at("a"), 2);
}

}  // namespace
}  // namespace atio::audit
