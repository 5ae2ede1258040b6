// x-atio-opensearch against a _bulk receiver that checks the documented
// contract (NDJSON, application/x-ndjson, action and document lines, final
// newline) and answers per item.
#include <gtest/gtest.h>

// Designated initializers below name only the fields a test cares about.
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

#include <boost/json/serialize.hpp>

#include <mutex>
#include <set>
#include <sstream>

#include "atio/actions/connectors/opensearch_command.h"
#include "unit/actions/connector_fixture.h"

namespace atio::actions::connectors {
namespace {

using atio::testing::ReceivedRequest;
using atio::testing::Reply;
using testing::ConnectorWorld;
using testing::errors_text;

// A _bulk endpoint. Documents whose "n" is in `busy` are refused with 429
// the first time they arrive, those with "bad": true with a mapping error.
struct Bulk {
  std::mutex mu;
  std::set<std::int64_t> busy;
  std::vector<bj::object> stored;
  std::vector<std::size_t> sizes;  // documents per request

  Reply operator()(const ReceivedRequest& r) {
    std::lock_guard<std::mutex> lock(mu);
    if (r.header("Authorization") != "Basic YWRtaW46c2VjcmV0") return Reply{.status = 401};
    if (r.method != "POST" || r.path != "/_bulk") return Reply{.status = 404};
    if (r.header("Content-Type") != "application/x-ndjson" || r.body.empty() ||
        r.body.back() != '\n') {
      return Reply::json(R"({"error":{"type":"illegal_argument_exception","reason":"The bulk request must be terminated by a newline [\\n]"},"status":400})", 400);
    }
    std::istringstream lines(r.body);
    std::string action, source;
    bj::array items;
    bool errors = false;
    std::size_t count = 0;
    while (std::getline(lines, action) && std::getline(lines, source)) {
      ++count;
      bj::object meta = bj::parse(action).as_object().at("index").as_object();
      bj::object doc = bj::parse(source).as_object();
      bj::object item{{"_index", meta.at("_index")}, {"_id", meta.contains("_id") ? meta.at("_id") : "auto"}};
      std::int64_t n = doc.at("n").as_int64();
      if (busy.erase(n)) {
        errors = true;
        item["status"] = 429;
        item["error"] = bj::object{{"type", "es_rejected_execution_exception"}, {"reason", "queue full"}};
      } else if (doc.contains("bad")) {
        errors = true;
        item["status"] = 400;
        item["error"] = bj::object{{"type", "mapper_parsing_exception"}, {"reason", "failed to parse field [bad]"}};
      } else {
        item["status"] = 201;
        item["result"] = "created";
        stored.push_back(doc);
      }
      items.push_back(bj::object{{"index", item}});
    }
    sizes.push_back(count);
    bj::object answer{{"took", 3}, {"errors", errors}, {"items", items}};
    return Reply::json(bj::serialize(answer));
  }
};

class OpenSearchTest : public ::testing::Test {
 protected:
  OpenSearchTest() {
    world_.receiver.set_handler([this](const ReceivedRequest& r) { return bulk_(r); });
    world_.step.out_args = {"__indexed__", "__errors__"};
    // http-basic for OpenSearch's security plugin, password from the store.
    auto& auth = world_.playbook.auth_infos[testing::kAuth];
    auth.type = "http-basic";
    auth.raw = testing::obj(R"({"type":"http-basic","user_id":"admin","kms":true,
                                "kms_key_identifier":"product"})");
  }
  Bulk bulk_;
  ConnectorWorld world_{bj::value("secret")};
  OpenSearchCommand type_{world_.sender, world_.options};
};

TEST_F(OpenSearchTest, IndexesDocumentsAsNdjsonWithIds) {
  Outcome o = world_.run(type_, R"({"type":"x-atio-opensearch","index":"atio-alerts",
      "id_field":"uid","refresh":"wait_for",
      "documents":[{"n":1,"uid":"a"},{"n":2,"uid":"b"},{"n":3,"uid":"c"}]})");
  ASSERT_TRUE(o.status.is_ok()) << o.status.to_string();
  EXPECT_EQ(o.out_args.at("__indexed__").as_int64(), 3);
  EXPECT_TRUE(o.out_args.at("__errors__").as_array().empty());
  auto r = world_.receiver.requests().at(0);
  EXPECT_EQ(r.target, "/_bulk?refresh=wait_for");
  std::istringstream lines(r.body);
  std::string first;
  std::getline(lines, first);
  EXPECT_EQ(bj::parse(first), bj::parse(R"({"index":{"_index":"atio-alerts","_id":"a"}})"));
  EXPECT_EQ(bulk_.stored.size(), 3u);
}

TEST_F(OpenSearchTest, ResendsOnlyTheItemsRejectedWith429) {
  bulk_.busy = {2, 4};
  Outcome o = world_.run(type_, R"({"type":"x-atio-opensearch","index":"atio",
      "documents":[{"n":1},{"n":2},{"n":3},{"n":4}]})");
  ASSERT_TRUE(o.status.is_ok()) << o.status.to_string();
  EXPECT_EQ(bulk_.sizes, (std::vector<std::size_t>{4, 2}));
  EXPECT_EQ(bulk_.stored.size(), 4u);  // each document once
  EXPECT_EQ(o.outputs.at("rounds").as_int64(), 2);
  EXPECT_EQ(o.outputs.at("indexed").as_int64(), 4);
}

TEST_F(OpenSearchTest, ItemErrorsAreReportedByPosition) {
  Outcome o = world_.run(type_, R"({"type":"x-atio-opensearch","index":"atio",
      "documents":[{"n":1},{"n":2,"bad":true},{"n":3}]})");
  EXPECT_EQ(o.status.code(), Code::kFailed);
  EXPECT_NE(o.status.message().find("1 of 3 documents not indexed: document 1: 400 "
                                    "mapper_parsing_exception"),
            std::string::npos) << o.status.message();
  auto errors = o.outputs.at("errors").as_array();
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].at("position").as_int64(), 1);
  EXPECT_EQ(o.outputs.at("indexed").as_int64(), 2);
}

TEST_F(OpenSearchTest, ValidationOfIndexAndDocuments) {
  auto errors = world_.validate(type_, R"({"type":"x-atio-opensearch","index":"Bad*Index",
      "documents":[{"n":1},"x"],"action":"delete"})");
  std::string text = errors_text(errors);
  EXPECT_NE(text.find("/index: must be an index name"), std::string::npos) << text;
  EXPECT_NE(text.find("/documents/1: must be a JSON object"), std::string::npos) << text;
  EXPECT_NE(text.find("/action: must be one of index, create"), std::string::npos) << text;
}

}  // namespace
}  // namespace atio::actions::connectors
