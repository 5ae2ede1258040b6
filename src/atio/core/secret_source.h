// Where commands get the credentials that playbooks name (CACAO
// authentication_info with `kms: true` and `kms_key_identifier`): the secret
// store implements it (secrets/secret_store.h); commands only read.
#pragma once

#include <boost/json/value.hpp>

#include <string>

#include "atio/core/status.h"

namespace atio {

class SecretSource {
 public:
  virtual ~SecretSource() = default;
  // The value stored under `name`: a string, or an object of strings (the
  // fields of one credential). kNotFound when there is none.
  virtual Result<boost::json::value> reveal(const std::string& name) const = 0;
};

}  // namespace atio
