// A secret store for tests: the secrets a test puts in a map, and how many
// times any was read.
#pragma once

#include <boost/json/value.hpp>

#include <map>
#include <string>

#include "atio/core/secret_source.h"

namespace atio::testing {

class MapSecrets : public SecretSource {
 public:
  std::map<std::string, boost::json::value> values;
  mutable int reveals = 0;
  Result<boost::json::value> reveal(const std::string& name, const std::string&) const override {
    ++reveals;
    auto it = values.find(name);
    if (it == values.end()) return Status(Code::kNotFound, "no secret named " + name);
    return it->second;
  }
};

}  // namespace atio::testing
