// `atio run PLAYBOOK`: one execution, no server; prints every step.
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <set>
#include <sstream>
#include <thread>

#include "atio/cli/commands.h"
#include "atio/cli/runtime.h"
#include "atio/core/ids.h"
#include "atio/core/json.h"

namespace atio::cli {

namespace {

Result<std::shared_ptr<const cacao::Playbook>> load_file(const std::string& path,
                                                         const actions::Registry& registry) {
  auto doc = json::parse_file(path);
  if (!doc.is_ok()) return doc.status();
  auto pb = engine::compile_playbook(*doc, registry);
  if (!pb.is_ok()) return pb.status().with_context(path);
  return pb;
}

Result<boost::json::value> read_event(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status(Code::kIo, "cannot open " + path);
  std::stringstream ss;
  ss << in.rdbuf();
  std::string text = ss.str();
  auto whole = json::parse(text);
  if (whole.is_ok()) return whole;
  // NDJSON: the first line is the event.
  auto nl = text.find('\n');
  if (nl != std::string::npos) {
    auto first = json::parse(std::string_view(text).substr(0, nl));
    if (first.is_ok()) return first;
  }
  return whole.status().with_context(path);
}

std::string truncate(std::string s, std::size_t n) {
  if (s.size() > n) {
    s.resize(n);
    s += "...";
  }
  return s;
}

// Answers manual steps from the terminal: "y" succeeds, "n" fails, anything
// else is the response text; end of input fails the step.
void answer_manual_steps(actions::ManualBoard& board, std::atomic<bool>& done) {
  std::set<std::string> asked;
  while (!done.load()) {
    for (const auto& t : board.list()) {
      if (!asked.insert(t.execution_id + t.step_key).second) continue;
      std::cout << "manual step " << t.step_id << " (" << t.step_name << "): " << t.command
                << "\n  answer y (done), n (failed) or text: " << std::flush;
      std::string line;
      actions::ManualAnswer a;
      a.answered_by = std::string("terminal:") + (getenv("USER") ? getenv("USER") : "unknown");
      if (!std::getline(std::cin, line)) {
        a.success = false;
        a.response = "no answer (end of input)";
      } else {
        a.success = line != "n";
        a.response = line;
      }
      (void)board.answer(t.execution_id, t.step_key, a);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
}

}  // namespace

int run_command(const RunArgs& args) {
  namespace fs = std::filesystem;
  fs::path tmp;
  std::string db = args.db;
  if (db.empty()) {
    tmp = fs::temp_directory_path() / ("atio-run-" + uuid_v4());
    fs::create_directories(tmp);
    db = (tmp / "run.db").string();
  }
  auto cleanup = [&] {
    if (!tmp.empty()) fs::remove_all(tmp);
  };

  auto source = std::make_shared<engine::MemoryPlaybookSource>();
  RuntimeOptions ro;
  ro.db_path = db;
  ro.synchronous = "normal";
  ro.engine.max_while_iterations = args.max_while_iterations;
  ro.playbooks = source;
  auto rt = make_runtime(ro);
  if (!rt.is_ok()) {
    std::cerr << "atio run: " << rt.status().to_string() << "\n";
    cleanup();
    return 2;
  }
  auto& runtime = **rt;

  auto main_pb = load_file(args.playbook, *runtime.registry);
  if (!main_pb.is_ok()) {
    std::cerr << main_pb.status().to_string() << "\n";
    cleanup();
    return 2;
  }
  source->put(*main_pb);
  for (const auto& w : args.with) {
    auto sub = load_file(w, *runtime.registry);
    if (!sub.is_ok()) {
      std::cerr << sub.status().to_string() << "\n";
      cleanup();
      return 2;
    }
    source->put(*sub);
  }

  boost::json::object vars;
  for (const auto& kv : args.vars) {
    auto eq = kv.find('=');
    if (eq == std::string::npos || eq == 0) {
      std::cerr << "atio run: --var " << kv << ": expected name=value\n";
      cleanup();
      return 2;
    }
    std::string name = kv.substr(0, eq);
    if (name.rfind("__", 0) != 0) name = "__" + name + "__";
    vars[name] = kv.substr(eq + 1);
  }
  if (!args.event_file.empty()) {
    auto ev = read_event(args.event_file);
    if (!ev.is_ok()) {
      std::cerr << "atio run: --event: " << ev.status().to_string() << "\n";
      cleanup();
      return 2;
    }
    vars["__event__"] = *ev;
  }

  engine::ExecutionOutcome outcome{};
  runtime.engine->on_finished([&outcome](const engine::ExecutionOutcome& o) { outcome = o; });
  auto ids = runtime.engine->start_sync((*main_pb)->id, {vars}, {{"kind", "cli"}});
  if (!ids.is_ok()) {
    std::cerr << "atio run: " << ids.status().to_string() << "\n";
    cleanup();
    return 2;
  }
  std::atomic<bool> finished{false};
  std::thread manual([&] { answer_manual_steps(*runtime.manual, finished); });
  runtime.engine->wait_idle();
  finished = true;
  manual.join();

  const std::string& id = ids->front();
  auto steps = runtime.store->get_steps(id);
  if (args.json) {
    boost::json::array out;
    if (steps.is_ok()) {
      for (const auto& s : *steps) {
        out.push_back({{"step_key", s.step_key}, {"step_id", s.step_id},
                       {"type", s.step_type}, {"status", store::to_string(s.status)},
                       {"branch", s.branch}, {"duration_ms", s.finished_at_ms - s.started_at_ms},
                       {"outputs", s.outputs}, {"variables", s.variables}, {"error", s.error}});
      }
    }
    boost::json::object result{{"execution_id", id},
                               {"status", store::to_string(outcome.status)},
                               {"error", outcome.error},
                               {"steps", out}};
    std::cout << json::pretty(result) << "\n";
  } else {
    std::cout << "execution " << id << " of " << (*main_pb)->id << "\n";
    if (steps.is_ok()) {
      for (const auto& s : *steps) {
        const cacao::Step* st = (*main_pb)->find_step(s.step_id);
        std::string name = st && !st->name.empty() ? " (" + st->name + ")" : "";
        std::cout << "  " << (s.status == store::StepStatus::kSucceeded ? "ok     " : "FAILED ")
                  << s.step_key << name << "  " << (s.finished_at_ms - s.started_at_ms) << " ms";
        if (!s.branch.empty()) std::cout << "  branch=" << s.branch;
        std::cout << "\n";
        if (!s.outputs.empty()) std::cout << "         outputs: " << truncate(json::dump(s.outputs), 400) << "\n";
        if (!s.variables.empty() && s.step_type == "action")
          std::cout << "         variables: " << truncate(json::dump(s.variables), 400) << "\n";
        if (!s.error.empty()) std::cout << "         error: " << s.error << "\n";
      }
    }
    std::cout << "result: " << store::to_string(outcome.status);
    if (!outcome.error.empty()) std::cout << ": " << outcome.error;
    std::cout << "\n";
  }
  rt.value().reset();  // stop the engine and close the store before removing its files
  cleanup();
  return outcome.status == store::ExecutionStatus::kSucceeded ? 0 : 1;
}

}  // namespace atio::cli
