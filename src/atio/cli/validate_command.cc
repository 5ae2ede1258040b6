// `atio validate PLAYBOOK...`: every problem of every file, at once.
#include <iostream>

#include "atio/cli/commands.h"
#include "atio/cli/runtime.h"
#include "atio/core/json.h"
#include "atio/playbook/cacao/parse.h"

namespace atio::cli {

int validate_command(const ValidateArgs& args) {
  auto v = make_validation_registry();
  int bad = 0;
  for (const auto& file : args.files) {
    auto doc = json::parse_file(file);
    if (!doc.is_ok()) {
      std::cout << doc.status().to_string() << "\n";
      ++bad;
      continue;
    }
    json::FieldErrors errors;
    if (args.schema_only) {
      errors = cacao::check_schema(*doc);
    } else {
      cacao::ValidateOptions options;
      options.commands = v.registry->catalog();
      (void)cacao::load(*doc, options, &errors);
    }
    if (errors.empty()) {
      std::cout << file << ": valid\n";
      continue;
    }
    ++bad;
    std::cout << file << ": " << errors.size() << (errors.size() == 1 ? " error" : " errors")
              << "\n";
    for (const auto& e : errors) {
      std::cout << "  " << (e.pointer.empty() ? "(document)" : e.pointer) << ": " << e.message
                << "\n";
    }
  }
  return bad == 0 ? 0 : 1;
}

}  // namespace atio::cli
