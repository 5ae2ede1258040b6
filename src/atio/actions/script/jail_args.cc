#include "atio/actions/script/jail_args.h"

namespace atio::actions {

std::vector<std::string> jail_command(const JailOptions& options, const JailRun& run) {
  const JailLimits& l = options.limits;
  std::vector<std::string> a = {
      options.bwrap,
      // Every namespace, the user namespace explicitly (bwrap would skip it
      // when it cannot make one; then the process limit would not hold), and
      // none nested inside.
      "--unshare-all", "--unshare-user", "--disable-userns",
      "--die-with-parent", "--new-session", "--hostname", "atio-jail",
      // atio-jail-init is the jail's pid 1 and bwrap waits for it: when it
      // ends, the kernel kills every other process of the jail before bwrap
      // sees it end (bwrap's own init reports the end while the rest may
      // still run).
      "--as-pid-1",
      "--clearenv", "--setenv", "PATH", "/usr/local/bin:/usr/bin:/bin",
      "--setenv", "HOME", "/tmp", "--setenv", "TMPDIR", "/tmp", "--setenv", "LANG", "C.UTF-8",
      "--ro-bind", "/usr", "/usr",
      "--symlink", "usr/bin", "/bin", "--symlink", "usr/sbin", "/sbin",
      "--symlink", "usr/lib", "/lib", "--symlink", "usr/lib64", "/lib64",
      // What programs under /usr read from /etc; nothing else of it (no
      // passwd, shadow, hosts or atio's configuration).
      "--ro-bind-try", "/etc/alternatives", "/etc/alternatives",
      "--ro-bind-try", "/etc/ssl", "/etc/ssl",
      "--ro-bind-try", "/etc/ca-certificates", "/etc/ca-certificates",
      "--ro-bind-try", "/etc/ld.so.cache", "/etc/ld.so.cache",
      "--ro-bind-try", "/etc/localtime", "/etc/localtime",
      "--proc", "/proc", "--dev", "/dev",
      "--size", std::to_string(l.tmp_bytes), "--tmpfs", "/tmp",
      "--ro-bind-data", std::to_string(kJailScriptFd), kJailScriptPath,
      "--perms", "0555", "--ro-bind-data", std::to_string(kJailInitFd), kJailInitPath,
  };
  if (!run.allowed_hosts.empty()) {
    std::string proxy = "http://127.0.0.1:" + std::to_string(kEgressPort);
    for (const char* name : {"http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY"}) {
      a.insert(a.end(), {"--setenv", name, proxy});
    }
  }
  for (const auto& path : options.read_only_paths) {
    a.insert(a.end(), {"--ro-bind", path, path});
  }
  // The jail's root (a tmpfs holding the mount points) read-only too: only
  // /tmp is writable.
  a.insert(a.end(), {"--remount-ro", "/", "--chdir", "/tmp", "--json-status-fd",
                     std::to_string(kJailStatusFd), "--"});
  // The process limit is set inside the jail's user namespace, where the
  // kernel counts only this jail's processes (outside, the count of atio's
  // uid includes atio's own threads).
  a.insert(a.end(), {kJailInitPath, std::to_string(l.processes)});
  if (!run.allowed_hosts.empty()) {
    a.insert(a.end(), {"--egress", std::to_string(kJailEgressFd)});
  }
  a.insert(a.end(), run.argv.begin(), run.argv.end());
  return a;
}

}  // namespace atio::actions
