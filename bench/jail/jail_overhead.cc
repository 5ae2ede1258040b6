// What a jail costs a script: the same empty script (bash, python3) run
// RUNS times one after another without a jail (posix_spawn of the
// interpreter, stdin and stdout as a jailed run has them) and in atio's jail
// (JailRunner: bwrap, namespaces, mounts, atio-jail-init, limits), then
// jailed runs CONC at once for throughput. Times are from the start request
// to the script's end being known, as the engine sees them.
//
// Usage: jail_overhead ATIO_JAIL_INIT [RUNS] [CONC]
#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <future>
#include <string>
#include <vector>

#include "atio/actions/script/jail.h"

using namespace atio;
using Clock = std::chrono::steady_clock;

extern char** environ;

namespace {

double ms_since(Clock::time_point t) {
  return std::chrono::duration<double, std::milli>(Clock::now() - t).count();
}

void report(const char* what, std::vector<double> v) {
  std::sort(v.begin(), v.end());
  auto at = [&](double q) { return v[std::min(v.size() - 1, static_cast<std::size_t>(q * v.size()))]; };
  std::printf("  %-34s p50 %7.2f ms   p99 %7.2f ms   min %6.2f ms\n", what, at(0.5), at(0.99),
              v.front());
}

// The script as a file, stdin with {} and stdout to a temp file: as a jail.
double run_plain(const std::vector<std::string>& argv, const std::string& script_path) {
  auto start = Clock::now();
  int in = ::open("/dev/null", O_RDONLY);
  char out_path[] = "/tmp/atio-jail-bench-XXXXXX";
  int out = ::mkstemp(out_path);
  ::unlink(out_path);
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_adddup2(&fa, in, 0);
  posix_spawn_file_actions_adddup2(&fa, out, 1);
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a == atio::actions::kJailScriptPath ? script_path.c_str() : a.c_str()));
  args.push_back(nullptr);
  pid_t pid;
  if (posix_spawn(&pid, args[0], &fa, nullptr, args.data(), environ) != 0) std::abort();
  int status;
  ::waitpid(pid, &status, 0);
  posix_spawn_file_actions_destroy(&fa);
  ::close(in);
  ::close(out);
  return ms_since(start);
}

double run_jailed(actions::JailRunner& runner, const std::vector<std::string>& argv,
                  const std::string& script) {
  auto start = Clock::now();
  std::promise<void> done;
  actions::JailRun run;
  run.argv = argv;
  run.script = script;
  run.stdin_data = "{}";
  runner.run(std::move(run), [&](actions::JailResult r) {
    if (!r.status.is_ok() || r.exit_code != 0) {
      std::fprintf(stderr, "jailed run failed: %s (exit %d) %s\n", r.status.to_string().c_str(),
                   r.exit_code, r.stderr_tail.c_str());
      std::abort();
    }
    done.set_value();
  });
  done.get_future().wait();
  return ms_since(start);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: jail_overhead ATIO_JAIL_INIT [RUNS] [CONC]\n");
    return 2;
  }
  int runs = argc > 2 ? std::atoi(argv[2]) : 200;
  int conc = argc > 3 ? std::atoi(argv[3]) : 16;
  actions::JailOptions options;
  options.init = argv[1];
  options.spool_dir = "/tmp";
  options.max_running = static_cast<std::size_t>(conc);
  actions::JailRunner runner(options);

  struct Case {
    const char* name;
    std::vector<std::string> argv;
    std::string script;
  };
  std::vector<Case> cases = {
      {"bash", {"/usr/bin/bash", "--noprofile", "--norc", actions::kJailScriptPath}, "true\n"},
      {"python3", {"/usr/bin/python3", "-I", "-B", actions::kJailScriptPath}, "pass\n"},
  };
  for (const auto& c : cases) {
    std::string path = "/tmp/atio-jail-bench-script";
    FILE* f = std::fopen(path.c_str(), "w");
    std::fputs(c.script.c_str(), f);
    std::fclose(f);
    for (int i = 0; i < 5; ++i) {  // warm the page cache
      run_plain(c.argv, path);
      run_jailed(runner, c.argv, c.script);
    }
    std::vector<double> plain, jailed;
    for (int i = 0; i < runs; ++i) {
      plain.push_back(run_plain(c.argv, path));
      jailed.push_back(run_jailed(runner, c.argv, c.script));
    }
    std::printf("%s, empty script, %d runs each, one at a time:\n", c.name, runs);
    report("without a jail (posix_spawn)", plain);
    report("in atio's jail (JailRunner)", jailed);
    std::sort(plain.begin(), plain.end());
    std::sort(jailed.begin(), jailed.end());
    std::printf("  %-34s p50 %7.2f ms\n", "overhead of the jail", jailed[runs / 2] - plain[runs / 2]);

    auto start = Clock::now();
    int total = runs;
    std::vector<std::promise<void>> dones(total);
    for (int i = 0; i < total; ++i) {
      actions::JailRun run;
      run.argv = c.argv;
      run.script = c.script;
      runner.run(std::move(run), [&dones, i](actions::JailResult) { dones[i].set_value(); });
    }
    for (auto& d : dones) d.get_future().wait();
    double secs = ms_since(start) / 1000.0;
    std::printf("  %-34s %7.1f jails/s (%d runs, %d at once)\n", "throughput", total / secs, total,
                conc);
    ::unlink(path.c_str());
  }
  return 0;
}
