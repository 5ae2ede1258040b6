// Every state-changing request leaves an audit record (walking the whole
// route table), playbook records carry hashes and a diff, refused
// credentials are recorded, the log fails closed, and /api/v1/audit.
#include <sqlite3.h>

#include "atio/cti/stix/jcs.h"
#include "atio/server/auth/crypto.h"
#include "server_test_support.h"
#include "support/sqlite_file.h"

namespace atio::server::testing {
namespace {

class AuditApiTest : public ServerTest {
 protected:
  store::AuditRecord last_record() {
    auto h = store_->audit_head();
    EXPECT_TRUE(h.is_ok());
    if (!h.is_ok() || h->seq == 0) return {};
    auto r = store_->get_audit(h->seq);
    EXPECT_TRUE(r.is_ok() && r->has_value());
    return r.is_ok() && r->has_value() ? **r : store::AuditRecord{};
  }
  std::int64_t head_seq() {
    auto h = store_->audit_head();
    return h.is_ok() ? h->seq : -1;
  }
  std::string key_id() {
    auto keys = store_->list_api_keys();
    EXPECT_TRUE(keys.is_ok() && keys->size() == 1u);
    return keys.is_ok() && !keys->empty() ? keys->front().id : "";
  }
  static bj::value detail(const store::AuditRecord& r) { return bj::parse(r.detail); }

  void sql(const std::string& text) { atio::testing::run_sql((dir_ / "atio.db").string(), text); }

};

// A target for `pattern` with every parameter filled in.
std::string fill(const std::string& pattern) {
  std::string out;
  for (std::size_t i = 0; i < pattern.size();) {
    if (pattern[i] == '{') {
      const auto end = pattern.find('}', i);
      out += "no-such-object";
      i = end + 1;
    } else {
      out += pattern[i++];
    }
  }
  return out;
}

TEST_F(AuditApiTest, EveryStateChangingRouteOfTheTableIsAudited) {
  int changing = 0;
  for (const Route& route : router_->routes()) {
    if (route.method == "GET" || route.method == "HEAD" || route.method == "OPTIONS") continue;
    ++changing;
    SCOPED_TRACE(route.method + " " + route.pattern);
    ASSERT_FALSE(route.audit.action.empty())
        << "a route that changes state must declare its audit action (Route::audit)";
    const std::int64_t before = head_seq();
    Response res = call(route.method, fill(route.pattern), "{}",
                        {{"user-agent", "route-walker/1"}});
    ASSERT_NE(res.status, 0);
    ASSERT_GT(head_seq(), before) << "no audit record for a " << res.status << " answer";
    store::AuditRecord r = last_record();
    EXPECT_EQ(r.action, route.audit.action);
    EXPECT_EQ(r.object_type, route.audit.object_type);
    EXPECT_EQ(r.user_agent, "route-walker/1");
    EXPECT_EQ(r.outcome, res.status < 400 ? "success" : "failure") << res.body;
    if (res.status >= 400) EXPECT_EQ(detail(r).at("status"), res.status);
  }
  EXPECT_GE(changing, 15);
}

TEST_F(AuditApiTest, PlaybookChangesRecordActorHashesAndADiff) {
  const std::string id = new_playbook_id();
  bj::object doc = lua_playbook(id);
  create_playbook(doc);
  store::AuditRecord created = last_record();
  EXPECT_EQ(created.action, "playbook.create");
  EXPECT_EQ(created.outcome, "success");
  EXPECT_EQ(created.actor, key_id());
  EXPECT_EQ(created.actor_kind, "key");
  EXPECT_EQ(created.actor_name, "tester");
  EXPECT_EQ(created.role, "admin");
  EXPECT_EQ(created.object_type, "playbook");
  EXPECT_EQ(created.object_id, id);
  const std::string hash_v1 = auth::sha256_hex(stix::canonicalize(bj::value(doc)));
  EXPECT_TRUE(detail(created).at("hash_before").is_null());
  EXPECT_EQ(detail(created).at("hash_after"), bj::value(hash_v1));

  doc["name"] = "renamed";
  doc["modified"] = "2024-02-01T00:00:00.000Z";
  Response r = call_json("PUT", "/api/v1/playbooks/" + id, doc);
  ASSERT_EQ(r.status, 200) << r.body;
  store::AuditRecord updated = last_record();
  EXPECT_EQ(updated.action, "playbook.update");
  EXPECT_EQ(updated.object_id, id);
  EXPECT_EQ(detail(updated).at("hash_before"), bj::value(hash_v1));
  EXPECT_EQ(detail(updated).at("hash_after"),
            bj::value(auth::sha256_hex(stix::canonicalize(bj::value(doc)))));
  const bj::value updated_detail = detail(updated);
  const bj::array& diff = updated_detail.at("diff").as_array();
  ASSERT_EQ(diff.size(), 2u) << bj::serialize(diff);
  bool name_replaced = false;
  for (const auto& op : diff) {
    name_replaced = name_replaced || (op.at("path") == "/name" && op.at("op") == "replace" &&
                                      op.at("value") == "renamed");
  }
  EXPECT_TRUE(name_replaced) << bj::serialize(diff);

  r = call("DELETE", "/api/v1/playbooks/" + id);
  ASSERT_EQ(r.status, 204);
  store::AuditRecord deleted = last_record();
  EXPECT_EQ(deleted.action, "playbook.delete");
  EXPECT_EQ(detail(deleted).at("hash_before"), detail(updated).at("hash_after"));
  EXPECT_TRUE(detail(deleted).at("hash_after").is_null());
}

TEST_F(AuditApiTest, AFailedChangeIsRecordedAsAFailure) {
  bj::object doc = lua_playbook(new_playbook_id());
  doc.erase("workflow_start");
  Response r = call_json("POST", "/api/v1/playbooks", doc);
  ASSERT_EQ(r.status, 422);
  store::AuditRecord rec = last_record();
  EXPECT_EQ(rec.action, "playbook.create");
  EXPECT_EQ(rec.outcome, "failure");
  EXPECT_EQ(detail(rec).at("status"), 422);
  EXPECT_EQ(detail(rec).at("error"), "invalid_playbook");
}

TEST_F(AuditApiTest, RefusedCredentialsAreRecordedAsDenied) {
  Response r = call("GET", "/api/v1/playbooks", "", {{"authorization", "Bearer wrong"}});
  ASSERT_EQ(r.status, 401);
  store::AuditRecord rec = last_record();
  EXPECT_EQ(rec.action, "auth.failure");
  EXPECT_EQ(rec.actor, "anonymous");
  EXPECT_EQ(rec.actor_kind, "anonymous");
  EXPECT_EQ(rec.outcome, "denied");
  EXPECT_EQ(rec.object_id, "GET /api/v1/playbooks");

  r = call_json("POST", "/api/v1/playbooks", lua_playbook(new_playbook_id()));
  ASSERT_EQ(r.status, 201);
  r = call("DELETE", "/api/v1/playbooks/x", "", {}, /*auth=*/false);
  ASSERT_EQ(r.status, 401);
  rec = last_record();
  EXPECT_EQ(rec.action, "playbook.delete");
  EXPECT_EQ(rec.outcome, "denied");
  EXPECT_EQ(rec.actor, "anonymous");
}

TEST_F(AuditApiTest, WhenTheAuditRecordCannotBeWrittenNothingChanges) {
  sql("CREATE TRIGGER audit_refuses BEFORE INSERT ON audit"
      " BEGIN SELECT RAISE(ABORT, 'audit refused'); END;");
  const std::string id = new_playbook_id();
  Response r = call_json("POST", "/api/v1/playbooks", lua_playbook(id));
  EXPECT_GE(r.status, 500) << r.body;
  auto stored = store_->get_playbook(id);
  ASSERT_TRUE(stored.is_ok());
  EXPECT_FALSE(stored->has_value()) << "the playbook was stored without its audit record";
  // An export is not answered without its record either.
  r = call("GET", "/api/v1/audit/export");
  EXPECT_EQ(r.status, 503) << r.body;
  sql("DROP TRIGGER audit_refuses");
  r = call_json("POST", "/api/v1/playbooks", lua_playbook(id));
  EXPECT_EQ(r.status, 201) << r.body;
}

TEST_F(AuditApiTest, TheAuditApiListsFiltersPagesVerifiesAndExports) {
  for (int i = 0; i < 5; ++i) create_playbook(lua_playbook(new_playbook_id()));
  (void)call("GET", "/api/v1/playbooks", "", {{"authorization", "Bearer wrong"}});

  Response r = call("GET", "/api/v1/audit?action=playbook.create&limit=2");
  ASSERT_EQ(r.status, 200) << r.body;
  bj::value page = body(r);
  ASSERT_EQ(page.at("records").as_array().size(), 2u);
  const std::int64_t next = page.at("next").as_int64();
  r = call("GET", "/api/v1/audit?action=playbook.create&limit=10&after=" + std::to_string(next));
  page = body(r);
  EXPECT_EQ(page.at("records").as_array().size(), 3u);
  EXPECT_TRUE(page.at("next").is_null());
  for (const auto& rec : page.at("records").as_array()) {
    EXPECT_EQ(rec.at("action"), "playbook.create");
    EXPECT_GT(rec.at("seq").as_int64(), next);
  }
  r = call("GET", "/api/v1/audit?outcome=denied");
  page = body(r);
  ASSERT_EQ(page.at("records").as_array().size(), 1u);
  EXPECT_EQ(page.at("records").at(0).at("actor"), "anonymous");
  r = call("GET", "/api/v1/audit?since=2000-01-01T00:00:00Z&until=2000-01-02T00:00:00Z");
  EXPECT_EQ(body(r).at("records").as_array().size(), 0u);
  r = call("GET", "/api/v1/audit?since=yesterday");
  EXPECT_EQ(r.status, 400);

  r = call("GET", "/api/v1/audit/1");
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(body(r).at("seq"), 1);
  EXPECT_EQ(call("GET", "/api/v1/audit/999").status, 404);
  EXPECT_EQ(call("GET", "/api/v1/audit/abc").status, 400);

  r = call("GET", "/api/v1/audit/head");
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(body(r).at("seq"), 6);

  r = call("POST", "/api/v1/audit/verify");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(body(r).at("ok"), true) << r.body;
  EXPECT_EQ(body(r).at("records"), 6);
  EXPECT_EQ(last_record().action, "audit.verify");

  r = call("GET", "/api/v1/audit/export");
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.content_type, "application/x-ndjson");
  std::size_t lines = 0;
  for (std::size_t p = 0; (p = r.body.find('\n', p)) != std::string::npos; ++p) ++lines;
  EXPECT_EQ(lines, 7u);  // the verify record too; the export's own comes after the answer is built
  EXPECT_EQ(last_record().action, "audit.export");
  r = call("GET", "/api/v1/audit/export?format=syslog&limit=1");
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.body.rfind("<109>1 ", 0), 0u) << r.body;
  EXPECT_EQ(header(r, "X-Atio-Next-After"), "1");
  EXPECT_EQ(call("GET", "/api/v1/audit/export?format=xml").status, 400);
}

}  // namespace
}  // namespace atio::server::testing
