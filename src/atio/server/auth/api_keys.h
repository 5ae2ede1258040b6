// API-key authentication. Keys are random secrets shown once; the store keeps
// only their SHA-256, so a stolen database does not yield usable keys.
#pragma once

#include <string>

#include "atio/server/router.h"
#include "atio/store/store.h"

namespace atio::server::auth {

class ApiKeys final : public Authenticator {
 public:
  // REQUIRES: `store` outlives this object.
  explicit ApiKeys(store::Store& store) : store_(store) {}

  // The key comes from `Authorization: Bearer <key>` or `X-API-Key: <key>`.
  // kUnauthenticated when absent or unknown.
  Result<Principal> authenticate(const Request& request) const override;

  // Stores a new key named `name` and returns it (the only time it is shown).
  Result<std::string> create(const std::string& name);
  // When the store holds no key yet (first start), creates the "admin" key
  // and returns it; otherwise returns "".
  Result<std::string> ensure_admin_key();

 private:
  store::Store& store_;
};

// The credential of `Authorization: Bearer <credential>` ("" when the header
// is absent or uses another scheme).
std::string bearer_token(const Request& request);

}  // namespace atio::server::auth
