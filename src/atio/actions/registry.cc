#include "atio/actions/registry.h"

#include <cassert>

namespace atio::actions {

void Registry::add(std::unique_ptr<CommandType> type) {
  std::string name(type->name());
  assert(types_.find(name) == types_.end() && "command type registered twice");
  types_.emplace(std::move(name), std::move(type));
}

CommandType* Registry::find(std::string_view name) const {
  auto it = types_.find(name);
  return it == types_.end() ? nullptr : it->second.get();
}

std::vector<std::string> Registry::names() const {
  std::vector<std::string> out;
  for (const auto& kv : types_) out.push_back(kv.first);
  return out;
}

cacao::CommandCatalog Registry::catalog() const {
  cacao::CommandCatalog c;
  c.supported = [this](std::string_view type) { return find(type) != nullptr; };
  c.check = [this](const cacao::Command& cmd, const cacao::Playbook& pb, const cacao::Step& step,
                   const std::string& pointer, json::FieldErrors* errors) {
    if (auto* t = find(cmd.type)) t->validate(cmd, pb, step, pointer, errors);
  };
  return c;
}

}  // namespace atio::actions
