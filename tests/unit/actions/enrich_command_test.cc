#include "atio/actions/enrich/enrich_command.h"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

#include "atio/cti/convert/registry.h"
#include "atio/cti/convert/writer.h"
#include "support/command_runner.h"

namespace atio::actions {
namespace {

bj::object obj(std::string_view text) { return bj::parse(text).as_object(); }

// A bundle made by the Suricata converter from one corpus alert.
bj::object alert_bundle() {
  auto c = convert::builtin_registry().create("suricata", "stix");
  auto in = convert::open_file(std::string(ATIO_CORPUS_DIR) +
                               "/suricata-eve/alerts/frankhassanabad-wrccdc-2018.alerts-only.json");
  convert::CollectingOutput out;
  convert::Report report;
  EXPECT_TRUE((*c)->convert(**in, out, report).is_ok());
  return out.documents.at(1).as_object();
}

class EnrichCommandTest : public ::testing::Test {
 protected:
  enrich::FixedKnowledge knowledge_;
  EnrichCommand type_{knowledge_};
  cacao::Playbook playbook_;
  cacao::Step step_;

  Invocation invocation(const bj::object& raw, bj::object in_args, std::vector<std::string> ins,
                        std::vector<std::string> outs) {
    step_.id = "action--1";
    step_.kind = cacao::StepKind::kAction;
    step_.in_args = std::move(ins);
    step_.out_args = std::move(outs);
    Invocation inv;
    inv.step_id = step_.id;
    inv.playbook = &playbook_;
    inv.step = &step_;
    inv.command.type = "x-atio-enrich";
    inv.command.raw = raw;
    inv.in_args = std::move(in_args);
    inv.cancel = std::make_shared<CancelToken>();
    return inv;
  }
};

TEST_F(EnrichCommandTest, EnrichesTheBundleAndLinksTheIdAToolGaveIt) {
  const bj::object bundle = alert_bundle();
  // The target is a known asset.
  std::string target;
  for (const auto& o : bundle.at("objects").as_array()) {
    if (o.at("type") == "report") {
      const auto ref = o.at("x_atio_target_ref");
      for (const auto& p : bundle.at("objects").as_array()) {
        if (p.at("id") == ref) target = std::string(p.at("value").as_string());
      }
    }
  }
  json::FieldErrors errors;
  auto assets = enrich::parse_assets_json(
      bj::parse(R"([{"name":"ssh-gw","ips":[")" + target + R"("],"criticality":4}])"), &errors);
  ASSERT_TRUE(assets.is_ok());
  auto snap = std::make_shared<enrich::KnowledgeSnapshot>();
  snap->assets = enrich::AssetIndex(*assets);
  knowledge_.set(snap);

  auto first = atio::testing::run_command(
      type_, invocation(obj(R"({"type":"x-atio-enrich"})"), bj::object{{"__bundle__", bundle}},
                        {"__bundle__"}, {"__bundle__", "__detections__"}));
  ASSERT_TRUE(first && first->status.is_ok()) << first->status.to_string();
  const auto& detections = first->out_args.at("__detections__").as_array();
  ASSERT_EQ(detections.size(), 1u);
  EXPECT_EQ(detections[0].at("asset").at("name"), "ssh-gw");
  EXPECT_TRUE(detections[0].at("misp_id").is_null());
  bool annotated = false;
  for (const auto& o : first->out_args.at("__bundle__").at("objects").as_array()) {
    if (o.at("type") == "report") annotated = o.as_object().contains("x_atio_importance");
  }
  EXPECT_TRUE(annotated);

  auto link = atio::testing::run_command(
      type_, invocation(obj(R"({"type":"x-atio-enrich","link":"misp","input":"__detections__","id":"__misp_id__"})"),
                        bj::object{{"__detections__", detections}, {"__misp_id__", 4711}},
                        {"__detections__", "__misp_id__"}, {}));
  ASSERT_TRUE(link && link->status.is_ok()) << link->status.to_string();
  EXPECT_EQ(link->outputs.at("linked").to_number<int>(), 1);

  // The same alert again (as JSON text): same detection, counted twice, and
  // the MISP id comes with it.
  auto again = atio::testing::run_command(
      type_, invocation(obj(R"({"type":"x-atio-enrich"})"),
                        bj::object{{"__bundle__", json::dump(alert_bundle())}}, {"__bundle__"},
                        {"__bundle__", "__detections__"}));
  ASSERT_TRUE(again && again->status.is_ok());
  const auto& d2 = again->out_args.at("__detections__").as_array()[0];
  EXPECT_EQ(d2.at("detection_id"), detections[0].at("detection_id"));
  EXPECT_EQ(d2.at("count").to_number<int>(), 2);
  EXPECT_EQ(d2.at("misp_id"), "4711");
}

TEST_F(EnrichCommandTest, BadInputAndCommandsAreNamed) {
  auto none = atio::testing::run_command(
      type_, invocation(obj(R"({"type":"x-atio-enrich"})"), bj::object{{"__bundle__", ""}},
                        {"__bundle__"}, {}));
  ASSERT_TRUE(none);
  EXPECT_EQ(none->status.code(), Code::kInvalidArgument);
  EXPECT_NE(none->status.message().find("__bundle__"), std::string::npos);
  auto not_stix = atio::testing::run_command(
      type_, invocation(obj(R"({"type":"x-atio-enrich"})"), bj::object{{"__bundle__", bj::object{{"a", 1}}}},
                        {"__bundle__"}, {}));
  ASSERT_TRUE(not_stix);
  EXPECT_EQ(not_stix->status.code(), Code::kInvalidArgument);

  step_.in_args = {"__bundle__"};
  json::FieldErrors errors;
  cacao::Command c;
  c.type = "x-atio-enrich";
  c.raw = obj(R"({"type":"x-atio-enrich","link":"MISP!","id":"__x__"})");
  type_.validate(c, playbook_, step_, "/workflow/action--1/commands/0", &errors);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].pointer, "/workflow/action--1/commands/0/link");
  errors.clear();
  c.raw = obj(R"({"type":"x-atio-enrich","link":"misp","id":"__x__"})");
  type_.validate(c, playbook_, step_, "/workflow/action--1/commands/0", &errors);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].pointer, "/workflow/action--1/commands/0/id");
}

}  // namespace
}  // namespace atio::actions
