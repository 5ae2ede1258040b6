// atio-jail-init: pid 1 of a script's jail (src/atio/actions/script/jail.h).
//
//   atio-jail-init NPROC [--egress FD] COMMAND [ARG...]
//
// Sets RLIMIT_NPROC to NPROC (in the jail's own user namespace the kernel
// counts only the jail's processes against it), runs COMMAND as pid 2, reaps
// every process orphaned in the jail, and exits with COMMAND's exit code, or
// 128+N when signal N ended it. Its exit ends the jail: the kernel kills
// every other process of a pid namespace whose pid 1 exits, and bwrap
// (--as-pid-1) reports the end only after that.
//
// With --egress FD (a Unix socket to atio, src/atio/actions/script/egress.h),
// a second process listens on 127.0.0.1:3128 and hands every connection it
// accepts to atio over FD, which proxies it to the step's allowed hosts.
//
// The script is not pid 1 itself because pid 1 of a namespace ignores the
// signals it has no handler for, SIGXCPU and SIGXFSZ among them, so the CPU
// and file-size limits would not end it.
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace {

constexpr int kEgressPort = 3128;  // egress.h: kEgressPort

// Hands each connection accepted on `listener` to atio over `control`.
[[noreturn]] void relay(int listener, int control) {
  for (;;) {
    int fd = accept4(listener, nullptr, nullptr, SOCK_CLOEXEC);
    if (fd < 0) {
      if (errno == EINTR || errno == ECONNABORTED) continue;
      _exit(1);
    }
    char byte = 0;
    iovec iov{&byte, 1};
    alignas(cmsghdr) char space[CMSG_SPACE(sizeof(int))] = {};
    msghdr msg{};
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    msg.msg_control = space;
    msg.msg_controllen = sizeof space;
    cmsghdr* c = CMSG_FIRSTHDR(&msg);
    c->cmsg_level = SOL_SOCKET;
    c->cmsg_type = SCM_RIGHTS;
    c->cmsg_len = CMSG_LEN(sizeof(int));
    std::memcpy(CMSG_DATA(c), &fd, sizeof fd);
    if (sendmsg(control, &msg, MSG_NOSIGNAL) < 0) _exit(1);
    close(fd);
  }
}

// Starts the relay; returns false (with a message printed) when it cannot.
bool start_relay(int control) {
  fcntl(control, F_SETFD, FD_CLOEXEC);
  int listener = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(kEgressPort);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (listener < 0 || bind(listener, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
      listen(listener, 64) != 0) {
    std::fprintf(stderr, "atio-jail-init: egress listener: %s\n", std::strerror(errno));
    return false;
  }
  pid_t pid = fork();
  if (pid < 0) {
    std::fprintf(stderr, "atio-jail-init: fork: %s\n", std::strerror(errno));
    return false;
  }
  if (pid == 0) relay(listener, control);
  close(listener);
  close(control);
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: atio-jail-init NPROC COMMAND [ARG...]\n");
    return 127;
  }
  char* end = nullptr;
  long nproc = std::strtol(argv[1], &end, 10);
  if (*end != '\0' || nproc < 2) {
    std::fprintf(stderr, "atio-jail-init: bad process limit %s\n", argv[1]);
    return 127;
  }
  rlimit limit{static_cast<rlim_t>(nproc), static_cast<rlim_t>(nproc)};
  if (setrlimit(RLIMIT_NPROC, &limit) != 0) {
    std::fprintf(stderr, "atio-jail-init: setrlimit: %s\n", std::strerror(errno));
    return 127;
  }
  int command = 2;
  if (argc > 4 && std::strcmp(argv[2], "--egress") == 0) {
    if (!start_relay(std::atoi(argv[3]))) return 127;
    command = 4;
  }
  pid_t child = fork();
  if (child < 0) {
    std::fprintf(stderr, "atio-jail-init: fork: %s\n", std::strerror(errno));
    return 127;
  }
  if (child == 0) {
    execv(argv[command], argv + command);
    std::fprintf(stderr, "atio-jail-init: cannot run %s: %s\n", argv[command],
                 std::strerror(errno));
    _exit(127);
  }
  for (;;) {
    int status = 0;
    pid_t pid = wait(&status);
    if (pid < 0) {
      if (errno == EINTR) continue;
      return 127;  // no children left, though COMMAND never ended: cannot happen
    }
    if (pid != child) continue;  // an orphan or the relay, reaped
    if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
    return WEXITSTATUS(status);
  }
}
