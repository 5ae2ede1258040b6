// Runs scripts in a jail: a fresh bubblewrap sandbox per run.
//
// What a jailed script gets (jail_args.h builds the bwrap command line):
//   - new user, pid, mount, ipc, uts, cgroup and network namespaces: it sees
//     only its own processes, and has no network (only loopback);
//   - /usr (with /bin, /lib, /lib64 links to it) and a few files of /etc it
//     needs (CA certificates, alternatives, time zone) read-only; nothing
//     else of the host: not atio's data directory, database, keys,
//     environment or its configuration;
//   - a private writable /tmp (a tmpfs of limits.tmp_bytes), its working
//     directory, gone when the run ends; everything else is read-only;
//   - the script itself read-only at /run/atio/script, its input on stdin;
//   - an environment of its own: PATH, HOME=/tmp, TMPDIR, LANG only (and
//     http_proxy/https_proxy when the run lists allowed hosts, egress.h).
// Limits: processes (RLIMIT_NPROC, counted per jail by its own user
// namespace), CPU seconds and address space per process, bytes per file
// written (its stdout included), size of /tmp, and wall time. When atio runs
// as root, the jail runs as an unprivileged uid (options.uid) so that the
// process limit applies (the kernel does not count root's processes).
//
// When a run ends (its main process exits, it passes its wall time, or it is
// cancelled), everything in the jail is killed: the script is the jail's
// pid 1, and when it dies (or bwrap, which takes it along) the kernel kills
// the rest of its pid namespace before the run is reported ended. Nothing the
// script started outlives its run.
//
// Threads: run() may be called from any thread. One supervisor thread starts
// jails, watches them (pidfds) and calls every `done` exactly once, on that
// thread; `done` should return quickly.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "atio/actions/action.h"
#include "atio/actions/process_outcome.h"
#include "atio/actions/script/egress.h"
#include "atio/core/status.h"
#include "atio/core/unique_fd.h"

namespace atio::actions {

struct JailLimits {
  // Wall time of a run whose step sets no timeout (a step timeout replaces
  // it, up to max_wall).
  std::chrono::milliseconds wall{60000};
  std::chrono::milliseconds max_wall{3600000};
  std::chrono::seconds cpu{30};            // CPU time per process (SIGXCPU, then SIGKILL)
  std::uint64_t memory_bytes = 1ull << 30;  // address space per process
  int processes = 64;                       // processes and threads in the jail
  // Largest file a jailed process may write, its stdout and stderr included
  // (past it: SIGXFSZ).
  std::uint64_t file_bytes = 256ull << 20;
  std::uint64_t tmp_bytes = 64ull << 20;    // size of the jail's /tmp
  int open_files = 256;
};

// atio-jail-init (apps/atio/jail_init.cc) beside the running executable, or
// in ../lib/atio/ from it; "" when neither exists.
std::string default_jail_init();

struct JailOptions {
  std::string bwrap = "/usr/bin/bwrap";
  // The jail's pid 1 (apps/atio/jail_init.cc), mounted read-only in each jail.
  std::string init = default_jail_init();
  // Where stdout and stderr are spooled while a script runs (unlinked files;
  // each at most limits.file_bytes).
  std::string spool_dir = "/tmp";
  // The uid and gid jails run as when atio runs as root. Ignored otherwise
  // (a jail then runs as atio's uid, still in its own user namespace).
  uid_t uid = 65534;
  gid_t gid = 65534;
  // Jails running at once; further runs wait in order.
  std::size_t max_running = 16;
  // Host directories a script may read, mounted read-only at the same path
  // (e.g. a virtualenv under /opt). /usr is always there.
  std::vector<std::string> read_only_paths;
  JailLimits limits;
};

// One run.
struct JailRun {
  // The command inside the jail, e.g. {"/usr/bin/python3", "-I", "/run/atio/script"}.
  std::vector<std::string> argv;
  std::string script;      // readable in the jail at kJailScriptPath
  std::string stdin_data;  // the script's stdin
  // Wall time of this run; 0 for limits.wall. Capped at limits.max_wall.
  std::chrono::milliseconds wall{0};
  std::shared_ptr<CancelToken> cancel;  // may be null
  // Hosts the script may reach through the jail's proxy (egress.h); none:
  // no network at all.
  std::vector<AllowedHost> allowed_hosts;
};

inline constexpr const char* kJailScriptPath = "/run/atio/script";

// How a run ended (process_outcome.h). status: OK when the script ran and
// ended by itself, whatever its exit code; kTimeout past its wall time;
// kAborted cancelled (or atio stopping); kUnavailable the jail could not
// start (bwrap missing, namespaces not allowed: the message says which); kIo
// spool files could not be made. exit_code is 128+N when signal N ended it.
// elapsed: from the start of bwrap to the end of the run.
using JailResult = ProcessResult;

class JailRunner {
 public:
  explicit JailRunner(JailOptions options = {});
  // Kills every running jail; `done` of each pending or running run is
  // called with kAborted before the destructor returns.
  ~JailRunner();
  JailRunner(const JailRunner&) = delete;
  JailRunner& operator=(const JailRunner&) = delete;

  // Queues a run and returns at once; `done` is called exactly once, on the
  // supervisor thread.
  void run(JailRun run, std::function<void(JailResult)> done);

  const JailOptions& options() const { return options_; }

  // Most stderr kept in a result.
  static constexpr std::size_t kMaxStderr = 64 * 1024;

 private:
  struct Impl;
  JailOptions options_;
  std::unique_ptr<Impl> impl_;
};

}  // namespace atio::actions
