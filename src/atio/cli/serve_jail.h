// `atio serve`'s script jails and ssh sessions: their options from the serve
// options, and a check at start that a jail can be made here, so that an operator learns at
// once (not at the first bash step) that bubblewrap is missing or that the
// container refuses namespaces.
#pragma once

#include "atio/actions/script/jail.h"
#include "atio/actions/ssh/ssh_runner.h"
#include "atio/cli/commands.h"
#include "atio/core/status.h"

namespace atio::cli {

// The jail options of `args`; makes <data>/spool (0700) for scripts' output.
Status jail_options(const ServeArgs& args, actions::JailOptions* out);

// The ssh options of `args` (docs/ssh.md); stdout spools in <data>/spool.
actions::SshOptions ssh_options(const ServeArgs& args, const actions::JailOptions& jail);

// Runs an empty jail in the background and prints a warning naming the
// cause when it cannot start. Returns at once.
void check_jail(actions::JailRunner& runner);

}  // namespace atio::cli
