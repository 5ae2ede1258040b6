// The one list of converters, by (from, to) format names. A registry is an
// instance, so a test builds one with only what it needs; builtin.cc fills
// one with every converter atio ships.
#pragma once

#include <boost/json/object.hpp>

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "atio/core/status.h"
#include "atio/cti/convert/converter.h"

namespace atio::convert {

struct ConverterInfo {
  std::string from;         // "suricata"
  std::string to;           // "stix"
  std::string description;  // one line for `atio convert --list`
  // Makes a converter from its options (converter-specific, e.g. the
  // identity of the sensor). Errors name the option and the rule.
  std::function<Result<std::unique_ptr<Converter>>(const bj::object& options)> create;
};

class Registry {
 public:
  // REQUIRES: no converter for the same (from, to) yet.
  void add(ConverterInfo info);

  // kNotFound listing the pairs that exist when there is no such converter.
  Result<std::unique_ptr<Converter>> create(std::string_view from, std::string_view to,
                                            const bj::object& options = {}) const;

  const std::vector<ConverterInfo>& list() const { return infos_; }

 private:
  std::vector<ConverterInfo> infos_;
};

// Adds every converter atio ships.
void register_builtin_converters(Registry& registry);

// A registry with every built-in converter, made once.
const Registry& builtin_registry();

}  // namespace atio::convert
