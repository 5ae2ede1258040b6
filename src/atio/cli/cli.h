// The `atio` command line: serve, run, validate, version.
#pragma once

namespace atio::cli {

// Parses argv and runs the subcommand; returns the process exit code.
int main(int argc, char** argv);

}  // namespace atio::cli
