// atio-jail-init: pid 1 of a script's jail (src/atio/actions/script/jail.h).
//
//   atio-jail-init NPROC COMMAND [ARG...]
//
// Sets RLIMIT_NPROC to NPROC (in the jail's own user namespace the kernel
// counts only the jail's processes against it), runs COMMAND as pid 2, reaps
// every process orphaned in the jail, and exits with COMMAND's exit code, or
// 128+N when signal N ended it. Its exit ends the jail: the kernel kills
// every other process of a pid namespace whose pid 1 exits, and bwrap
// (--as-pid-1) reports the end only after that.
//
// The script is not pid 1 itself because pid 1 of a namespace ignores the
// signals it has no handler for, SIGXCPU and SIGXFSZ among them, so the CPU
// and file-size limits would not end it.
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>

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
  pid_t child = fork();
  if (child < 0) {
    std::fprintf(stderr, "atio-jail-init: fork: %s\n", std::strerror(errno));
    return 127;
  }
  if (child == 0) {
    execv(argv[2], argv + 2);
    std::fprintf(stderr, "atio-jail-init: cannot run %s: %s\n", argv[2], std::strerror(errno));
    _exit(127);
  }
  for (;;) {
    int status = 0;
    pid_t pid = wait(&status);
    if (pid < 0) {
      if (errno == EINTR) continue;
      return 127;  // no children left, though COMMAND never ended: cannot happen
    }
    if (pid != child) continue;  // an orphan, reaped
    if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
    return WEXITSTATUS(status);
  }
}
