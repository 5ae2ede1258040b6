// Control-flow cases as data: every tests/cases/engine/*.json is one case,
// run against the real engine, SQLite store and command types, with a local
// HTTP receiver as the outside world. See tests/cases/engine/README.md.
#include <gtest/gtest.h>

#include <algorithm>
#include <condition_variable>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <thread>

#include "atio/actions/builtin.h"
#include "atio/core/ids.h"
#include "atio/core/json.h"
#include "atio/engine/engine.h"
#include "atio/engine/playbook_source.h"
#include "atio/store/sqlite/sqlite_store.h"
#include "support/http_receiver.h"

namespace atio::engine {
namespace {

namespace fs = std::filesystem;
namespace bj = boost::json;

const fs::path kCaseDir = fs::path(ATIO_SOURCE_DIR) / "tests" / "cases" / "engine";

std::vector<std::string> case_names() {
  std::vector<std::string> names;
  for (const auto& e : fs::directory_iterator(kCaseDir)) {
    if (e.path().extension() == ".json") names.push_back(e.path().stem().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

// A stable UUID for a symbolic name, so cases can write "action--{{fetch}}".
std::string name_uuid(const std::string& name) {
  std::size_t h1 = std::hash<std::string>{}(name);
  std::size_t h2 = std::hash<std::string>{}(name + "#");
  char buf[40];
  std::snprintf(buf, sizeof buf, "%08zx-%04zx-4%03zx-8%03zx-%012zx", h1 & 0xffffffff,
                (h1 >> 32) & 0xffff, (h1 >> 48) & 0xfff, h2 & 0xfff, (h2 >> 12) & 0xffffffffffff);
  return buf;
}

// Replaces {{RECEIVER}} with the receiver's URL and {{name}} with name_uuid(name).
std::string expand(const std::string& text, const std::string& receiver) {
  std::string out;
  std::size_t pos = 0;
  while (true) {
    auto open = text.find("{{", pos);
    if (open == std::string::npos) break;
    auto close = text.find("}}", open);
    if (close == std::string::npos) break;
    out.append(text, pos, open - pos);
    std::string name = text.substr(open + 2, close - open - 2);
    out += name == "RECEIVER" ? receiver : name_uuid(name);
    pos = close + 2;
  }
  out.append(text, pos, std::string::npos);
  return out;
}

// Fills the playbook metadata a case leaves out.
bj::object complete_playbook(bj::object pb, const std::string& name) {
  auto def = [&](const char* k, bj::value v) {
    if (!pb.contains(k)) pb[k] = std::move(v);
  };
  def("type", "playbook");
  def("spec_version", "cacao-2.0");
  def("id", bj::string("playbook--" + name_uuid(name)));
  def("name", bj::string(name));
  def("created_by", bj::string("identity--" + name_uuid("atio-tests")));
  def("created", "2026-01-01T00:00:00.000Z");
  def("modified", "2026-01-01T00:00:00.000Z");
  return pb;
}

// Whether `want` is contained in `got` (objects: every key of want matches).
bool json_subset(const bj::value& want, const bj::value& got) {
  if (want.is_object() && got.is_object()) {
    for (const auto& kv : want.get_object()) {
      auto it = got.get_object().find(kv.key());
      if (it == got.get_object().end() || !json_subset(kv.value(), it->value())) return false;
    }
    return true;
  }
  if (want.is_int64() && got.is_double()) return static_cast<double>(want.get_int64()) == got.get_double();
  return want == got;
}

class EngineCase : public ::testing::TestWithParam<std::string> {};

TEST_P(EngineCase, Runs) {
  const std::string name = GetParam();
  atio::testing::HttpReceiver rx;
  std::ifstream in(kCaseDir / (name + ".json"));
  std::stringstream ss;
  ss << in.rdbuf();
  auto parsed = json::parse(expand(ss.str(), rx.url()));
  ASSERT_TRUE(parsed.is_ok()) << parsed.status().to_string();
  const bj::object& c = parsed->as_object();

  // The outside world.
  std::mutex rx_mu;
  std::condition_variable rx_cv;
  std::set<std::string> arrived;
  std::map<std::string, bj::object> replies;
  if (auto* r = json::get_object(c, "receiver")) {
    for (const auto& kv : *r) replies[std::string(kv.key())] = kv.value().as_object();
  }
  rx.set_handler([&](const atio::testing::ReceivedRequest& req) {
    atio::testing::Reply reply;
    auto it = replies.find(req.path);
    if (it == replies.end()) return reply;
    const bj::object& spec = it->second;
    if (auto* b = spec.if_contains("barrier")) {
      // Answers only once every path of the barrier has arrived: proves the
      // requests were in flight at the same time.
      std::unique_lock<std::mutex> lk(rx_mu);
      arrived.insert(req.path);
      rx_cv.notify_all();
      bool all = rx_cv.wait_for(lk, std::chrono::seconds(10), [&] {
        for (const auto& p : b->as_array()) {
          if (!arrived.count(std::string(p.as_string()))) return false;
        }
        return true;
      });
      if (!all) {
        reply.status = 500;
        reply.body = "barrier not reached: requests did not overlap";
        return reply;
      }
    }
    if (auto* s = spec.if_contains("status")) reply.status = static_cast<int>(s->to_number<int>());
    if (auto* d = spec.if_contains("delay_ms")) reply.delay = std::chrono::milliseconds(d->to_number<int>());
    if (auto* body = spec.if_contains("body")) {
      reply.body = body->is_string() ? std::string(body->as_string()) : json::dump(*body);
      reply.headers.emplace_back("Content-Type", body->is_string() ? "text/plain" : "application/json");
    }
    return reply;
  });

  // The engine with the real store and command types.
  fs::path dir = fs::temp_directory_path() / ("atio-case-" + uuid_v4());
  fs::create_directories(dir);
  {
    store::SqliteOptions so;
    so.path = (dir / "atio.db").string();
    so.synchronous = "normal";
    auto st = store::open_sqlite_store(so);
    ASSERT_TRUE(st.is_ok()) << st.status().to_string();
    actions::HttpClient http;
    actions::ManualBoard board;
    actions::Registry registry;
    actions::BuiltinServices services;
    services.http = &http;
    services.manual = &board;
    actions::register_builtin_actions(registry, services);

    MemoryPlaybookSource source;
    bj::object main_doc = complete_playbook(c.at("playbook").as_object(), name);
    auto main_pb = compile_playbook(main_doc, registry);
    ASSERT_TRUE(main_pb.is_ok()) << main_pb.status().to_string();
    source.put(*main_pb);
    if (auto* subs = json::get_array(c, "subplaybooks")) {
      int i = 0;
      for (const auto& s : *subs) {
        auto pb = compile_playbook(complete_playbook(s.as_object(), name + "-sub" + std::to_string(i++)), registry);
        ASSERT_TRUE(pb.is_ok()) << pb.status().to_string();
        source.put(*pb);
      }
    }

    EngineOptions eo;
    if (auto* o = json::get_object(c, "options")) {
      if (auto* v = o->if_contains("max_while_iterations")) eo.max_while_iterations = v->to_number<int>();
      if (auto* v = o->if_contains("workers")) eo.workers = v->to_number<std::size_t>();
    }
    Engine engine(eo, **st, registry, source, board);
    ExecutionOutcome outcome{};
    engine.on_finished([&](const ExecutionOutcome& o) { outcome = o; });
    bj::object vars;
    if (auto* v = json::get_object(c, "variables")) vars = *v;
    auto ids = engine.start_sync((*main_pb)->id, {vars}, {{"kind", "test"}});
    ASSERT_TRUE(ids.is_ok()) << ids.status().to_string();
    const std::string id = ids->front();

    // Analysts and operators acting while it runs.
    std::thread actor([&] {
      if (auto* answers = json::get_array(c, "manual_answers")) {
        for (const auto& a : *answers) {
          const bj::object& ao = a.as_object();
          std::string step = std::string(ao.at("step_key").as_string());
          for (int i = 0; i < 500; ++i) {
            auto waiting = board.list(id);
            if (std::any_of(waiting.begin(), waiting.end(), [&](const auto& t) { return t.step_key == step; })) break;
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
          }
          actions::ManualAnswer ans;
          ans.success = ao.at("success").as_bool();
          ans.response = ao.contains("response") ? ao.at("response") : bj::value("");
          ans.answered_by = "case-runner";
          Status s = board.answer(id, step, ans);
          EXPECT_TRUE(s.is_ok()) << s.to_string();
        }
      }
      if (auto* a = c.if_contains("abort_when_waiting")) {
        // Abort once the given manual step is waiting.
        std::string step = std::string(a->as_string());
        for (int i = 0; i < 500 && board.list(id).empty(); ++i) {
          std::this_thread::sleep_for(std::chrono::milliseconds(10));
        }
        EXPECT_TRUE(engine.abort(id, "case-runner").is_ok());
      }
    });
    engine.wait_idle();
    actor.join();

    // Expectations.
    const bj::object& expect = c.at("expect").as_object();
    EXPECT_EQ(store::to_string(outcome.status), expect.at("status").as_string()) << outcome.error;
    if (auto* e = expect.if_contains("error_contains")) {
      EXPECT_NE(outcome.error.find(std::string(e->as_string())), std::string::npos) << outcome.error;
    }
    auto steps = (*st)->get_steps(id);
    ASSERT_TRUE(steps.is_ok());
    std::map<std::string, store::StepRecord> by_key;
    std::string trace_text;
    for (const auto& s : *steps) {
      by_key[s.step_key] = s;
      trace_text += "  " + s.step_key + " " + store::to_string(s.status) + " " + s.branch + " " + s.error + "\n";
    }
    if (auto* trace = expect.if_contains("trace")) {
      for (const auto& kv : trace->as_object()) {
        std::string key(kv.key());
        auto it = by_key.find(key);
        ASSERT_NE(it, by_key.end()) << "step " << key << " missing from the journal:\n" << trace_text;
        const bj::object& want = kv.value().as_object();
        if (auto* s = want.if_contains("status")) {
          EXPECT_EQ(store::to_string(it->second.status), s->as_string()) << key;
        }
        if (auto* b = want.if_contains("branch")) {
          EXPECT_EQ(it->second.branch, b->as_string()) << key;
        }
        if (auto* e = want.if_contains("error_contains")) {
          EXPECT_NE(it->second.error.find(std::string(e->as_string())), std::string::npos) << key << ": " << it->second.error;
        }
        if (auto* o = want.if_contains("outputs")) {
          EXPECT_TRUE(json_subset(*o, it->second.outputs)) << key << ": " << json::dump(it->second.outputs);
        }
        if (auto* v = want.if_contains("variables")) {
          EXPECT_TRUE(json_subset(*v, it->second.variables)) << key << ": " << json::dump(it->second.variables);
        }
      }
    }
    if (auto* absent = expect.if_contains("absent")) {
      for (const auto& k : absent->as_array()) {
        EXPECT_EQ(by_key.count(std::string(k.as_string())), 0u) << k.as_string() << " ran but should not have:\n" << trace_text;
      }
    }
    if (auto* count = expect.if_contains("steps")) {
      EXPECT_EQ(steps->size(), count->to_number<std::size_t>()) << trace_text;
    }
    auto reqs = rx.requests();
    if (auto* r = expect.if_contains("requests")) {
      for (const auto& kv : r->as_object()) {
        auto n = std::count_if(reqs.begin(), reqs.end(), [&](const auto& q) { return q.path == kv.key(); });
        EXPECT_EQ(n, kv.value().to_number<long>()) << "requests to " << kv.key();
      }
    }
    if (auto* rc = expect.if_contains("request_contains")) {
      for (const auto& kv : rc->as_object()) {
        std::string all;
        for (const auto& q : reqs) {
          if (q.path != kv.key()) continue;
          all += q.body + "\n";
          for (const auto& [h, v] : q.headers) all += h + ": " + v + "\n";
        }
        for (const auto& want : kv.value().as_array()) {
          EXPECT_NE(all.find(std::string(want.as_string())), std::string::npos)
              << kv.key() << " lacks " << want.as_string() << " in:\n" << all;
        }
      }
    }
    engine.stop();
    (*st)->close();
  }
  fs::remove_all(dir);
}

INSTANTIATE_TEST_SUITE_P(Cases, EngineCase, ::testing::ValuesIn(case_names()),
                         [](const auto& info) {
                           std::string n = info.param;
                           std::replace(n.begin(), n.end(), '-', '_');
                           return n;
                         });

}  // namespace
}  // namespace atio::engine
