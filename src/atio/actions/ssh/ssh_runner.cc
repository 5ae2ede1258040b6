#include "atio/actions/ssh/ssh_runner.h"

#include <libssh/libssh.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "atio/actions/script/jail_spawn.h"
#include "atio/core/thread_name.h"

namespace atio::actions {

namespace {

using Clock = std::chrono::steady_clock;

constexpr std::size_t kMaxStderr = 64 * 1024;
constexpr int kPollMs = 50;  // how often a running command looks at its deadline and cancel

// Frees a libssh handle when the scope ends.
template <typename T, void (*Free)(T)>
struct Owned {
  T p = nullptr;
  explicit Owned(T v) : p(v) {}
  ~Owned() {
    if (p) Free(p);
  }
  Owned(const Owned&) = delete;
  Owned& operator=(const Owned&) = delete;
};

void free_session(ssh_session s) {
  ssh_disconnect(s);
  ssh_free(s);
}
using Session = Owned<ssh_session, free_session>;
using Channel = Owned<ssh_channel, ssh_channel_free>;
using Key = Owned<ssh_key, ssh_key_free>;

// The server's key as "SHA256:..." and as a known_hosts line.
struct ServerKey {
  std::string fingerprint;
  std::string line;
};

ServerKey server_key(ssh_session s, const SshRun& run) {
  ServerKey out;
  ssh_key key = nullptr;
  if (ssh_get_server_publickey(s, &key) != SSH_OK) return out;
  Key owned(key);
  unsigned char* hash = nullptr;
  size_t len = 0;
  if (ssh_get_publickey_hash(key, SSH_PUBLICKEY_HASH_SHA256, &hash, &len) == 0) {
    char* fp = ssh_get_fingerprint_hash(SSH_PUBLICKEY_HASH_SHA256, hash, len);
    if (fp) {
      out.fingerprint = fp;
      ssh_string_free_char(fp);
    }
    ssh_clean_pubkey_hash(&hash);
  }
  char* b64 = nullptr;
  if (ssh_pki_export_pubkey_base64(key, &b64) == SSH_OK && b64) {
    std::string host = run.port == 22 ? run.host : "[" + run.host + "]:" + std::to_string(run.port);
    out.line = host + " " + ssh_key_type_to_char(ssh_key_type(key)) + " " + b64;
    ssh_string_free_char(b64);
  }
  return out;
}

Status host_key_status(ssh_session s, const SshRun& run, const SshOptions& options) {
  const enum ssh_known_hosts_e known = ssh_session_is_known_server(s);
  if (known == SSH_KNOWN_HOSTS_OK) return Status::ok();
  ServerKey key = server_key(s, run);
  const std::string who = "ssh " + ssh_destination(run) + ": ";
  switch (known) {
    case SSH_KNOWN_HOSTS_CHANGED:
    case SSH_KNOWN_HOSTS_OTHER:
      return Status(Code::kPermissionDenied,
                    who + "the host's key " + key.fingerprint + " is not the one " +
                        options.known_hosts +
                        " lists for it: refused (the host was reinstalled, or someone is in "
                        "the middle); replace its line once the new key is confirmed");
    case SSH_KNOWN_HOSTS_UNKNOWN:
    case SSH_KNOWN_HOSTS_NOT_FOUND:
      return Status(Code::kPermissionDenied,
                    who + "host key " + key.fingerprint + " is not in the known hosts file " +
                        options.known_hosts + ": refused. Once the fingerprint is confirmed, add "
                        "the line \"" + key.line + "\" to that file (or run ssh-keyscan)");
    default:
      return Status(Code::kUnavailable, who + "cannot check the host key against " +
                                            options.known_hosts + ": " + ssh_get_error(s));
  }
}

// Connects, checks the host key and authenticates.
Status open_session(ssh_session s, const SshRun& run, const SshOptions& options) {
  const std::string who = "ssh " + ssh_destination(run) + ": ";
  unsigned int port = static_cast<unsigned int>(run.port);
  long timeout_s = static_cast<long>(options.connect_timeout.count() / 1000);
  long timeout_us = static_cast<long>((options.connect_timeout.count() % 1000) * 1000);
  int strict = 1;
  bool no_config = false;
  ssh_options_set(s, SSH_OPTIONS_PROCESS_CONFIG, &no_config);
  ssh_options_set(s, SSH_OPTIONS_HOST, run.host.c_str());
  ssh_options_set(s, SSH_OPTIONS_PORT, &port);
  ssh_options_set(s, SSH_OPTIONS_USER, run.user.c_str());
  ssh_options_set(s, SSH_OPTIONS_TIMEOUT, &timeout_s);
  ssh_options_set(s, SSH_OPTIONS_TIMEOUT_USEC, &timeout_us);
  ssh_options_set(s, SSH_OPTIONS_KNOWNHOSTS, options.known_hosts.c_str());
  ssh_options_set(s, SSH_OPTIONS_GLOBAL_KNOWNHOSTS, options.known_hosts.c_str());
  // Strict: with it off, libssh reports a host found in no file as known.
  ssh_options_set(s, SSH_OPTIONS_STRICTHOSTKEYCHECK, &strict);
  if (ssh_connect(s) != SSH_OK) {
    std::string why = ssh_get_error(s);
    const bool timed_out = why.find("imeout") != std::string::npos;
    return Status(timed_out ? Code::kTimeout : Code::kUnavailable, who + why);
  }
  ATIO_RETURN_IF_ERROR(host_key_status(s, run, options));

  if (!run.private_key.empty()) {
    ssh_key key = nullptr;
    if (ssh_pki_import_privkey_base64(run.private_key.c_str(),
                                      run.key_passphrase.empty() ? nullptr
                                                                 : run.key_passphrase.c_str(),
                                      nullptr, nullptr, &key) != SSH_OK) {
      return Status(Code::kInvalidArgument,
                    who + "the private key cannot be read (OpenSSH or PEM text expected; a "
                          "key with a passphrase needs it)");
    }
    Key owned(key);
    const int rc = ssh_userauth_publickey(s, nullptr, key);
    if (rc == SSH_AUTH_SUCCESS) return Status::ok();
    if (rc == SSH_AUTH_ERROR) return Status(Code::kUnavailable, who + ssh_get_error(s));
    if (run.password.empty()) {
      return Status(Code::kPermissionDenied, who + "the host refused the private key");
    }
  }
  if (!run.password.empty()) {
    const int rc = ssh_userauth_password(s, nullptr, run.password.c_str());
    if (rc == SSH_AUTH_SUCCESS) return Status::ok();
    if (rc == SSH_AUTH_ERROR) return Status(Code::kUnavailable, who + ssh_get_error(s));
    return Status(Code::kPermissionDenied, who + "the host refused the password");
  }
  return Status(Code::kPermissionDenied, who + "no password or private key to log in with");
}

}  // namespace

std::string ssh_destination(const SshRun& run) {
  std::string host = run.host.find(':') != std::string::npos ? "[" + run.host + "]" : run.host;
  return run.user + "@" + host + ":" + std::to_string(run.port);
}

SshRunner::SshRunner(SshOptions options) : options_(std::move(options)) {
  if (options_.max_running == 0) options_.max_running = 1;
}

SshRunner::~SshRunner() {
  std::deque<Job> waiting;
  {
    std::lock_guard<std::mutex> lk(mu_);
    stopping_ = true;
    waiting.swap(queue_);
  }
  stop_token_->cancel();
  cv_.notify_all();
  for (auto& job : waiting) {
    ProcessResult r;
    r.status = Status(Code::kAborted, "ssh " + ssh_destination(job.run) + ": atio is stopping");
    job.done(std::move(r));
  }
  for (auto& t : workers_) t.join();
}

void SshRunner::run(SshRun run, std::function<void(ProcessResult)> done) {
  {
    std::lock_guard<std::mutex> lk(mu_);
    if (!stopping_) {
      queue_.push_back({std::move(run), std::move(done)});
      // A worker per waiting run, up to max_running.
      if (workers_.size() < options_.max_running && queue_.size() > idle_) {
        workers_.emplace_back([this] { work(); });
      }
      cv_.notify_one();
      return;
    }
  }
  ProcessResult r;
  r.status = Status(Code::kAborted, "ssh " + ssh_destination(run) + ": atio is stopping");
  done(std::move(r));
}

void SshRunner::work() {
  set_thread_name("atio-ssh");
  for (;;) {
    Job job;
    {
      std::unique_lock<std::mutex> lk(mu_);
      ++idle_;
      cv_.wait(lk, [this] { return stopping_ || !queue_.empty(); });
      --idle_;
      if (queue_.empty()) return;
      job = std::move(queue_.front());
      queue_.pop_front();
    }
    job.done(execute(job.run));
  }
}

ProcessResult SshRunner::execute(const SshRun& run) {
  const auto start = Clock::now();
  ProcessResult r;
  auto finish = [&](Status status) {
    r.status = std::move(status);
    r.elapsed = std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - start);
    return std::move(r);
  };
  const std::string who = "ssh " + ssh_destination(run) + ": ";
  const auto wall = run.timeout.count() > 0 ? run.timeout : options_.default_timeout;
  const auto deadline = start + wall;
  auto stopped = [&]() -> Status {
    if (stop_token_->cancelled()) return Status(Code::kAborted, who + "atio is stopping");
    if (run.cancel && run.cancel->cancelled()) return Status(Code::kAborted, who + "cancelled");
    if (Clock::now() >= deadline) {
      return Status(Code::kTimeout, who + "the command ran past its " +
                                        std::to_string(wall.count()) + " ms");
    }
    return Status::ok();
  };

  auto spool = spool_file(options_.spool_dir);
  if (!spool) return finish(spool.status().with_context(who + "stdout spool"));
  r.stdout_file = std::move(spool).value();

  Session session(ssh_new());
  if (!session.p) return finish(Status(Code::kResourceExhausted, who + "cannot make a session"));
  if (Status s = open_session(session.p, run, options_); !s.is_ok()) return finish(s);
  if (Status s = stopped(); !s.is_ok()) return finish(s);

  Channel channel(ssh_channel_new(session.p));
  if (!channel.p || ssh_channel_open_session(channel.p) != SSH_OK ||
      ssh_channel_request_exec(channel.p, run.command.c_str()) != SSH_OK) {
    return finish(Status(Code::kUnavailable, who + "cannot start the command: " +
                                                 ssh_get_error(session.p)));
  }

  // Ends the remote command (and the session) before the run ends early.
  auto stop_remote = [&](Status why) {
    ssh_channel_request_send_signal(channel.p, "KILL");
    ssh_channel_close(channel.p);
    return finish(std::move(why));
  };
  std::size_t stdin_sent = 0;
  bool eof_sent = false;
  std::string err_ring;  // the last kMaxStderr bytes of stderr
  char buf[32 * 1024];
  Status broken = Status::ok();
  for (;;) {
    if (Status s = stopped(); !s.is_ok()) return stop_remote(s);
    // stdin: as much as the window takes, so a command that does not read
    // it never blocks this loop.
    if (!eof_sent) {
      if (stdin_sent < run.stdin_data.size()) {
        const std::size_t room = ssh_channel_window_size(channel.p);
        const std::size_t n = std::min(room, run.stdin_data.size() - stdin_sent);
        if (n > 0) {
          const int w = ssh_channel_write(channel.p, run.stdin_data.data() + stdin_sent,
                                          static_cast<uint32_t>(n));
          if (w > 0) stdin_sent += static_cast<std::size_t>(w);
        }
      }
      if (stdin_sent == run.stdin_data.size()) {
        ssh_channel_send_eof(channel.p);
        eof_sent = true;
      }
    }
    const int ready = ssh_channel_poll_timeout(channel.p, kPollMs, 0);
    if (ready == SSH_ERROR) {
      broken = Status(Code::kUnavailable, who + "the connection broke: " +
                                              ssh_get_error(session.p));
      break;
    }
    bool got = false;
    for (int is_stderr = 0; is_stderr < 2; ++is_stderr) {
      for (;;) {
        const int n = ssh_channel_read_nonblocking(channel.p, buf, sizeof buf, is_stderr);
        if (n <= 0) break;
        got = true;
        if (is_stderr) {
          r.stderr_bytes += static_cast<std::uint64_t>(n);
          err_ring.append(buf, static_cast<std::size_t>(n));
          if (err_ring.size() > 2 * kMaxStderr) err_ring.erase(0, err_ring.size() - kMaxStderr);
          continue;
        }
        if (r.stdout_bytes + static_cast<std::uint64_t>(n) > options_.max_output_bytes) {
          return stop_remote(Status(Code::kFailed, who + "the command wrote more than " +
                                                       std::to_string(options_.max_output_bytes) +
                                                       " bytes to stdout: stopped"));
        }
        const char* p = buf;
        std::size_t left = static_cast<std::size_t>(n);
        while (left > 0) {
          const ssize_t w = ::write(r.stdout_file.get(), p, left);
          if (w < 0 && errno == EINTR) continue;
          if (w <= 0) {
            return stop_remote(
                Status(Code::kIo, who + "cannot spool stdout: " + std::strerror(errno)));
          }
          p += w;
          left -= static_cast<std::size_t>(w);
        }
        r.stdout_bytes += static_cast<std::uint64_t>(n);
      }
    }
    if (!got && ssh_channel_is_eof(channel.p)) break;
  }
  if (err_ring.size() > kMaxStderr) err_ring.erase(0, err_ring.size() - kMaxStderr);
  r.stderr_tail = std::move(err_ring);
  ::lseek(r.stdout_file.get(), 0, SEEK_SET);
  if (!broken.is_ok()) return finish(broken);
  // The exit status follows the end of output (RFC 4254 section 6.10); -1
  // when the command was ended by a signal or the server sent none.
  r.exit_code = ssh_channel_get_exit_status(channel.p);
  ssh_channel_close(channel.p);
  return finish(Status::ok());
}

}  // namespace atio::actions
