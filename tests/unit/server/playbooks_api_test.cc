// /api/v1/playbooks through the router: every error path names its field.
#include <fstream>
#include <sstream>

#include "server_test_support.h"

namespace atio::server::testing {
namespace {

class PlaybooksApiTest : public ServerTest {};

TEST_F(PlaybooksApiTest, CreateListGetExport) {
  const std::string id = new_playbook_id();
  Response created = call_json("POST", "/api/v1/playbooks", lua_playbook(id));
  ASSERT_EQ(created.status, 201) << created.body;
  EXPECT_EQ(body(created).at("id"), bj::value(id));
  EXPECT_EQ(body(created).at("version"), "2024-01-01T00:00:00.000Z");

  Response list = call("GET", "/api/v1/playbooks");
  ASSERT_EQ(list.status, 200);
  const bj::value list_body = body(list);
  const auto& items = list_body.at("playbooks").as_array();
  ASSERT_EQ(items.size(), 1u);
  EXPECT_EQ(items[0].at("id"), bj::value(id));
  EXPECT_EQ(items[0].at("name"), "test playbook");
  EXPECT_TRUE(items[0].at("created_at").is_string());

  Response got = call("GET", "/api/v1/playbooks/" + id);
  EXPECT_EQ(got.status, 200);
  EXPECT_EQ(body(got).at("id"), bj::value(id));
  EXPECT_EQ(body(got).at("workflow").as_object().size(), 3u);

  Response exported = call("GET", "/api/v1/playbooks/" + id + "/export");
  EXPECT_EQ(exported.status, 200);
  EXPECT_NE(header(exported, "Content-Disposition").find("attachment"), std::string::npos);
  EXPECT_EQ(body(exported), body(got));  // Boost.JSON == ignores key order
}

TEST_F(PlaybooksApiTest, CreateTwiceIs409ImportReplaces) {
  const std::string id = new_playbook_id();
  ASSERT_EQ(call_json("POST", "/api/v1/playbooks", lua_playbook(id)).status, 201);
  Response again = call_json("POST", "/api/v1/playbooks", lua_playbook(id));
  EXPECT_EQ(again.status, 409);
  EXPECT_EQ(error_code(again), "already_exists");

  bj::object changed = lua_playbook(id);
  changed["name"] = "renamed";
  changed["modified"] = "2024-02-01T00:00:00.000Z";
  Response replaced = call_json("POST", "/api/v1/playbooks/import", changed);
  EXPECT_EQ(replaced.status, 200) << replaced.body;
  EXPECT_EQ(body(call("GET", "/api/v1/playbooks/" + id)).at("name"), "renamed");
  Response fresh = call_json("POST", "/api/v1/playbooks/import", lua_playbook(new_playbook_id()));
  EXPECT_EQ(fresh.status, 201);
}

TEST_F(PlaybooksApiTest, CorpusPlaybookImports) {
  std::ifstream in(std::string(ATIO_CORPUS_DIR) +
                   "/cacao2/playbooks/v2.0/soarca/examples/manual-playbook.json");
  std::stringstream ss;
  ss << in.rdbuf();
  Response r = call("POST", "/api/v1/playbooks/import", ss.str());
  EXPECT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(body(r).at("id"), "playbook--fe65ef7b-e8b1-4ed9-ba60-3c380ae5ab28");
}

TEST_F(PlaybooksApiTest, InvalidPlaybookIs422ListingEveryProblem) {
  bj::object doc = lua_playbook(new_playbook_id());
  doc.erase("name");
  doc["workflow_start"] = "start--00000000-0000-4000-8000-000000000000";  // dangling
  doc["spec_version"] = "cacao-9";
  Response r = call_json("POST", "/api/v1/playbooks", doc);
  ASSERT_EQ(r.status, 422) << r.body;
  EXPECT_EQ(error_code(r), "invalid_playbook");
  auto ptrs = pointers(r);
  EXPECT_GE(ptrs.size(), 3u) << r.body;
  auto has = [&](const std::string& p) { return std::find(ptrs.begin(), ptrs.end(), p) != ptrs.end(); };
  EXPECT_TRUE(has("/name") || has("")) << r.body;
  EXPECT_TRUE(has("/spec_version")) << r.body;
  EXPECT_TRUE(has("/workflow_start")) << r.body;
  EXPECT_EQ(execution_count(), 0u);
  EXPECT_EQ(call("GET", "/api/v1/playbooks").body.find("playbook--"), std::string::npos);
}

TEST_F(PlaybooksApiTest, UnsupportedCommandTypeIsRefused) {
  const std::string id = new_playbook_id();
  Response r = call_json("POST", "/api/v1/playbooks",
                         make_playbook(id, bj::object{{"type", "powershell"}, {"command", "ls"}}));
  ASSERT_EQ(r.status, 422);
  bool names_command = false;
  for (const auto& p : pointers(r)) names_command = names_command || p.find("/commands/0") != std::string::npos;
  EXPECT_TRUE(names_command) << r.body;
}

TEST_F(PlaybooksApiTest, MalformedBodies) {
  Response syntax = call("POST", "/api/v1/playbooks", "{\"type\": ");
  EXPECT_EQ(syntax.status, 400);
  EXPECT_EQ(error_code(syntax), "invalid_json");
  Response array = call("POST", "/api/v1/playbooks", "[1,2]");
  EXPECT_EQ(array.status, 422);
  EXPECT_EQ(pointers(array), std::vector<std::string>{""});
  std::string deep(100, '[');
  deep += std::string(100, ']');
  Response too_deep = call("POST", "/api/v1/playbooks", "{\"a\":" + deep + "}");
  EXPECT_EQ(too_deep.status, 400);
  EXPECT_NE(too_deep.body.find("deeper"), std::string::npos) << too_deep.body;
}

class SmallPlaybookLimit : public PlaybooksApiTest {
 protected:
  SmallPlaybookLimit() { limits_.max_playbook_bytes = 200; }
};

TEST_F(SmallPlaybookLimit, LargePlaybookIs413) {
  Response r = call_json("POST", "/api/v1/playbooks", lua_playbook(new_playbook_id()));
  EXPECT_EQ(r.status, 413);
  EXPECT_EQ(error_code(r), "playbook_too_large");
}

TEST_F(PlaybooksApiTest, UpdateChecksIdAndExistence) {
  const std::string id = create_playbook(lua_playbook(new_playbook_id()));
  Response mismatch = call_json("PUT", "/api/v1/playbooks/" + id, lua_playbook(new_playbook_id()));
  EXPECT_EQ(mismatch.status, 422);
  EXPECT_EQ(pointers(mismatch), std::vector<std::string>{"/id"});
  const std::string other = new_playbook_id();
  EXPECT_EQ(call_json("PUT", "/api/v1/playbooks/" + other, lua_playbook(other)).status, 404);
  bj::object changed = lua_playbook(id);
  changed["name"] = "v2";
  Response ok = call_json("PUT", "/api/v1/playbooks/" + id, changed);
  EXPECT_EQ(ok.status, 200) << ok.body;
  EXPECT_EQ(body(call("GET", "/api/v1/playbooks/" + id)).at("name"), "v2");
}

TEST_F(PlaybooksApiTest, UpdateIsSeenByTheEngine) {
  const std::string id = create_playbook(lua_playbook(new_playbook_id()));
  ASSERT_TRUE(playbooks_->get(id).is_ok());  // cached
  bj::object changed = lua_playbook(id);
  changed["name"] = "after update";
  ASSERT_EQ(call_json("PUT", "/api/v1/playbooks/" + id, changed).status, 200);
  EXPECT_EQ((*playbooks_->get(id))->name, "after update");
}

TEST_F(PlaybooksApiTest, DeleteRemovesAndRefusesWhileHooksUseIt) {
  const std::string id = create_playbook(lua_playbook(new_playbook_id()));
  Response hook = call_json("POST", "/api/v1/hooks", bj::object{{"playbook_id", id}});
  ASSERT_EQ(hook.status, 201);
  Response in_use = call("DELETE", "/api/v1/playbooks/" + id);
  EXPECT_EQ(in_use.status, 409);
  EXPECT_EQ(error_code(in_use), "in_use");
  std::string hook_id(body(hook).at("hook_id").as_string());
  EXPECT_EQ(call("DELETE", "/api/v1/hooks/" + hook_id).status, 204);
  EXPECT_EQ(call("DELETE", "/api/v1/playbooks/" + id).status, 204);
  EXPECT_EQ(call("GET", "/api/v1/playbooks/" + id).status, 404);
  EXPECT_EQ(call("DELETE", "/api/v1/playbooks/" + id).status, 404);
  EXPECT_FALSE(playbooks_->get(id).is_ok());
}

}  // namespace
}  // namespace atio::server::testing
