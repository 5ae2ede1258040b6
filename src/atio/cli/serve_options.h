// The options of `atio serve` and the three places they come from: the
// command line, environment variables (for containers) and a config file.
//
// Contract: every option --some-name is also read from the variable
// ATIO_SOME_NAME (listed by `atio serve --help`), except --secret-key, whose
// variable is ATIO_SECRET_KEY_FILE because ATIO_SECRET_KEY holds the master
// key itself (docs/secrets.md). `--config FILE` (or ATIO_CONFIG) names a
// TOML/INI file of `name = value` lines, optionally under a [serve] section
// (deploy/atio.toml). Precedence: command line, then environment, then the
// config file, then the built-in default. A config file that cannot be read,
// names an unknown option or gives a bad value is an error (exit code 2),
// never silently ignored.
#pragma once

#include <CLI/CLI.hpp>

#include <string>

#include "atio/cli/commands.h"

namespace atio::cli {

// Adds the `serve` subcommand to `app`: its options bound to `args`, their
// environment variables, --config; when it is chosen, applies the config
// file and sets `rc` to serve_command's exit code.
CLI::App* add_serve_command(CLI::App& app, ServeArgs& args, int& rc);

// Reads --jail-user "UID:GID" (numbers, not root's) into *uid and *gid (either
// may be null). Returns "" when valid, else what is wrong with it.
std::string parse_jail_user(const std::string& text, unsigned* uid, unsigned* gid);

// The environment variable of the option whose long name is `name`
// ("max-active" -> "ATIO_MAX_ACTIVE").
std::string serve_env_name(const std::string& name);

}  // namespace atio::cli
