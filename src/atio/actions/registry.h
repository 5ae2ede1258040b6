// The registry of command types. An instance is built by the composition root
// (register_builtin_actions) or by a test with only what it needs.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "atio/actions/action.h"
#include "atio/playbook/cacao/parse.h"

namespace atio::actions {

class Registry {
 public:
  // REQUIRES: no type with the same name was added.
  void add(std::unique_ptr<CommandType> type);
  // nullptr when atio does not run this command type.
  CommandType* find(std::string_view name) const;
  std::vector<std::string> names() const;
  // The catalog the CACAO validator uses: supported types and per-type checks.
  // REQUIRES: the registry outlives the catalog.
  cacao::CommandCatalog catalog() const;

 private:
  std::map<std::string, std::unique_ptr<CommandType>, std::less<>> types_;
};

}  // namespace atio::actions
