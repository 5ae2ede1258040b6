#include "atio/actions/script/jail.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/eventfd.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/json/stream_parser.hpp>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <deque>
#include <list>
#include <mutex>
#include <optional>
#include <sstream>
#include <thread>

#include "atio/actions/script/jail_args.h"
#include "atio/actions/script/jail_spawn.h"
#include "atio/core/thread_name.h"

namespace atio::actions {

namespace {

using Clock = std::chrono::steady_clock;

// How often running jails' cancel tokens are checked.
constexpr std::chrono::milliseconds kCancelPoll{50};

struct Pending {
  JailRun run;
  std::function<void(JailResult)> done;
};

struct Running {
  SpawnedJail jail;
  std::string status_text;  // what bwrap reported so far
  bool status_open = true;  // bwrap's status pipe not at its end yet
  UniqueFd init_pidfd;      // the jail's pid 1, once bwrap has reported it
  std::unique_ptr<EgressProxy> egress;  // when the run lists allowed hosts
  UniqueFd stdout_file;
  UniqueFd stderr_file;
  Clock::time_point started;
  Clock::time_point deadline;
  std::chrono::milliseconds wall{0};
  std::shared_ptr<CancelToken> cancel;
  std::function<void(JailResult)> done;
  Status killed_for;  // why the runner killed it; OK when it was not
};

// Appends what a non-blocking fd holds now; false at its end (or error).
bool read_available(int fd, std::string* out) {
  char buf[4096];
  for (;;) {
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n > 0) {
      if (out->size() < (1 << 16)) out->append(buf, static_cast<std::size_t>(n));
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    return n < 0 && errno == EAGAIN;
  }
}

// bwrap's status reports: one JSON object per write, {"child-pid": N} when
// the jailed process started and {"exit-code": N} when it exited.
struct StatusReport {
  bool started = false;
  pid_t init_pid = 0;  // the jail's pid 1 as the host sees it
  std::optional<int> exit_code;
};

StatusReport parse_status(const std::string& text) {
  StatusReport r;
  // The objects follow one another, each possibly spread over lines.
  boost::json::stream_parser p;
  std::size_t at = 0;
  while (at < text.size()) {
    boost::system::error_code ec;
    at += p.write_some(text.data() + at, text.size() - at, ec);
    if (ec) break;
    if (!p.done()) break;
    boost::json::value v = p.release();
    p.reset();
    if (const auto* o = v.if_object()) {
      if (const auto* pid = o->if_contains("child-pid"); pid && pid->is_int64()) {
        r.started = true;
        r.init_pid = static_cast<pid_t>(pid->as_int64());
      }
      if (const auto* e = o->if_contains("exit-code"); e && e->is_int64()) {
        r.exit_code = static_cast<int>(e->as_int64());
      }
    }
    while (at < text.size() && std::isspace(static_cast<unsigned char>(text[at]))) ++at;
  }
  return r;
}

std::uint64_t file_size(int fd) {
  struct stat st;
  if (::fstat(fd, &st) < 0) return 0;
  return static_cast<std::uint64_t>(st.st_size);
}

std::string ms_text(std::chrono::milliseconds ms) {
  if (ms.count() % 1000 == 0) return std::to_string(ms.count() / 1000) + " s";
  return std::to_string(ms.count()) + " ms";
}

}  // namespace

std::string default_jail_init() {
  char buf[4096];
  ssize_t n = ::readlink("/proc/self/exe", buf, sizeof buf - 1);
  if (n <= 0) return "";
  std::string dir(buf, static_cast<std::size_t>(n));
  dir.erase(dir.rfind('/'));
  for (const std::string& candidate : {dir + "/atio-jail-init", dir + "/../lib/atio/atio-jail-init"}) {
    if (::access(candidate.c_str(), X_OK) == 0) return candidate;
  }
  return "";
}

struct JailRunner::Impl {
  const JailOptions& options;
  std::mutex mu;
  std::deque<Pending> queue;  // guarded by mu
  bool stopping = false;      // guarded by mu
  UniqueFd wake{::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK)};
  std::list<Running> running;  // supervisor thread only
  std::thread thread;

  explicit Impl(const JailOptions& o) : options(o) {}

  void notify() {
    std::uint64_t one = 1;
    (void)!::write(wake.get(), &one, sizeof one);
  }

  void start(Pending p) {
    JailResult failed;
    // Opened by atio for each jail, which gets a copy (bwrap reads it to its
    // end): the jail's uid needs no access to the directory atio is in.
    UniqueFd init_fd;
    if (!options.init.empty()) init_fd.reset(::open(options.init.c_str(), O_RDONLY | O_CLOEXEC));
    if (!init_fd) {
      failed.status = Status(Code::kUnavailable,
                             "the jail could not start: atio-jail-init is not beside the atio "
                             "executable (" + (options.init.empty() ? "not found" : options.init) +
                                 ")");
      p.done(std::move(failed));
      return;
    }
    auto out = spool_file(options.spool_dir);
    auto err = out ? spool_file(options.spool_dir) : Result<UniqueFd>(out.status());
    auto in = err ? spool_file(options.spool_dir) : Result<UniqueFd>(err.status());
    if (!in) {
      failed.status = in.status().with_context("jail spool");
      p.done(std::move(failed));
      return;
    }
    const std::string& data = p.run.stdin_data;
    if (!data.empty() && ::pwrite(in->get(), data.data(), data.size(), 0) !=
                             static_cast<ssize_t>(data.size())) {
      failed.status = Status(Code::kIo, std::string("cannot spool a script's stdin: ") +
                                            std::strerror(errno));
      p.done(std::move(failed));
      return;
    }
    auto argv = jail_command(options, p.run);
    std::unique_ptr<EgressProxy> egress;
    UniqueFd jail_end;
    if (!p.run.allowed_hosts.empty()) {
      auto pair = EgressProxy::make_control();
      if (!pair) {
        failed.status = pair.status().with_context("jail egress");
        p.done(std::move(failed));
        return;
      }
      jail_end = std::move(pair->second);
      egress = std::make_unique<EgressProxy>(std::move(pair->first),
                                             std::move(p.run.allowed_hosts));
    }
    auto spawned = spawn_jail(argv, p.run.script,
                              SpawnFiles{in->get(), out->get(), err->get(), jail_end.get(),
                                         init_fd.get()},
                              options);
    jail_end.reset();  // the jail holds it now: its end is the proxy's end
    if (!spawned) {
      failed.status = spawned.status();
      p.done(std::move(failed));
      return;
    }
    Running r;
    r.jail = std::move(spawned).value();
    ::fcntl(r.jail.status_read.get(), F_SETFL, O_NONBLOCK);
    r.stdout_file = std::move(out).value();
    r.stderr_file = std::move(err).value();
    r.started = Clock::now();
    const JailLimits& l = options.limits;
    r.wall = p.run.wall.count() > 0 ? std::min(p.run.wall, l.max_wall) : l.wall;
    r.deadline = r.started + r.wall;
    r.cancel = std::move(p.run.cancel);
    r.done = std::move(p.done);
    r.egress = std::move(egress);
    running.push_back(std::move(r));
  }

  // Reads bwrap's reports; opens a pidfd on the jail's pid 1 once reported.
  void read_status(Running& r) {
    if (!r.status_open) return;
    r.status_open = read_available(r.jail.status_read.get(), &r.status_text);
    if (r.init_pidfd) return;
    StatusReport report = parse_status(r.status_text);
    if (report.init_pid > 0 && !report.exit_code) {
      r.init_pidfd.reset(static_cast<int>(::syscall(SYS_pidfd_open, report.init_pid, 0)));
    }
  }

  void kill(Running& r, Status why) {
    if (!r.killed_for.is_ok()) return;
    r.killed_for = std::move(why);
    read_status(r);
    if (r.init_pidfd) {
      // Killing the jail's pid 1 kills every process of its pid namespace
      // before bwrap sees it end, so the run ends with nothing left behind.
      ::syscall(SYS_pidfd_send_signal, r.init_pidfd.get(), SIGKILL, nullptr, 0);
    } else {
      // Not started yet: its pid 1, if any, dies with bwrap (--die-with-parent).
      ::kill(r.jail.pid, SIGKILL);
    }
  }

  void finish(Running& r) {
    int wstatus = 0;
    while (::waitpid(r.jail.pid, &wstatus, 0) < 0 && errno == EINTR) {
    }
    r.egress.reset();  // ends its connections: nothing in the jail uses them now
    JailResult res;
    res.elapsed = std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - r.started);
    read_status(r);
    StatusReport report = parse_status(r.status_text);
    res.stderr_bytes = file_size(r.stderr_file.get());
    std::uint64_t from = res.stderr_bytes > kMaxStderr ? res.stderr_bytes - kMaxStderr : 0;
    res.stderr_tail = read_spooled(r.stderr_file.get(), from, res.stderr_bytes - from);
    res.stdout_bytes = file_size(r.stdout_file.get());
    ::lseek(r.stdout_file.get(), 0, SEEK_SET);
    res.stdout_file = std::move(r.stdout_file);
    if (report.exit_code) {
      res.exit_code = *report.exit_code;
      if (res.exit_code > 128 && res.exit_code < 128 + NSIG) res.signal = res.exit_code - 128;
    }
    if (!r.killed_for.is_ok()) {
      res.status = r.killed_for;
    } else if (!report.started) {
      // bwrap says why on stderr ("bwrap: Creating new namespace failed: ...").
      std::string why = res.stderr_tail;
      while (!why.empty() && (why.back() == '\n' || why.back() == ' ')) why.pop_back();
      if (why.empty()) why = "bwrap ended with status " + std::to_string(wstatus);
      res.status = Status(Code::kUnavailable, "the jail could not start: " + why);
    } else if (!report.exit_code) {
      res.status = Status(Code::kFailed, "the jail ended without its script's exit code (status " +
                                             std::to_string(wstatus) + ")");
    }
    r.done(std::move(res));
  }

  void loop() {
    for (;;) {
      std::deque<Pending> to_start;
      bool stop;
      {
        std::lock_guard<std::mutex> lock(mu);
        stop = stopping;
        while (!stop && !queue.empty() && running.size() + to_start.size() < options.max_running) {
          to_start.push_back(std::move(queue.front()));
          queue.pop_front();
        }
      }
      if (stop) break;
      for (auto& p : to_start) start(std::move(p));

      // Per running jail: its bwrap's pidfd, then its status pipe while open.
      std::vector<pollfd> fds;
      fds.push_back({wake.get(), POLLIN, 0});
      auto now = Clock::now();
      int timeout = -1;
      for (auto& r : running) {
        fds.push_back({r.jail.pidfd.get(), POLLIN, 0});
        fds.push_back({r.status_open ? r.jail.status_read.get() : -1, POLLIN, 0});
        if (!r.killed_for.is_ok()) continue;  // killed: its pidfd wakes us
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(r.deadline - now);
        long long t = std::clamp<long long>(left.count() + 1, 0, 1 << 30);
        if (r.cancel) t = std::min<long long>(t, kCancelPoll.count());
        timeout = timeout < 0 ? static_cast<int>(t) : std::min(timeout, static_cast<int>(t));
      }
      int n = ::poll(fds.data(), fds.size(), timeout);
      if (n < 0 && errno != EINTR) break;
      std::uint64_t drained;
      (void)!::read(wake.get(), &drained, sizeof drained);

      now = Clock::now();
      std::size_t i = 1;
      for (auto it = running.begin(); it != running.end(); i += 2) {
        Running& r = *it;
        if (fds[i + 1].revents != 0) read_status(r);
        if (fds[i].revents & (POLLIN | POLLHUP | POLLERR)) {
          finish(r);
          it = running.erase(it);
          continue;
        }
        if (r.cancel && r.cancel->cancelled()) {
          kill(r, Status(Code::kAborted, "the script was cancelled"));
        } else if (now >= r.deadline) {
          kill(r, Status(Code::kTimeout, "the script ran past its time limit of " +
                                             ms_text(r.wall) + " and was killed"));
        }
        ++it;
      }
    }
    // Stopping: kill what runs, end what waits.
    for (auto& r : running) kill(r, Status(Code::kAborted, "atio is stopping"));
    for (auto& r : running) finish(r);
    running.clear();
    std::deque<Pending> left;
    {
      std::lock_guard<std::mutex> lock(mu);
      left.swap(queue);
    }
    for (auto& p : left) {
      JailResult res;
      res.status = Status(Code::kAborted, "atio is stopping");
      p.done(std::move(res));
    }
  }
};

JailRunner::JailRunner(JailOptions options)
    : options_(std::move(options)), impl_(std::make_unique<Impl>(options_)) {
  if (options_.max_running == 0) options_.max_running = 1;
  impl_->thread = std::thread([this] {
    set_thread_name("atio-jail");
    impl_->loop();
  });
}

JailRunner::~JailRunner() {
  {
    std::lock_guard<std::mutex> lock(impl_->mu);
    impl_->stopping = true;
  }
  impl_->notify();
  impl_->thread.join();
}

void JailRunner::run(JailRun run, std::function<void(JailResult)> done) {
  {
    std::lock_guard<std::mutex> lock(impl_->mu);
    if (!impl_->stopping) {
      impl_->queue.push_back({std::move(run), std::move(done)});
      done = nullptr;
    }
  }
  if (done) {
    JailResult res;
    res.status = Status(Code::kAborted, "atio is stopping");
    done(std::move(res));
    return;
  }
  impl_->notify();
}

}  // namespace atio::actions
