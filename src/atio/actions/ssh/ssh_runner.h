// Runs one command on a remote host over SSH (libssh), for the CACAO `ssh`
// command type (ssh_command.h). A fixed set of worker threads each runs one
// session at a time; runs beyond them wait in order.
//
// One run:
//  1. connects to host:port within connect_timeout;
//  2. checks the host's key against the known-hosts file (OpenSSH format,
//     hashed entries too; ~/.ssh/config, /etc/ssh and ssh-agent are never
//     read). A host that is not in the file, or whose key differs, is refused
//     with the key's SHA256 fingerprint and the line to add: atio never
//     trusts a key on first use;
//  3. authenticates with a password or a private key (OpenSSH or PEM text,
//     with its passphrase when it has one);
//  4. runs the command in an exec channel without a terminal: stdin gets
//     `stdin_data` then end-of-file; stdout goes to an unlinked spool file,
//     at most max_output_bytes; the last 64 KiB of stderr are kept;
//  5. reports the exit status.
// Past the deadline, or when cancelled, the remote command is sent SIGKILL
// (a "signal" channel request; OpenSSH's sshd honours it) and the session is
// closed: the result is kTimeout or kAborted.
//
// Errors (ProcessResult::status), each naming user@host:port:
//   kUnavailable       cannot connect, or the connection broke
//   kTimeout           connect, authentication or the command took too long
//   kPermissionDenied  host key unknown or changed; authentication refused
//   kInvalidArgument   the private key cannot be read
//   kFailed            the command exceeded max_output_bytes (it is stopped)
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "atio/actions/action.h"
#include "atio/actions/process_outcome.h"

namespace atio::actions {

struct SshOptions {
  // OpenSSH known_hosts file; the only source of trusted host keys.
  std::string known_hosts;
  std::chrono::milliseconds connect_timeout{10000};
  // A command's wall time when its step sets none.
  std::chrono::milliseconds default_timeout{300000};
  std::size_t max_running = 16;  // sessions at once (worker threads)
  std::uint64_t max_output_bytes = 1ull << 30;  // stdout of one command
  std::string spool_dir = "/tmp";                // where stdout is spooled
};

struct SshRun {
  std::string host;  // name or address
  int port = 22;
  std::string user;
  std::string password;         // password authentication when not empty
  std::string private_key;      // key authentication when not empty (tried first)
  std::string key_passphrase;   // of private_key, when it has one
  std::string command;
  std::string stdin_data;
  std::chrono::milliseconds timeout{0};  // 0: options.default_timeout
  std::shared_ptr<CancelToken> cancel;   // may be null
};

// "user@host:port" ("user@[::1]:22"), as messages name a destination.
std::string ssh_destination(const SshRun& run);

class SshRunner {
 public:
  explicit SshRunner(SshOptions options);
  // Stops the workers: runs still waiting end with kAborted, running ones are
  // cancelled; every `done` is called before the destructor returns.
  ~SshRunner();
  SshRunner(const SshRunner&) = delete;
  SshRunner& operator=(const SshRunner&) = delete;

  // Queues a run and returns at once; `done` is called exactly once, on a
  // worker thread.
  void run(SshRun run, std::function<void(ProcessResult)> done);

  const SshOptions& options() const { return options_; }

 private:
  struct Job {
    SshRun run;
    std::function<void(ProcessResult)> done;
  };
  void work();
  ProcessResult execute(const SshRun& run);

  SshOptions options_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<Job> queue_;
  bool stopping_ = false;
  std::shared_ptr<CancelToken> stop_token_ = std::make_shared<CancelToken>();
  std::vector<std::thread> workers_;
  std::size_t idle_ = 0;  // workers waiting for a run (workers are made on demand)
};

}  // namespace atio::actions
