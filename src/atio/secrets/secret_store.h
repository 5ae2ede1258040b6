// Named credentials for integrations (MISP and IRIS keys, passwords, OAuth2
// tokens), kept sealed in the store (vault.h) and opened only when a command
// needs one. The API and the CLI set, list and delete them; nothing returns
// a value once set.
//
// A value is a string, or a JSON object whose members are strings (the
// fields of one credential, e.g. {"user_id": "...", "password": "..."}).
// Names: 1 to 128 characters of A-Z a-z 0-9 _ . -, starting with a letter or
// a digit.
#pragma once

#include <boost/json/value.hpp>

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "atio/core/secret_source.h"
#include "atio/core/status.h"
#include "atio/secrets/vault.h"
#include "atio/store/store.h"

namespace atio::secrets {

// kInvalidArgument naming the rule when `name` breaks it.
Status check_name(std::string_view name);
// kInvalidArgument naming the rule when `value` is neither a non-empty
// string nor an object of strings.
Status check_value(const boost::json::value& value);

class SecretStore final : public SecretSource {
 public:
  // REQUIRES: `store` outlives this object.
  SecretStore(store::Store& store, std::shared_ptr<const Vault> vault)
      : store_(store), vault_(std::move(vault)) {}

  // The write op that stores `value` under `name` (sealed here), keeping the
  // first creation time when the secret exists. Checks name and value.
  Result<store::WriteOp> put_op(const std::string& name, const boost::json::value& value,
                                const std::string& description, const std::string& actor,
                                std::int64_t now_ms) const;

  // Records the use first (action "secret.use", actor atio itself, the
  // purpose in the detail) and reveals nothing when that record cannot be
  // written (fail closed, as every audited action).
  Result<boost::json::value> reveal(const std::string& name,
                                    const std::string& purpose = "") const override;

  // Names, descriptions and times; never values.
  Result<std::vector<store::SecretRecord>> list() const;

 private:
  store::Store& store_;
  std::shared_ptr<const Vault> vault_;
};

}  // namespace atio::secrets
