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
  // Its STIX documents are valid by construction: the shape is fixed in its
  // code and every value taken from the input is checked where it is written
  // (the converter's header says how; tests hold its output on the whole
  // corpus to the full validator and the OASIS schemas). `atio convert`
  // then skips the full validator unless asked (--full-validation).
  bool valid_by_construction = false;
};

class Registry {
 public:
  // REQUIRES: no converter for the same (from, to) yet.
  void add(ConverterInfo info);

  // kNotFound listing the pairs that exist when there is no such converter.
  Result<std::unique_ptr<Converter>> create(std::string_view from, std::string_view to,
                                            const bj::object& options = {}) const;

  // The converter from `from` to `to`; null when there is none.
  const ConverterInfo* find(std::string_view from, std::string_view to) const;

  const std::vector<ConverterInfo>& list() const { return infos_; }

 private:
  std::vector<ConverterInfo> infos_;
};

// Adds every converter atio ships.
void register_builtin_converters(Registry& registry);

// A registry with every built-in converter, made once.
const Registry& builtin_registry();

}  // namespace atio::convert
