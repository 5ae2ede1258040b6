// x-atio-misp against a local receiver that checks MISP's documented request
// contract (MISP OpenAPI; tests/integration/receivers/README.md): the bare
// key in Authorization, Accept and Content-Type application/json, the
// paths and body shapes of each operation; it answers as MISP does.
#include "atio/actions/connectors/misp_command.h"

#include <gtest/gtest.h>

// Designated initializers below name only the fields a test cares about.
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

#include <boost/json/serialize.hpp>

#include "unit/actions/connector_fixture.h"

namespace atio::actions::connectors {
namespace {

using atio::testing::ReceivedRequest;
using atio::testing::Reply;
using testing::ConnectorWorld;
using testing::errors_text;

const std::string kKey(40, 'a');  // MISP keys are 40 alphanumerics

// The MISP stand-in: refuses what MISP refuses, records nothing else.
Reply misp(const ReceivedRequest& r) {
  if (r.header("Authorization") != kKey) {
    return Reply::json(R"({"name":"Authentication failed. Please make sure you pass the API key of an API enabled user along in the Authorization header.","message":"Authentication failed.","url":")" + r.path + R"("})", 403);
  }
  if (r.header("Accept") != "application/json") {
    return Reply{.status = 302, .headers = {{"Location", "/users/login"}}};
  }
  if (r.method != "POST" || r.header("Content-Type") != "application/json") {
    return Reply::json(R"({"name":"Invalid JSON input","message":"wrong content type"})", 405);
  }
  bj::value body = bj::parse(r.body);
  if (r.path == "/events/add") {
    const bj::value* ev = body.as_object().if_contains("Event");
    const bj::value* info = ev ? ev->as_object().if_contains("info") : nullptr;
    if (info == nullptr || info->as_string().empty()) {
      return Reply::json(R"({"saved":false,"name":"Could not add Event","message":"Could not add Event","url":"/events/add","errors":{"Event":{"info":["Info cannot be empty."]}}})", 403);
    }
    return Reply::json(R"({"Event":{"id":"17","uuid":"5a1c5d2e-0000-4000-8000-000000000017","info":)" +
                       bj::serialize(*info) + "}}");
  }
  if (r.path == "/events/edit/17") return Reply::json(R"({"Event":{"id":"17","info":"edited"}})");
  if (r.path == "/attributes/add/17") {
    if (!body.as_object().contains("type")) {
      return Reply::json(R"({"saved":false,"name":"Could not add Attribute","message":"Could not add Attribute","errors":{"type":["No type set."]}})", 403);
    }
    return Reply::json(R"({"Attribute":{"id":"301","event_id":"17","type":"ip-dst"}})");
  }
  if (r.path == "/objects/add/17") return Reply::json(R"({"Object":{"id":"9","name":"domain-ip"}})");
  if (r.path == "/sightings/add") return Reply::json(R"({"Sighting":{"id":"4","attribute_id":"301"}})");
  if (r.path == "/events/restSearch") {
    return Reply::json(R"({"response":[{"Event":{"id":"17"}},{"Event":{"id":"18"}}]})");
  }
  return Reply::json(R"({"name":"Not Found","message":"Not Found"})", 404);
}

class MispTest : public ::testing::Test {
 protected:
  MispTest() {
    world_.receiver.set_handler(misp);
    world_.step.out_args = {"__id__", "__object__"};
  }
  ConnectorWorld world_{bj::value(bj::object{{"oauth_header", kKey}})};
  MispCommand type_{world_.sender, world_.options};
};

TEST_F(MispTest, AddEventWrapsTheEventAndReturnsItsId) {
  Outcome o = world_.run(type_, R"({"type":"x-atio-misp","operation":"add_event",
      "event":{"info":"Scan of 10.0.0.0/24","threat_level_id":"2"}})");
  ASSERT_TRUE(o.status.is_ok()) << o.status.to_string();
  auto r = world_.receiver.requests().at(0);
  EXPECT_EQ(r.method, "POST");
  EXPECT_EQ(r.path, "/events/add");
  EXPECT_EQ(testing::body_json(r).at("Event").at("info").as_string(), "Scan of 10.0.0.0/24");
  EXPECT_EQ(o.outputs.at("id").as_string(), "17");
  EXPECT_EQ(o.out_args.at("__id__").as_string(), "17");
  EXPECT_EQ(o.out_args.at("__object__").at("info").as_string(), "Scan of 10.0.0.0/24");
  EXPECT_EQ(world_.secrets.reveals, 1);
}

TEST_F(MispTest, ContractViolationFailsWithMispsMessage) {
  Outcome o = world_.run(type_, R"({"type":"x-atio-misp","operation":"add_event",
      "event":{"info":""}})");
  EXPECT_EQ(o.status.code(), Code::kFailed);
  EXPECT_NE(o.status.message().find("HTTP 403"), std::string::npos) << o.status.message();
  EXPECT_NE(o.status.message().find("Info cannot be empty."), std::string::npos)
      << o.status.message();
  EXPECT_EQ(world_.receiver.request_count(), 1u);  // a 403 is not retried
}

TEST_F(MispTest, EditAttributeObjectSightingSearch) {
  ASSERT_TRUE(world_.run(type_, R"({"type":"x-atio-misp","operation":"edit_event",
      "event_id":17,"event":{"info":"edited"}})").status);
  Outcome attr = world_.run(type_, R"({"type":"x-atio-misp","operation":"add_attribute",
      "event_id":"17","attribute":{"type":"ip-dst","value":"198.51.100.7"}})");
  ASSERT_TRUE(attr.status.is_ok()) << attr.status.to_string();
  EXPECT_EQ(attr.out_args.at("__id__").as_string(), "301");
  Outcome object = world_.run(type_, R"({"type":"x-atio-misp","operation":"add_object",
      "event_id":"17","object":{"name":"domain-ip","Attribute":[
        {"object_relation":"domain","type":"domain","value":"example.org"}]}})");
  ASSERT_TRUE(object.status.is_ok()) << object.status.to_string();
  Outcome sighting = world_.run(type_, R"({"type":"x-atio-misp","operation":"add_sighting",
      "values":["198.51.100.7"],"source":"atio"})");
  ASSERT_TRUE(sighting.status.is_ok()) << sighting.status.to_string();
  Outcome search = world_.run(type_, R"({"type":"x-atio-misp","operation":"search",
      "filters":{"value":"198.51.100.7"}})");
  ASSERT_TRUE(search.status.is_ok()) << search.status.to_string();
  EXPECT_EQ(search.out_args.at("__id__").as_array().size(), 2u);
  EXPECT_EQ(search.out_args.at("__object__").as_int64(), 2);

  auto reqs = world_.receiver.requests();
  ASSERT_EQ(reqs.size(), 5u);
  EXPECT_EQ(reqs[0].path, "/events/edit/17");
  EXPECT_EQ(testing::body_json(reqs[1]).at("value").as_string(), "198.51.100.7");
  EXPECT_EQ(reqs[2].path, "/objects/add/17");
  EXPECT_EQ(testing::body_json(reqs[2]).at("Object").at("name").as_string(), "domain-ip");
  EXPECT_EQ(testing::body_json(reqs[3]).at("values").as_array().size(), 1u);
  EXPECT_EQ(testing::body_json(reqs[4]).at("returnFormat").as_string(), "json");
}

TEST_F(MispTest, MissingKeyIsRefusedByMispAndNamed) {
  world_.secrets.values.clear();
  Outcome o = world_.run(type_, R"({"type":"x-atio-misp","operation":"add_event",
      "event":{"info":"x"}})");
  EXPECT_EQ(o.status.code(), Code::kNotFound);
  EXPECT_NE(o.status.message().find("atio secret set product"), std::string::npos)
      << o.status.message();
  EXPECT_EQ(world_.receiver.request_count(), 0u);
}

TEST_F(MispTest, VariableSubstitutedIdsMustStayIds) {
  // What "__misp_id__:value" became at run time; a path cannot be smuggled.
  Outcome o = world_.run(type_, R"({"type":"x-atio-misp","operation":"edit_event",
      "event_id":"17/../../users/delete/1","event":{"info":"x"}})");
  EXPECT_EQ(o.status.code(), Code::kInvalidArgument);
  EXPECT_EQ(world_.receiver.request_count(), 0u);
}

TEST_F(MispTest, ValidationNamesTheFieldAndTheRule) {
  auto errors = world_.validate(type_, R"({"type":"x-atio-misp","operation":"add_atribute"})");
  ASSERT_EQ(errors.size(), 1u) << errors_text(errors);
  EXPECT_EQ(errors[0].pointer, "/workflow/x/commands/0/operation");
  EXPECT_NE(errors[0].message.find("unknown operation \"add_atribute\""), std::string::npos);
  EXPECT_NE(errors[0].message.find("add_attribute"), std::string::npos);

  errors = world_.validate(type_, R"({"type":"x-atio-misp","operation":"add_attribute",
      "event_id":true,"atribute":{}})");
  std::string text = errors_text(errors);
  EXPECT_NE(text.find("/commands/0/event_id: must be an id (a string or an integer)"),
            std::string::npos) << text;
  EXPECT_NE(text.find("/commands/0/atribute: unknown parameter for operation add_attribute"),
            std::string::npos) << text;
  EXPECT_NE(text.find("/commands/0/attribute: is required for operation add_attribute"),
            std::string::npos) << text;

  errors = world_.validate(type_, R"({"type":"x-atio-misp","operation":"add_event",
      "event":"not an object"})");
  ASSERT_EQ(errors.size(), 1u) << errors_text(errors);
  EXPECT_EQ(errors[0].pointer, "/workflow/x/commands/0/event");
  EXPECT_EQ(errors[0].message, "must be a JSON object");

  // A variable stands for a value known at run time.
  errors = world_.validate(type_, R"({"type":"x-atio-misp","operation":"add_event",
      "event":"__misp_event__:value"})");
  EXPECT_TRUE(errors.empty()) << errors_text(errors);

  errors = world_.validate(type_, R"({"type":"x-atio-misp","operation":"add_sighting"})");
  ASSERT_EQ(errors.size(), 1u) << errors_text(errors);
  EXPECT_NE(errors[0].message.find("value, values, id or uuid"), std::string::npos);
}

TEST_F(MispTest, AVariableHoldingTheEventArrivesAsJsonText) {
  // The engine substitutes "__e__:value" with the variable's JSON text.
  Outcome o = world_.run(type_, R"({"type":"x-atio-misp","operation":"add_event",
      "event":"{\"Event\":{\"info\":\"from a variable\"}}"})");
  ASSERT_TRUE(o.status.is_ok()) << o.status.to_string();
  auto body = testing::body_json(world_.receiver.requests().at(0));
  EXPECT_EQ(body.at("Event").at("info").as_string(), "from a variable");
  EXPECT_EQ(body.as_object().size(), 1u);  // not wrapped twice

  o = world_.run(type_, R"({"type":"x-atio-misp","operation":"add_event","event":"[1,2]"})");
  EXPECT_EQ(o.status.code(), Code::kInvalidArgument);
  EXPECT_NE(o.status.message().find("parameter event must be a JSON object"), std::string::npos)
      << o.status.message();
}

TEST_F(MispTest, StepWithoutTargetIsInvalid) {
  world_.step.targets.clear();
  auto errors = world_.validate(type_, R"({"type":"x-atio-misp","operation":"add_event",
      "event":{"info":"x"}})");
  ASSERT_EQ(errors.size(), 1u) << errors_text(errors);
  EXPECT_NE(errors[0].message.find("no http-api target or agent"), std::string::npos);
}

}  // namespace
}  // namespace atio::actions::connectors
