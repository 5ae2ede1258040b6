// Fuzzes CACAO import: JSON text -> load_text (structural and semantic) ->
// export_document. Beyond "no crash, no sanitizer report", it checks the
// module's contracts and traps when one breaks:
//   - a Result is OK exactly when the error list is empty;
//   - a semantic load never accepts what the structural load rejects;
//   - check_schema errors always make load fail;
//   - export_document(load(d)) == d for every accepted d.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "atio/playbook/cacao/parse.h"

namespace {

using atio::cacao::ValidateOptions;
namespace bj = boost::json;

void require(bool condition) {
  if (!condition) __builtin_trap();
}

ValidateOptions semantic_options() {
  ValidateOptions options;
  options.commands.supported = [](std::string_view type) {
    return type == "http-api" || type == "manual" || type == "ssh";
  };
  options.commands.check = [](const atio::cacao::Command& cmd, const atio::cacao::Playbook&,
                              const atio::cacao::Step&, const std::string& pointer,
                              atio::json::FieldErrors* errors) {
    if (cmd.command.size() > 4096) errors->push_back({pointer + "/command", "is too long"});
  };
  return options;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);

  ValidateOptions structural;
  structural.semantic = false;
  atio::json::FieldErrors structural_errors;
  auto loaded = atio::cacao::load_text(text, structural, &structural_errors);
  require(loaded.is_ok() == structural_errors.empty());

  static const ValidateOptions full = semantic_options();
  atio::json::FieldErrors semantic_errors;
  auto checked = atio::cacao::load_text(text, full, &semantic_errors);
  require(checked.is_ok() == semantic_errors.empty());
  require(!checked.is_ok() || loaded.is_ok());

  if (loaded.is_ok()) {
    require(atio::cacao::check_schema(bj::value(loaded->doc)).empty());
    const bj::object exported = atio::cacao::export_document(loaded.value());
    require(exported == loaded->doc);
  }
  return 0;
}
