// The journal's JSON form of step records: what is left out comes back.
#include "atio/store/step_json.h"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

namespace atio::store {
namespace {

StepRecord round_trip(StepRecord r, std::string* text = nullptr) {
  std::string t = "[" + encode_step_record(StepRecord(r)) + "]";
  if (text) *text = t;
  std::vector<StepRecord> out;
  Status s = decode_step_records(t, "exec-1", &out);
  EXPECT_TRUE(s.is_ok()) << s.to_string();
  EXPECT_EQ(out.size(), 1u);
  return out.empty() ? StepRecord{} : out[0];
}

TEST(StepJson, IdAndTypeSaidByTheKeyAreLeftOutAndComeBack) {
  StepRecord r;
  r.step_key = "while-condition--w/3/action--a#2";
  r.step_id = "action--a";
  r.step_type = "action";
  r.status = StepStatus::kSucceeded;
  r.started_at_ms = 5;
  std::string text;
  StepRecord got = round_trip(r, &text);
  EXPECT_EQ(text.find("step_id"), std::string::npos) << text;
  EXPECT_EQ(text.find("\"type\""), std::string::npos) << text;
  EXPECT_EQ(text.find("outputs"), std::string::npos) << "empty fields are left out: " << text;
  EXPECT_EQ(got.execution_id, "exec-1");
  EXPECT_EQ(got.step_key, r.step_key);
  EXPECT_EQ(got.step_id, "action--a");
  EXPECT_EQ(got.step_type, "action");
  EXPECT_EQ(got.started_at_ms, 5);
  EXPECT_EQ(got.finished_at_ms, 0);
}

TEST(StepJson, IdAndTypeThatDifferFromTheKeyAreKept) {
  StepRecord r;
  r.step_key = "custom-key";
  r.step_id = "x-vendor--1";
  r.step_type = "action";
  r.status = StepStatus::kWaiting;
  r.inputs = {{"in_args", {{"__a__", 1}}}};
  r.outputs = {{"status_code", 200}};
  r.variables = {{"__b__", "x"}};
  r.branch = "default";
  r.error = "timed out";
  StepRecord got = round_trip(r);
  EXPECT_EQ(got.step_id, "x-vendor--1");
  EXPECT_EQ(got.step_type, "action");
  EXPECT_EQ(got.status, StepStatus::kWaiting);
  EXPECT_EQ(got.inputs, r.inputs);
  EXPECT_EQ(got.outputs, r.outputs);
  EXPECT_EQ(got.variables, r.variables);
  EXPECT_EQ(got.branch, "default");
  EXPECT_EQ(got.error, "timed out");
}

TEST(StepJson, MalformedRowsAreErrorsNamingTheExecution) {
  std::vector<StepRecord> out;
  for (const char* bad : {"not json", "{}", "[1]", R"([{"status":"succeeded"}])",
                          R"([{"key":"start--1","status":"sleeping"}])"}) {
    Status s = decode_step_records(bad, "exec-9", &out);
    EXPECT_FALSE(s.is_ok()) << bad;
    EXPECT_NE(s.to_string().find("exec-9"), std::string::npos) << s.to_string();
  }
  EXPECT_TRUE(out.empty());
}

TEST(StepJson, LatestRecordOfEachKeyWinsInFirstSeenOrder) {
  auto rec = [](std::string key, StepStatus st) {
    StepRecord r;
    r.step_key = std::move(key);
    r.status = st;
    return r;
  };
  auto got = latest_per_step({rec("a", StepStatus::kRunning), rec("b", StepStatus::kSucceeded),
                              rec("a", StepStatus::kFailed)});
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[0].step_key, "a");
  EXPECT_EQ(got[0].status, StepStatus::kFailed);
  EXPECT_EQ(got[1].step_key, "b");
}

}  // namespace
}  // namespace atio::store
