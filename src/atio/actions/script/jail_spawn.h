// Starting one bwrap process: the descriptors it gets, its resource limits
// and its uid, set between fork and exec. Used by the JailRunner's
// supervisor thread only.
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

#include "atio/actions/script/jail.h"
#include "atio/core/status.h"
#include "atio/core/unique_fd.h"

namespace atio::actions {

// A started bwrap.
struct SpawnedJail {
  pid_t pid = -1;
  UniqueFd pidfd;        // readable once the process has exited
  UniqueFd status_read;  // bwrap's --json-status-fd, read end
};

// What the child gets on fds 0, 1, 2 (the script's stdin, stdout, stderr:
// bwrap passes them through to the jailed process).
struct SpawnFiles {
  int stdin_fd = -1;
  int stdout_fd = -1;
  int stderr_fd = -1;
  int egress_fd = -1;  // onto kJailEgressFd when not -1
  int init_fd = -1;    // atio-jail-init, read from offset 0, onto kJailInitFd
};

// Starts `argv` (from jail_command()) with `script` readable on
// kJailScriptFd and the status pipe on kJailStatusFd, under `limits`, as
// `options.uid`/`gid` when atio runs as root. Returns once the child has
// exec'd bwrap; kUnavailable when it could not (the message names errno).
Result<SpawnedJail> spawn_jail(const std::vector<std::string>& argv, const std::string& script,
                               const SpawnFiles& files, const JailOptions& options);

// An unlinked file in `dir` for a run's stdout or stderr.
Result<UniqueFd> spool_file(const std::string& dir);

}  // namespace atio::actions
