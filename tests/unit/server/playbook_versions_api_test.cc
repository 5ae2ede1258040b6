// Playbook versions through the API: every save is a version with its
// author and comment, versions outlive the playbook, any two can be
// diffed, a restore is audited and makes a new version; protection is
// audited and shown in the list.
#include <set>

#include "server_test_support.h"

namespace atio::server::testing {
namespace {

class PlaybookVersionsApiTest : public ServerTest {};

TEST_F(PlaybookVersionsApiTest, SavesDiffRestoreAndDeletion) {
  const std::string id = new_playbook_id();
  bj::object v1 = lua_playbook(id);
  ASSERT_EQ(call_json("POST", "/api/v1/playbooks?comment=first", v1).status, 201);
  bj::object v2 = v1;
  v2["name"] = "renamed";
  v2["modified"] = "2024-02-01T00:00:00.000Z";
  ASSERT_EQ(call("PUT", "/api/v1/playbooks/" + id, json::dump(v2),
                 {{"x-atio-comment", "second"}}).status, 200);

  Response list = call("GET", "/api/v1/playbooks/" + id + "/versions");
  ASSERT_EQ(list.status, 200) << list.body;
  const bj::value lb = body(list);
  const auto& versions = lb.at("versions").as_array();
  ASSERT_EQ(versions.size(), 2u);
  EXPECT_EQ(versions[0].at("version"), 2);
  EXPECT_EQ(versions[0].at("comment"), "second");
  EXPECT_EQ(versions[1].at("comment"), "first");
  EXPECT_EQ(versions[1].at("author").at("name"), "tester");
  EXPECT_EQ(versions[1].at("hash"), bj::value(store::playbook_content_hash(v1)));

  Response one = call("GET", "/api/v1/playbooks/" + id + "/versions/1");
  ASSERT_EQ(one.status, 200);
  EXPECT_EQ(body(one).at("document"), bj::value(v1));

  Response diff = call("GET", "/api/v1/playbooks/" + id + "/diff?from=1&to=2");
  ASSERT_EQ(diff.status, 200) << diff.body;
  std::set<std::string> paths;
  const bj::value diff_body = body(diff);
  for (const auto& op : diff_body.at("diff").as_array()) {
    paths.insert(std::string(op.at("path").as_string()));
  }
  EXPECT_EQ(paths, (std::set<std::string>{"/name", "/modified"}));

  ASSERT_EQ(call("DELETE", "/api/v1/playbooks/" + id).status, 204);
  EXPECT_EQ(call("GET", "/api/v1/playbooks/" + id).status, 404);
  EXPECT_EQ(body(call("GET", "/api/v1/playbooks/" + id + "/versions")).at("versions").as_array().size(), 2u);

  Response restored = call("POST", "/api/v1/playbooks/" + id + "/versions/1/restore?comment=undo");
  ASSERT_EQ(restored.status, 200) << restored.body;
  EXPECT_EQ(body(restored).at("version").at("version"), 3);
  EXPECT_EQ(body(call("GET", "/api/v1/playbooks/" + id)), bj::value(v1));
  store::AuditFilter f;
  f.action = "playbook.restore";
  auto records = store_->list_audit(f);
  ASSERT_TRUE(records.is_ok());
  ASSERT_EQ(records->size(), 1u);
  EXPECT_EQ((*records)[0].object_id, id);
  EXPECT_NE((*records)[0].detail.find("\"restored_from\":1"), std::string::npos);

  EXPECT_EQ(call("GET", "/api/v1/playbooks/" + id + "/versions/9").status, 404);
  EXPECT_EQ(call("GET", "/api/v1/playbooks/" + id + "/versions/x").status, 400);
}

TEST_F(PlaybookVersionsApiTest, ProtectionIsAuditedAndListed) {
  const std::string id = create_playbook(lua_playbook(new_playbook_id()));
  ASSERT_EQ(call("PUT", "/api/v1/playbooks/" + id + "/protection").status, 200);
  bj::value list = body(call("GET", "/api/v1/playbooks"));
  EXPECT_EQ(list.at("playbooks").as_array()[0].at("protected"), true);
  ASSERT_EQ(call("DELETE", "/api/v1/playbooks/" + id + "/protection").status, 200);
  list = body(call("GET", "/api/v1/playbooks"));
  EXPECT_EQ(list.at("playbooks").as_array()[0].at("protected"), false);
  for (const char* action : {"playbook.protect", "playbook.unprotect"}) {
    store::AuditFilter f;
    f.action = action;
    auto records = store_->list_audit(f);
    ASSERT_TRUE(records.is_ok());
    EXPECT_EQ(records->size(), 1u) << action;
  }
  EXPECT_EQ(call("PUT", "/api/v1/playbooks/playbook--nope/protection").status, 404);
}

TEST_F(PlaybookVersionsApiTest, WorkflowsInShufflesShape) {
  const std::string id = create_playbook(lua_playbook(new_playbook_id()));
  Response r = call("GET", "/api/v1/workflows");
  ASSERT_EQ(r.status, 200);
  const bj::value b = body(r);
  ASSERT_TRUE(b.is_array());
  ASSERT_EQ(b.as_array().size(), 1u);
  const auto& w = b.as_array()[0];
  EXPECT_EQ(w.at("id"), bj::value(id));
  EXPECT_EQ(w.at("updated_by"), "tester");
  EXPECT_TRUE(w.at("edited").is_int64());
  EXPECT_EQ(w.at("actions").as_array().size(), 3u);   // start, action, end
  EXPECT_EQ(w.at("branches").as_array().size(), 2u);  // start -> action -> end
}

}  // namespace
}  // namespace atio::server::testing
