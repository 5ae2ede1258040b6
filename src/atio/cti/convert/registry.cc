#include "atio/cti/convert/registry.h"

#include <cassert>

namespace atio::convert {

void Registry::add(ConverterInfo info) {
  for ([[maybe_unused]] const auto& i : infos_) {
    assert(!(i.from == info.from && i.to == info.to) && "converter registered twice");
  }
  infos_.push_back(std::move(info));
}

Result<std::unique_ptr<Converter>> Registry::create(std::string_view from, std::string_view to,
                                                    const bj::object& options) const {
  for (const auto& i : infos_) {
    if (i.from == from && i.to == to) return i.create(options);
  }
  std::string known;
  for (const auto& i : infos_) {
    if (!known.empty()) known += ", ";
    known += i.from + " -> " + i.to;
  }
  return Status(Code::kNotFound, "no converter from '" + std::string(from) + "' to '" +
                                     std::string(to) + "'; known: " + known);
}

const Registry& builtin_registry() {
  static const Registry registry = [] {
    Registry r;
    register_builtin_converters(r);
    return r;
  }();
  return registry;
}

}  // namespace atio::convert
