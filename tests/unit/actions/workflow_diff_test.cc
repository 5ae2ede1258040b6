// x-atio-monitor's comparison of two listings of Shuffle's workflow API:
// Shuffle's internal saves (edited bumped, trigger status changed) are not
// modifications; a real edit is, attributed to updated_by; creations and
// deletions are listed; the first run is the baseline.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "atio/actions/monitor/workflow_diff.h"

namespace atio::actions {
namespace {

namespace bj = boost::json;

// A workflow as Shuffle's GET /api/v1/workflows lists it (shuffle-shared
// structs.go: Workflow, Action, Trigger, Branch).
bj::object shuffle_workflow(const std::string& id, const std::string& name) {
  return bj::object{
      {"id", id},
      {"name", name},
      {"description", "triage"},
      {"created", 1700000000},
      {"edited", 1700000100},
      {"updated_by", "alice@example.org"},
      {"is_valid", true},
      {"previously_saved", true},
      {"actions", bj::array{bj::object{{"id", "a1"}, {"app_name", "http"}, {"name", "GET"},
                                       {"parameters", bj::array{bj::object{{"name", "url"}, {"value", "https://x"}}}}}}},
      {"branches", bj::array{}},
      {"triggers", bj::array{bj::object{{"id", "t1"}, {"trigger_type", "WEBHOOK"}, {"status", "uninitialized"}}}},
      {"workflow_variables", bj::array{}}};
}

WorkflowComparison run(const bj::array* previous, const bj::array& now) {
  return compare_workflows(previous, now, 1700000200000);
}

TEST(WorkflowDiff, FirstRunIsTheBaseline) {
  bj::array now{shuffle_workflow("w1", "one")};
  WorkflowComparison c = run(nullptr, now);
  EXPECT_EQ(c.total(), 0u);
  EXPECT_EQ(c.workflow_data.size(), 1u);
}

TEST(WorkflowDiff, InternalSaveIsNotAModification) {
  bj::array before_list{shuffle_workflow("w1", "one")};
  WorkflowComparison first = run(nullptr, before_list);
  bj::object saved = shuffle_workflow("w1", "one");
  saved["edited"] = 1700009999;                            // bumped by SetWorkflow
  saved["triggers"].as_array()[0].as_object()["status"] = "running";  // a webhook started
  saved["is_valid"] = false;
  saved["updated_by"] = "system";
  WorkflowComparison c = run(&first.state, bj::array{saved});
  EXPECT_EQ(c.total(), 0u);
}

TEST(WorkflowDiff, EditsCreationsAndDeletionsAreReported) {
  bj::array before_list{shuffle_workflow("w1", "one"), shuffle_workflow("w2", "two")};
  WorkflowComparison first = run(nullptr, before_list);
  bj::object edited = shuffle_workflow("w1", "one");
  edited["actions"].as_array()[0].as_object()["parameters"].as_array()[0].as_object()["value"] =
      "https://evil";
  edited["updated_by"] = "mallory@example.org";
  WorkflowComparison c = run(&first.state, bj::array{edited, shuffle_workflow("w3", "three")});
  ASSERT_EQ(c.modified.size(), 1u);
  ASSERT_EQ(c.created.size(), 1u);
  ASSERT_EQ(c.deleted.size(), 1u);
  EXPECT_EQ(c.modified[0].at("id"), "w1");
  EXPECT_EQ(c.modified[0].at("actor"), "mallory@example.org");
  // The diff names the value that changed.
  bool found = false;
  for (const auto& op : c.modified[0].at("changes").as_array()) {
    found = found || (op.at("path") == "/actions/0/parameters/0/value" && op.at("value") == "https://evil");
  }
  EXPECT_TRUE(found) << bj::serialize(c.modified[0]);
  EXPECT_EQ(c.created[0].at("id"), "w3");
  EXPECT_EQ(c.deleted[0].at("id"), "w2");
  EXPECT_EQ(c.deleted[0].at("name"), "two");
  bj::object n = workflow_notification(c);
  EXPECT_EQ(n.at("notification").at("DeletionEvents").as_array().size(), 1u);
  EXPECT_EQ(n.at("workflow_data").as_array().size(), 2u);
}

TEST(WorkflowDiff, HashIgnoresMemberOrderButNotContent) {
  bj::object a = shuffle_workflow("w1", "one");
  bj::object reordered;
  for (auto it = a.end(); it != a.begin();) {
    --it;
    reordered[it->key()] = it->value();
  }
  EXPECT_EQ(workflow_hash(a), workflow_hash(reordered));
  bj::object renamed = a;
  renamed["name"] = "other";
  EXPECT_NE(workflow_hash(a), workflow_hash(renamed));
  EXPECT_EQ(workflow_hash(a).size(), 64u);
}

}  // namespace
}  // namespace atio::actions
