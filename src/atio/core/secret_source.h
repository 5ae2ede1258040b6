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
  // fields of one credential). kNotFound when there is none. `purpose` says
  // who uses it (e.g. "execution <id> step <id>"): each use is a
  // security-relevant read that the store's implementation audits.
  virtual Result<boost::json::value> reveal(const std::string& name,
                                            const std::string& purpose = "") const = 0;
};

}  // namespace atio
