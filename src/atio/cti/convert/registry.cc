#include "atio/cti/convert/registry.h"

#include <boost/json/parse.hpp>

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

Status Output::write_json(std::string_view text) {
  boost::system::error_code ec;
  bj::value v = bj::parse(text, ec);
  if (ec || !v.is_object()) {
    return Status(Code::kInternal, "a converter wrote a document that is not a JSON object: " +
                                       (ec ? ec.message() : std::string("not an object")));
  }
  return write(std::move(v.as_object()));
}

const ConverterInfo* Registry::find(std::string_view from, std::string_view to) const {
  for (const auto& i : infos_) {
    if (i.from == from && i.to == to) return &i;
  }
  return nullptr;
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
