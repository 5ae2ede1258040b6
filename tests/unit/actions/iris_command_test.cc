// x-atio-iris against a local receiver that checks DFIR-IRIS's documented
// request contract (API v2.1.0: Bearer key, JSON bodies, /api/v2/alerts,
// /api/v2/cases/{id}/iocs, /alerts/escalate/{id}) and answers as IRIS does.
#include <gtest/gtest.h>

// Designated initializers below name only the fields a test cares about.
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

#include <boost/json/serialize.hpp>

#include <atomic>
#include <memory>
#include <mutex>
#include <optional>

#include "atio/actions/connectors/iris_command.h"
#include "unit/actions/connector_fixture.h"

namespace atio::actions::connectors {
namespace {

using atio::testing::ReceivedRequest;
using atio::testing::Reply;
using testing::ConnectorWorld;
using testing::errors_text;

// An IRIS stand-in with alert 5 and case 1064.
struct Iris {
  Reply operator()(const ReceivedRequest& r) {
    if (r.header("Authorization") != "Bearer iris-key") {
      return Reply::json(R"({"status":"error","message":"Authentication required","data":[]})", 401);
    }
    if ((r.method == "POST" || r.method == "PUT") && r.header("Content-Type") != "application/json") {
      return Reply{.status = 415};
    }
    auto required = [&](std::initializer_list<const char*> fields) -> std::optional<Reply> {
      bj::object body = bj::parse(r.body).as_object();
      bj::object errors;
      for (const char* f : fields) {
        if (!body.contains(f)) errors[f] = bj::array{"Missing data for required field."};
      }
      if (errors.empty()) return std::nullopt;
      bj::object answer{{"message", "Data error"}, {"data", errors}};
      return Reply::json(bj::serialize(answer), 400);
    };
    if (r.method == "POST" && r.path == "/api/v2/alerts") {
      if (auto bad = required({"alert_title", "alert_severity_id", "alert_status_id",
                               "alert_customer_id", "alert_classification_id"})) {
        return *bad;
      }
      bj::object body = bj::parse(r.body).as_object();
      body["alert_id"] = 5;
      return Reply::json(bj::serialize(body), 201);
    }
    if (r.path == "/api/v2/alerts/5" && r.method == "PUT") {
      return Reply::json(R"({"alert_id":5,"alert_title":"t"})");
    }
    if (r.path == "/api/v2/cases/1064/iocs" && r.method == "POST") {
      if (auto bad = required({"ioc_value", "ioc_type_id", "ioc_tlp_id"})) return *bad;
      bj::object body = bj::parse(r.body).as_object();
      body["ioc_id"] = 77;
      return Reply::json(bj::serialize(body), 201);
    }
    if (r.path == "/alerts/escalate/5" && r.method == "POST") {
      return Reply::json(R"({"status":"success","message":"","data":{"case_id":1064,
          "case_name":"#1064 - [ALERT] x"}})");
    }
    return Reply{.status = 404};
  }
};

class IrisTest : public ::testing::Test {
 protected:
  IrisTest() {
    world_.receiver.set_handler([this](const ReceivedRequest& r) { return iris_(r); });
    world_.step.out_args = {"__iris_id__", "__alert__"};
  }
  Iris iris_;
  ConnectorWorld world_{bj::value("iris-key")};  // a string secret is the oauth2 token
  IrisCommand type_{world_.sender, world_.options};
};

TEST_F(IrisTest, CreateAlertReturnsItsIdAsAnInteger) {
  Outcome o = world_.run(type_, R"({"type":"x-atio-iris","operation":"create_alert",
      "alert":{"alert_title":"Scan","alert_severity_id":4,"alert_status_id":2,
               "alert_customer_id":1,"alert_classification_id":1}})");
  ASSERT_TRUE(o.status.is_ok()) << o.status.to_string();
  EXPECT_EQ(o.out_args.at("__iris_id__").as_int64(), 5);
  EXPECT_EQ(world_.receiver.requests().at(0).header("Accept"), "application/json");
}

TEST_F(IrisTest, MissingRequiredFieldsAreRefusedAndNamed) {
  Outcome o = world_.run(type_, R"({"type":"x-atio-iris","operation":"create_alert",
      "alert":{"alert_title":"Scan"}})");
  EXPECT_EQ(o.status.code(), Code::kFailed);
  EXPECT_NE(o.status.message().find("HTTP 400"), std::string::npos);
  EXPECT_NE(o.status.message().find("alert_severity_id"), std::string::npos) << o.status.message();
}

TEST_F(IrisTest, AddIocToACase) {
  Outcome o = world_.run(type_, R"({"type":"x-atio-iris","operation":"add_ioc","case_id":"1064",
      "ioc":{"ioc_value":"198.51.100.7","ioc_type_id":76,"ioc_tlp_id":2}})");
  ASSERT_TRUE(o.status.is_ok()) << o.status.to_string();
  EXPECT_EQ(o.out_args.at("__iris_id__").as_int64(), 77);
  auto r = world_.receiver.requests().at(0);
  EXPECT_EQ(r.path, "/api/v2/cases/1064/iocs");
  EXPECT_EQ(testing::body_json(r).at("ioc_value").as_string(), "198.51.100.7");

  Outcome refused = world_.run(type_, R"({"type":"x-atio-iris","operation":"add_ioc",
      "case_id":1064,"ioc":{"ioc_value":"x"}})");
  EXPECT_EQ(refused.status.code(), Code::kFailed);
  EXPECT_NE(refused.status.message().find("ioc_type_id"), std::string::npos);
}

TEST_F(IrisTest, EscalateReturnsTheCase) {
  Outcome o = world_.run(type_, R"({"type":"x-atio-iris","operation":"escalate_alert",
      "alert_id":5,"case_title":"[ALERT] x","note":"by atio","import_as_event":true})");
  ASSERT_TRUE(o.status.is_ok()) << o.status.to_string();
  EXPECT_EQ(o.out_args.at("__iris_id__").as_int64(), 1064);
  auto body = testing::body_json(world_.receiver.requests().at(0));
  EXPECT_EQ(body.at("note").as_string(), "by atio");
  EXPECT_FALSE(body.as_object().contains("alert_id"));
}

TEST_F(IrisTest, RetriesA503ThenSucceeds) {
  // The receiver copies its handler for each request: the count lives outside.
  auto seen = std::make_shared<std::atomic<int>>(0);
  world_.receiver.set_handler([this, seen](const ReceivedRequest& r) {
    if ((*seen)++ == 0) return Reply{.status = 503};
    return iris_(r);
  });
  Outcome o = world_.run(type_, R"({"type":"x-atio-iris","operation":"update_alert",
      "alert_id":5,"alert":{"alert_note":"seen again"}})");
  ASSERT_TRUE(o.status.is_ok()) << o.status.to_string();
  EXPECT_EQ(o.outputs.at("attempts").as_int64(), 2);
}

}  // namespace
}  // namespace atio::actions::connectors
