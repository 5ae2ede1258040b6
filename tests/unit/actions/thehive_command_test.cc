// x-atio-thehive against a local receiver that checks TheHive 5's request
// contract (/api/v1/alert, Bearer key, the InputAlert's required fields).
#include <gtest/gtest.h>

// Designated initializers below name only the fields a test cares about.
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

#include <boost/json/serialize.hpp>

#include "atio/actions/connectors/thehive_command.h"
#include "unit/actions/connector_fixture.h"

namespace atio::actions::connectors {
namespace {

using atio::testing::ReceivedRequest;
using atio::testing::Reply;
using testing::ConnectorWorld;
using testing::errors_text;

Reply thehive(const ReceivedRequest& r) {
  if (r.header("Authorization") != "Bearer hive-key") {
    return Reply::json(R"({"type":"AuthenticationError","message":"Authentication failure"})", 401);
  }
  if (r.method != "POST" || r.path != "/api/v1/alert") return Reply{.status = 404};
  bj::object alert = bj::parse(r.body).as_object();
  for (const char* f : {"type", "source", "sourceRef", "title", "description"}) {
    if (!alert.contains(f)) {
      return Reply::json(std::string(R"({"type":"AttributeCheckingError","message":")") + f +
                             R"( is missing"})", 400);
    }
  }
  alert["_id"] = "~40964176";
  alert["_type"] = "Alert";
  return Reply::json(bj::serialize(alert), 201);
}

class TheHiveTest : public ::testing::Test {
 protected:
  TheHiveTest() {
    world_.receiver.set_handler(thehive);
    world_.step.out_args = {"__hive_id__"};
  }
  ConnectorWorld world_{bj::value("hive-key")};
  TheHiveCommand type_{world_.sender, world_.options};
};

TEST_F(TheHiveTest, CreateAlertWithObservables) {
  Outcome o = world_.run(type_, R"({"type":"x-atio-thehive","organisation":"soc",
      "alert":{"type":"suricata","source":"atio","sourceRef":"exec-1","title":"ET SCAN",
               "description":"seen","severity":"3","tags":["scan"],
               "observables":[{"dataType":"ip","data":"198.51.100.7"}]}})");
  ASSERT_TRUE(o.status.is_ok()) << o.status.to_string();
  EXPECT_EQ(o.out_args.at("__hive_id__").as_string(), "~40964176");
  auto r = world_.receiver.requests().at(0);
  EXPECT_EQ(r.header("X-Organisation"), "soc");
  // "3" (a substituted variable) is sent as TheHive's integer severity.
  EXPECT_EQ(testing::body_json(r).at("severity").as_int64(), 3);
}

TEST_F(TheHiveTest, ValidationChecksTheInputAlert) {
  auto errors = world_.validate(type_, R"({"type":"x-atio-thehive",
      "alert":{"type":"x","source":"atio","title":"t","severity":7,
               "observables":[{"data":"1.2.3.4"}]}})");
  std::string text = errors_text(errors);
  EXPECT_NE(text.find("/alert/sourceRef: is required by TheHive"), std::string::npos) << text;
  EXPECT_NE(text.find("/alert/description: is required by TheHive"), std::string::npos) << text;
  EXPECT_NE(text.find("/alert/severity: must be an integer from 1"), std::string::npos) << text;
  EXPECT_NE(text.find("/alert/observables/0: needs a dataType"), std::string::npos) << text;
}

TEST_F(TheHiveTest, RefusalCarriesTheProductsMessage) {
  // A variable's object, not checked at validation, reaches TheHive.
  world_.receiver.set_handler([](const ReceivedRequest&) {
    return Reply::json(R"({"type":"CreateError","message":"Alert already exists"})", 400);
  });
  Outcome o = world_.run(type_, R"({"type":"x-atio-thehive",
      "alert":{"type":"x","source":"atio","sourceRef":"r","title":"t","description":"d"}})");
  EXPECT_EQ(o.status.code(), Code::kFailed);
  EXPECT_NE(o.status.message().find("CreateError: Alert already exists"), std::string::npos)
      << o.status.message();
}

}  // namespace
}  // namespace atio::actions::connectors
