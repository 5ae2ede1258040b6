#include "atio/cli/serve_jail.h"

#include <sys/stat.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <iostream>

#include "atio/cli/serve_options.h"

namespace atio::cli {

Status jail_options(const ServeArgs& args, actions::JailOptions* out) {
  actions::JailOptions o;
  o.bwrap = args.bwrap;
  unsigned uid = 0, gid = 0;
  if (std::string bad = parse_jail_user(args.jail_user, &uid, &gid); !bad.empty()) {
    return Status(Code::kInvalidArgument, "--jail-user " + bad);
  }
  o.uid = uid;
  o.gid = gid;
  o.limits.wall = std::chrono::milliseconds(args.script_timeout_ms);
  o.limits.cpu = std::chrono::seconds(args.script_cpu_seconds);
  o.limits.memory_bytes = static_cast<std::uint64_t>(args.script_memory_mb) << 20;
  o.limits.processes = static_cast<int>(args.script_processes);
  o.limits.file_bytes = static_cast<std::uint64_t>(args.script_file_mb) << 20;
  o.limits.tmp_bytes = static_cast<std::uint64_t>(args.script_tmp_mb) << 20;
  o.max_running = args.script_max_running;
  o.read_only_paths = args.script_read_only_paths;
  o.spool_dir = (std::filesystem::path(args.data_dir) / "spool").string();
  if (::mkdir(o.spool_dir.c_str(), 0700) != 0 && errno != EEXIST) {
    return Status(Code::kIo, "cannot create " + o.spool_dir + ": " + std::strerror(errno));
  }
  *out = std::move(o);
  return Status::ok();
}

actions::SshOptions ssh_options(const ServeArgs& args, const actions::JailOptions& jail) {
  actions::SshOptions o;
  o.known_hosts = args.ssh_known_hosts.empty()
                      ? (std::filesystem::path(args.data_dir) / "ssh_known_hosts").string()
                      : args.ssh_known_hosts;
  o.connect_timeout = std::chrono::milliseconds(args.ssh_connect_timeout_ms);
  o.default_timeout = std::chrono::milliseconds(args.ssh_timeout_ms);
  o.max_running = args.ssh_max_running;
  o.max_output_bytes = static_cast<std::uint64_t>(args.ssh_output_mb) << 20;
  o.spool_dir = jail.spool_dir;
  return o;
}

void check_jail(actions::JailRunner& runner) {
  actions::JailRun run;
  run.argv = {"/usr/bin/true"};
  run.wall = std::chrono::seconds(30);
  runner.run(std::move(run), [](actions::JailResult r) {
    if (r.status.is_ok() && r.exit_code == 0) return;
    std::string why = r.status.is_ok() ? "exit code " + std::to_string(r.exit_code)
                                       : r.status.message();
    std::cerr << "atio: warning: bash and x-atio-python steps will fail here: " << why
              << " (docs/scripts.md)" << std::endl;
  });
}

}  // namespace atio::cli
