#include "atio/cli/cli.h"

#include <CLI/CLI.hpp>

#include <iostream>

namespace atio::cli {

int main(int argc, char** argv) {
  CLI::App app{"atio: security orchestration, automation and response with CACAO 2.0 playbooks"};
  app.require_subcommand(1);
  auto* version = app.add_subcommand("version", "Print the version");
  version->callback([] { std::cout << "atio 0.1.0\n"; });
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }
  return 0;
}

}  // namespace atio::cli
