#include "atio/actions/script/jail_spawn.h"

#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "atio/actions/script/jail_args.h"

namespace atio::actions {

namespace {

Status errno_status(Code code, const std::string& what, int err) {
  return Status(code, what + ": " + std::strerror(err));
}

// A copy of `fd` numbered 10 or more, so that the child's dup2 onto 0..5
// never overwrites a source it has yet to copy.
Result<UniqueFd> high_copy(int fd) {
  int c = ::fcntl(fd, F_DUPFD_CLOEXEC, 10);
  if (c < 0) return errno_status(Code::kIo, "dup", errno);
  return UniqueFd(c);
}

Result<UniqueFd> memfd_with(const std::string& name, const std::string& content) {
  UniqueFd fd(::memfd_create(name.c_str(), MFD_CLOEXEC));
  if (!fd) return errno_status(Code::kIo, "memfd_create", errno);
  std::size_t off = 0;
  while (off < content.size()) {
    ssize_t n = ::write(fd.get(), content.data() + off, content.size() - off);
    if (n < 0) {
      if (errno == EINTR) continue;
      return errno_status(Code::kIo, "write " + name, errno);
    }
    off += static_cast<std::size_t>(n);
  }
  if (::lseek(fd.get(), 0, SEEK_SET) < 0) return errno_status(Code::kIo, "lseek", errno);
  return fd;
}

// Everything the child needs, made before it starts: between its start and
// its exec the child may call async-signal-safe functions only (no
// allocation: it shares atio's memory).
struct ChildPlan {
  int fds[5];  // onto 0..4: stdin, stdout, stderr, script, status
  pid_t parent;  // atio: the child exits if it is gone before the exec
  int error_fd;  // onto 5, close-on-exec: carries errno when exec fails
  int egress_fd;  // onto 6 (kJailEgressFd) when not -1
  int init_fd;    // onto 7 (kJailInitFd)
  bool drop_root;
  uid_t uid;
  gid_t gid;
  rlimit cpu, as, fsize, nofile, core;
  char* const* argv;
  char* const* envp;
};

[[noreturn]] void child_fail(int err) {
  (void)!::write(5, &err, sizeof err);
  ::_exit(127);
}

[[noreturn]] void run_child(const ChildPlan& p) {
  // Signals as a new program expects them: none blocked or ignored.
  struct sigaction dfl;
  std::memset(&dfl, 0, sizeof dfl);
  dfl.sa_handler = SIG_DFL;
  for (int s = 1; s < NSIG; ++s) ::sigaction(s, &dfl, nullptr);
  sigset_t none;
  sigemptyset(&none);
  ::sigprocmask(SIG_SETMASK, &none, nullptr);

  if (::dup3(p.error_fd, 5, O_CLOEXEC) < 0) ::_exit(127);
  for (int i = 0; i < 5; ++i) {
    if (::dup2(p.fds[i], i) < 0) child_fail(errno);
  }
  if (p.egress_fd >= 0 && ::dup2(p.egress_fd, 6) < 0) child_fail(errno);
  if (p.egress_fd < 0) ::close(6);
  if (::dup2(p.init_fd, 7) < 0) child_fail(errno);
  ::syscall(SYS_close_range, 8u, ~0u, 0u);
  if (::setrlimit(RLIMIT_CPU, &p.cpu) < 0 || ::setrlimit(RLIMIT_AS, &p.as) < 0 ||
      ::setrlimit(RLIMIT_FSIZE, &p.fsize) < 0 || ::setrlimit(RLIMIT_NOFILE, &p.nofile) < 0 ||
      ::setrlimit(RLIMIT_CORE, &p.core) < 0) {
    child_fail(errno);
  }
  if (p.drop_root) {
    // Raw system calls: they change this (only) thread's credentials.
    if (::syscall(SYS_setgroups, 0, nullptr) < 0 ||
        ::syscall(SYS_setresgid, p.gid, p.gid, p.gid) < 0 ||
        ::syscall(SYS_setresuid, p.uid, p.uid, p.uid) < 0) {
      child_fail(errno);
    }
  }
  // After the uid change, which clears it: the jail dies with atio.
  if (::prctl(PR_SET_PDEATHSIG, SIGKILL) < 0) child_fail(errno);
  if (::getppid() != p.parent) ::_exit(127);
  ::execve(p.argv[0], p.argv, p.envp);
  child_fail(errno);
}

rlimit limit_of(std::uint64_t soft, std::uint64_t hard) {
  rlimit r;
  r.rlim_cur = static_cast<rlim_t>(soft);
  r.rlim_max = static_cast<rlim_t>(hard);
  return r;
}

}  // namespace

Result<UniqueFd> spool_file(const std::string& dir) {
  int fd = ::open(dir.c_str(), O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
  if (fd >= 0) return UniqueFd(fd);
  // File systems without O_TMPFILE: a named file, unlinked at once.
  std::string path = dir + "/atio-spool-XXXXXX";
  fd = ::mkostemp(path.data(), O_CLOEXEC);
  if (fd < 0) return errno_status(Code::kIo, "cannot make a spool file in " + dir, errno);
  ::unlink(path.c_str());
  return UniqueFd(fd);
}

Result<SpawnedJail> spawn_jail(const std::vector<std::string>& argv, const std::string& script,
                               const SpawnFiles& files, const JailOptions& options) {
  ATIO_ASSIGN_OR_RETURN(UniqueFd script_fd, memfd_with("atio-script", script));
  int status_pipe[2];
  if (::pipe2(status_pipe, O_CLOEXEC) < 0) return errno_status(Code::kIo, "pipe", errno);
  UniqueFd status_read(status_pipe[0]), status_write(status_pipe[1]);
  int error_pipe[2];
  if (::pipe2(error_pipe, O_CLOEXEC) < 0) return errno_status(Code::kIo, "pipe", errno);
  UniqueFd error_read(error_pipe[0]), error_write(error_pipe[1]);

  UniqueFd high[8];
  const int sources[8] = {files.stdin_fd, files.stdout_fd, files.stderr_fd,
                          script_fd.get(), status_write.get(), error_write.get(),
                          files.egress_fd, files.init_fd};
  for (int i = 0; i < 8; ++i) {
    if (sources[i] < 0) continue;
    ATIO_ASSIGN_OR_RETURN(high[i], high_copy(sources[i]));
  }

  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  char* env[] = {nullptr};

  const JailLimits& l = options.limits;
  ChildPlan plan;
  for (int i = 0; i < 5; ++i) plan.fds[i] = high[i].get();
  plan.error_fd = high[5].get();
  plan.egress_fd = high[6].get();
  plan.init_fd = high[7].get();
  plan.drop_root = ::geteuid() == 0;
  plan.uid = options.uid;
  plan.gid = options.gid;
  plan.parent = ::getpid();
  std::uint64_t cpu = static_cast<std::uint64_t>(l.cpu.count());
  // SIGXCPU at the limit, SIGKILL a second later if it is caught.
  plan.cpu = limit_of(cpu, cpu + 1);
  plan.as = limit_of(l.memory_bytes, l.memory_bytes);
  plan.fsize = limit_of(l.file_bytes, l.file_bytes);
  plan.nofile = limit_of(static_cast<std::uint64_t>(l.open_files),
                         static_cast<std::uint64_t>(l.open_files));
  plan.core = limit_of(0, 0);
  plan.argv = args.data();
  plan.envp = env;

  // The child shares atio's memory until it execs (as posix_spawn does):
  // copying the page tables of a large process for a child that execs at
  // once is most of what fork() costs. It runs on a stack of its own, with
  // every signal blocked until it has reset their handlers, so that no
  // handler of atio's runs in it.
#if defined(__SANITIZE_ADDRESS__)
  // AddressSanitizer cannot follow a child running on a stack it did not
  // make in memory it shares: the sanitized build forks.
  pid_t pid = ::fork();
  if (pid < 0) return errno_status(Code::kUnavailable, "fork", errno);
  if (pid == 0) run_child(plan);
#else
  constexpr std::size_t kStack = 64 * 1024;
  void* stack = ::mmap(nullptr, kStack, PROT_READ | PROT_WRITE,
                       MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
  if (stack == MAP_FAILED) return errno_status(Code::kUnavailable, "mmap", errno);
  sigset_t all, old;
  sigfillset(&all);
  ::pthread_sigmask(SIG_SETMASK, &all, &old);
  pid_t pid = ::clone(
      [](void* arg) -> int { run_child(*static_cast<const ChildPlan*>(arg)); },
      static_cast<char*>(stack) + kStack, CLONE_VM | CLONE_VFORK | SIGCHLD, &plan);
  int clone_errno = errno;
  ::pthread_sigmask(SIG_SETMASK, &old, nullptr);
  ::munmap(stack, kStack);
  if (pid < 0) return errno_status(Code::kUnavailable, "clone", clone_errno);
#endif

  for (auto& h : high) h.reset();
  error_write.reset();
  status_write.reset();
  int child_errno = 0;
  ssize_t n;
  do {
    n = ::read(error_read.get(), &child_errno, sizeof child_errno);
  } while (n < 0 && errno == EINTR);
  if (n > 0) {
    ::waitpid(pid, nullptr, 0);
    std::string what = "cannot start " + argv[0];
    if (child_errno == ENOENT) {
      what = "the jail could not start: bubblewrap (Debian package bubblewrap) is not installed: " +
             what;
    }
    return errno_status(Code::kUnavailable, what, child_errno);
  }
  SpawnedJail jail;
  jail.pid = pid;
  jail.pidfd.reset(static_cast<int>(::syscall(SYS_pidfd_open, pid, 0)));
  if (!jail.pidfd) {
    int err = errno;
    ::kill(pid, SIGKILL);
    ::waitpid(pid, nullptr, 0);
    return errno_status(Code::kUnavailable, "pidfd_open", err);
  }
  jail.status_read = std::move(status_read);
  return jail;
}

}  // namespace atio::actions
