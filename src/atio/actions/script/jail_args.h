// The bubblewrap command line of one jailed run (see jail.h for what a jail
// gives a script). Kept apart from the process handling so that what a
// script may see is written down in one place.
#pragma once

#include <string>
#include <vector>

#include "atio/actions/script/jail.h"

namespace atio::actions {

// The fds bwrap finds open in its process: the script to copy into the jail
// and the pipe it reports the jailed process's start and exit on.
inline constexpr int kJailScriptFd = 3;
inline constexpr int kJailStatusFd = 4;
// The Unix socket to atio's egress proxy, when the run lists allowed hosts.
inline constexpr int kJailEgressFd = 6;
// atio-jail-init, opened by atio: bwrap copies it into the jail from the fd,
// so the jail's uid needs no access to the directory it is in.
inline constexpr int kJailInitFd = 7;
// Where atio-jail-init is in the jail.
inline constexpr const char* kJailInitPath = "/run/atio/init";

// argv of bwrap (argv[0] is options.bwrap) for `run`.
std::vector<std::string> jail_command(const JailOptions& options, const JailRun& run);

}  // namespace atio::actions
