// A real engine, SQLite store and API router for handler tests without
// sockets: requests go straight to Router::dispatch.
#pragma once

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <future>
#include <memory>
#include <string>
#include <thread>

#include "atio/actions/builtin.h"
#include "atio/core/ids.h"
#include "atio/core/json.h"
#include "atio/engine/engine.h"
#include "atio/engine/playbook_source.h"
#include "atio/metrics/metrics.h"
#include "atio/server/api/context.h"
#include "atio/server/auth/api_keys.h"
#include "atio/server/auth/authenticator.h"
#include "atio/server/router.h"
#include "atio/store/sqlite/sqlite_store.h"

namespace atio::server::testing {

namespace bj = boost::json;

// A valid CACAO 2.0 playbook: start -> one action -> end. `command` is the
// action's command object (x-atio-lua, manual, ...).
inline bj::object make_playbook(const std::string& id, bj::object command,
                                bj::object variables = {}) {
  const std::string start = "start--" + uuid_v4();
  const std::string action = "action--" + uuid_v4();
  const std::string end = "end--" + uuid_v4();
  const std::string agent = "individual--" + uuid_v4();
  bj::object doc{
      {"type", "playbook"},
      {"spec_version", "cacao-2.0"},
      {"id", id},
      {"name", "test playbook"},
      {"created_by", "identity--" + uuid_v4()},
      {"created", "2024-01-01T00:00:00.000Z"},
      {"modified", "2024-01-01T00:00:00.000Z"},
      {"workflow_start", start},
      {"agent_definitions", bj::object{{agent, bj::object{{"type", "individual"}, {"name", "SOC"}}}}},
      {"workflow",
       bj::object{{start, bj::object{{"type", "start"}, {"on_completion", action}}},
                  {action, bj::object{{"type", "action"},
                                      {"agent", agent},
                                      {"commands", bj::array{command}},
                                      {"on_completion", end}}},
                  {end, bj::object{{"type", "end"}}}}}};
  if (!variables.empty()) doc["playbook_variables"] = std::move(variables);
  return doc;
}

inline bj::object lua_playbook(const std::string& id) {
  return make_playbook(id, bj::object{{"type", "x-atio-lua"}, {"command", "return {}"}});
}

inline bj::object manual_playbook(const std::string& id) {
  return make_playbook(id, bj::object{{"type", "manual"}, {"command", "Approve the block"}});
}

inline std::string new_playbook_id() { return "playbook--" + uuid_v4(); }

class ServerTest : public ::testing::Test {
 protected:
  // Subclasses may change these before SetUp builds everything.
  engine::EngineOptions engine_options_;
  ApiLimits limits_;

  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("atio-server-" + uuid_v4());
    std::filesystem::create_directories(dir_);
    http_ = std::make_unique<actions::HttpClient>();
    manual_ = std::make_unique<actions::ManualBoard>();
    registry_ = std::make_unique<actions::Registry>();
    actions::BuiltinServices services;
    services.http = http_.get();
    services.manual = manual_.get();
    actions::register_builtin_actions(*registry_, services);
    store::SqliteOptions so;
    so.path = (dir_ / "atio.db").string();
    so.synchronous = "normal";
    auto st = store::open_sqlite_store(so);
    ASSERT_TRUE(st.is_ok()) << st.status().to_string();
    store_ = std::move(st).value();
    playbooks_ = std::make_unique<engine::StorePlaybookSource>(*store_, *registry_);
    engine_options_.workers = 2;
    engine_options_.metrics = &metrics_;
    engine_ = std::make_unique<engine::Engine>(engine_options_, *store_, *registry_, *playbooks_,
                                               *manual_);
    // Real time plus an offset the tests can move forward (expiries).
    auth::Clock clock = [offset = clock_offset_ms_] { return auth::system_now_ms() + *offset; };
    api_keys_ = std::make_unique<auth::ApiKeys>(*store_, clock);
    authenticator_ = std::make_unique<auth::StoreAuthenticator>(*store_, clock);
    ctx_.accounts.clock = clock;
    // Hashes as libsodium makes them, at its cheapest cost: tests make many.
    ctx_.accounts.password_cost = auth::PasswordCost::minimum();
    auto key = api_keys_->create("tester");
    ASSERT_TRUE(key.is_ok());
    key_ = *key;
    ctx_.store = store_.get();
    ctx_.engine = engine_.get();
    ctx_.manual = manual_.get();
    ctx_.registry = registry_.get();
    ctx_.playbooks = playbooks_.get();
    ctx_.playbook_cache = playbooks_.get();
    ctx_.limits = limits_;
    ctx_.metrics = &metrics_;
    cases_ = std::make_unique<cases::CaseService>(*store_);
    ctx_.cases = cases_.get();
    router_ = std::make_unique<Router>(*authenticator_, store_.get());
    add_api_routes(*router_, ctx_);
  }

  void TearDown() override {
    router_.reset();
    if (engine_) quiesce();
    if (engine_) engine_->stop();
    engine_.reset();
    cases_.reset();
    if (store_) store_->close();
    store_.reset();
    std::filesystem::remove_all(dir_);
  }

  // Lets executions still running end (aborting those that wait for a
  // person) before the engine stops, so each test ends with nothing in flight.
  void quiesce() {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (engine_->active() > 0 && std::chrono::steady_clock::now() < deadline) {
      for (const auto& t : manual_->list()) (void)engine_->abort(t.execution_id, "test teardown");
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
  }

  // Sends a request with the test's API key (unless `headers` has its own
  // Authorization or `auth` is false) and waits for the answer.
  Response call(const std::string& method, const std::string& target, const std::string& body = "",
                std::map<std::string, std::string> headers = {}, bool auth = true) {
    Request r;
    r.method = method;
    r.target = target;
    r.body = body;
    r.headers = std::move(headers);
    if (auth && !r.headers.count("authorization")) r.headers["authorization"] = "Bearer " + key_;
    auto p = std::make_shared<std::promise<Response>>();
    auto f = p->get_future();
    router_->dispatch(std::move(r), [p](Response res) { p->set_value(std::move(res)); });
    if (f.wait_for(std::chrono::seconds(20)) != std::future_status::ready) {
      ADD_FAILURE() << method << " " << target << ": no answer";
      return Response{0, "", "", {}};
    }
    return f.get();
  }

  Response call_json(const std::string& method, const std::string& target, const bj::value& body) {
    return call(method, target, json::dump(body));
  }

  static bj::value body(const Response& r) {
    auto v = json::parse(r.body);
    return v.is_ok() ? *v : bj::value();
  }

  static std::string header(const Response& r, const std::string& name) {
    for (const auto& [k, v] : r.headers) {
      if (k == name) return v;
    }
    return "";
  }

  // Pointers of the error's field errors.
  static std::vector<std::string> pointers(const Response& r) {
    std::vector<std::string> out;
    bj::value b = body(r);
    if (!b.is_object()) return out;
    const auto* e = b.as_object().if_contains("error");
    if (!e || !e->is_object()) return out;
    const auto* errs = e->as_object().if_contains("errors");
    if (!errs || !errs->is_array()) return out;
    for (const auto& x : errs->as_array()) out.push_back(std::string(x.at("pointer").as_string()));
    return out;
  }

  static std::string error_code(const Response& r) {
    bj::value b = body(r);
    if (!b.is_object() || !b.as_object().contains("error")) return "";
    return std::string(b.at("error").at("code").as_string());
  }

  // Stores `doc` through the API; returns its id.
  std::string create_playbook(const bj::object& doc) {
    Response r = call_json("POST", "/api/v1/playbooks", doc);
    EXPECT_EQ(r.status, 201) << r.body;
    return std::string(doc.at("id").as_string());
  }

  std::size_t execution_count() {
    store::ExecutionFilter f;
    f.limit = 100000;
    auto all = store_->list_executions(f);
    return all.is_ok() ? all->size() : 0;
  }

  // Waits until the execution reaches a terminal status; returns it.
  std::string wait_finished(const std::string& id) {
    for (int i = 0; i < 400; ++i) {
      auto e = store_->get_execution(id);
      if (e.is_ok() && *e && store::is_terminal((*e)->status)) return store::to_string((*e)->status);
      std::this_thread::sleep_for(std::chrono::milliseconds(25));
    }
    return "not finished";
  }

  std::filesystem::path dir_;
  metrics::Metrics metrics_;  // before the engine: it outlives it
  std::unique_ptr<actions::HttpClient> http_;
  std::unique_ptr<actions::ManualBoard> manual_;
  std::unique_ptr<actions::Registry> registry_;
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<engine::StorePlaybookSource> playbooks_;
  std::unique_ptr<engine::Engine> engine_;
  std::unique_ptr<cases::CaseService> cases_;
  // Moves the clock of API keys and sessions forward.
  void advance_clock(std::int64_t ms) { *clock_offset_ms_ += ms; }

  std::shared_ptr<std::atomic<std::int64_t>> clock_offset_ms_ =
      std::make_shared<std::atomic<std::int64_t>>(0);
  std::unique_ptr<auth::ApiKeys> api_keys_;
  std::unique_ptr<auth::StoreAuthenticator> authenticator_;
  std::string key_;
  ApiContext ctx_;
  std::unique_ptr<Router> router_;
};

}  // namespace atio::server::testing
