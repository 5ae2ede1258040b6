// `atio serve`: placeholder until the server module lands.
#include <iostream>

#include "atio/cli/commands.h"

namespace atio::cli {

int serve_command(const ServeArgs& args) {
  std::cerr << "atio serve: the HTTP server is not built yet\n";
  return 2;
}

}  // namespace atio::cli
