#include "atio/actions/convert/convert_command.h"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

#include <fstream>
#include <sstream>

#include "support/command_runner.h"

namespace atio::actions {
namespace {

bj::object obj(std::string_view text) { return bj::parse(text).as_object(); }

std::string corpus(const std::string& rel) {
  std::ifstream f(std::string(ATIO_CORPUS_DIR) + "/" + rel);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

class ConvertCommandTest : public ::testing::Test {
 protected:
  ConvertCommand type_{convert::builtin_registry()};
  cacao::Playbook playbook_;
  cacao::Step step_;

  void SetUp() override {
    step_.id = "action--1";
    step_.kind = cacao::StepKind::kAction;
    step_.in_args = {"__event__"};
    step_.out_args = {"__bundles__", "__report__"};
  }

  cacao::Command command(const bj::object& raw) {
    cacao::Command c;
    c.type = "x-atio-convert";
    c.raw = raw;
    return c;
  }

  Invocation invocation(const bj::object& raw, bj::object in_args) {
    Invocation inv;
    inv.step_id = step_.id;
    inv.playbook = &playbook_;
    inv.step = &step_;
    inv.command = command(raw);
    inv.in_args = std::move(in_args);
    inv.cancel = std::make_shared<CancelToken>();
    return inv;
  }

  json::FieldErrors check(const bj::object& raw) {
    json::FieldErrors errors;
    type_.validate(command(raw), playbook_, step_, "/workflow/action--1/commands/0", &errors);
    return errors;
  }
};

TEST_F(ConvertCommandTest, AnAlertObjectBecomesABundleInTheFirstOutArgAndTheReportInTheSecond) {
  // The first alert of a corpus file, as a webhook would deliver it.
  auto alerts = bj::parse(corpus("suricata-eve/alerts/frankhassanabad-wrccdc-2018.alerts-only.json"));
  const bj::object alert = alerts.as_array()[0].as_object();
  auto outcome = atio::testing::run_command(
      type_, invocation(obj(R"({"type":"x-atio-convert","from":"suricata","to":"stix","single":true})"),
                        bj::object{{"__event__", alert}}));
  ASSERT_TRUE(outcome.has_value());
  ASSERT_TRUE(outcome->status.is_ok()) << outcome->status.to_string();
  const auto& bundle = outcome->out_args.at("__bundles__").as_object();
  EXPECT_EQ(bundle.at("type"), "bundle");
  bool signature = false;
  for (const auto& o : bundle.at("objects").as_array()) {
    if (o.at("type") == "attack-pattern") signature = o.at("name") == alert.at("alert").at("signature");
  }
  EXPECT_TRUE(signature);
  EXPECT_EQ(outcome->out_args.at("__report__").at("converted").to_number<int>(), 1);
  EXPECT_EQ(outcome->outputs.at("report").at("read").to_number<int>(), 1);
}

TEST_F(ConvertCommandTest, TextInputIsConvertedAsTextAndDocumentsComeAsAnArray) {
  const std::string ndjson = corpus("suricata-eve/mixed/assemblyline-alert_http.eve.json");
  auto outcome = atio::testing::run_command(
      type_, invocation(obj(R"({"type":"x-atio-convert","from":"suricata","to":"stix","options":{"sensor":"ids-7"}})"),
                        bj::object{{"__event__", ndjson}}));
  ASSERT_TRUE(outcome.has_value());
  ASSERT_TRUE(outcome->status.is_ok()) << outcome->status.to_string();
  const auto& docs = outcome->out_args.at("__bundles__").as_array();
  const auto& report = outcome->out_args.at("__report__").as_object();
  EXPECT_EQ(docs.size(), report.at("converted").to_number<std::size_t>());
  EXPECT_GT(docs.size(), 0u);
  EXPECT_GT(report.at("skipped").to_number<int>(), 0) << "the http/fileinfo records";
}

TEST_F(ConvertCommandTest, NothingConvertibleFailsTheStepNamingTheRecord) {
  auto outcome = atio::testing::run_command(
      type_, invocation(obj(R"({"type":"x-atio-convert","from":"suricata","to":"stix"})"),
                        bj::object{{"__event__", "{\"event_type\":\"alert\"}"}}));
  ASSERT_TRUE(outcome.has_value());
  EXPECT_EQ(outcome->status.code(), Code::kFailed);
  EXPECT_NE(outcome->status.message().find("__event__ line 1"), std::string::npos)
      << outcome->status.message();
  EXPECT_TRUE(outcome->outputs.contains("report"));
}

TEST_F(ConvertCommandTest, StrictFailsOnAnyFailedRecord) {
  const std::string text =
      std::string(R"({"timestamp":"2024-01-01T00:00:00Z","event_type":"alert","src_ip":"1.2.3.4","dest_ip":"5.6.7.8","alert":{"signature":"x"}})") +
      "\nnot json\n";
  auto lenient = atio::testing::run_command(
      type_, invocation(obj(R"({"type":"x-atio-convert","from":"suricata","to":"stix"})"),
                        bj::object{{"__event__", text}}));
  ASSERT_TRUE(lenient && lenient->status.is_ok());
  EXPECT_EQ(lenient->outputs.at("report").at("failed").to_number<int>(), 1);
  auto strict = atio::testing::run_command(
      type_, invocation(obj(R"({"type":"x-atio-convert","from":"suricata","to":"stix","strict":true})"),
                        bj::object{{"__event__", text}}));
  ASSERT_TRUE(strict.has_value());
  EXPECT_EQ(strict->status.code(), Code::kFailed);
}

TEST_F(ConvertCommandTest, ValidationNamesTheProperty) {
  EXPECT_TRUE(check(obj(R"({"type":"x-atio-convert","from":"suricata","to":"stix"})")).empty());
  auto e = check(obj(R"({"type":"x-atio-convert","from":"nessus","to":"stix"})"));
  ASSERT_EQ(e.size(), 1u);
  EXPECT_EQ(e[0].pointer, "/workflow/action--1/commands/0/from");
  EXPECT_NE(e[0].message.find("suricata -> stix"), std::string::npos) << e[0].message;
  e = check(obj(R"({"type":"x-atio-convert","from":"suricata","to":"stix","options":{"bogus":1}})"));
  ASSERT_EQ(e.size(), 1u);
  EXPECT_EQ(e[0].pointer, "/workflow/action--1/commands/0/options");
  e = check(obj(R"({"type":"x-atio-convert","to":"stix"})"));
  ASSERT_EQ(e.size(), 1u);
  EXPECT_EQ(e[0].pointer, "/workflow/action--1/commands/0/from");
  e = check(obj(R"({"type":"x-atio-convert","from":"suricata","to":"stix","input":"__other__"})"));
  ASSERT_EQ(e.size(), 1u);
  EXPECT_EQ(e[0].pointer, "/workflow/action--1/commands/0/input");
  e = check(obj(R"({"type":"x-atio-convert","from":"suricata","to":"stix","single":"yes"})"));
  ASSERT_EQ(e.size(), 1u);
  EXPECT_EQ(e[0].pointer, "/workflow/action--1/commands/0/single");
}

}  // namespace
}  // namespace atio::actions
