// The server's Authenticator: API keys first, then the session cookie.
//
// A request that carries an API key (Authorization: Bearer or X-API-Key) is
// judged by the key alone, and needs no CSRF token: a browser never adds
// those headers to a request another site makes. A request that carries only
// the session cookie must, unless its method is safe (GET, HEAD, OPTIONS),
// also carry the session's CSRF token in X-CSRF-Token (403 otherwise).
#pragma once

#include "atio/server/auth/api_keys.h"
#include "atio/server/auth/sessions.h"
#include "atio/server/router.h"

namespace atio::server::auth {

class StoreAuthenticator final : public Authenticator {
 public:
  // REQUIRES: `store` outlives this object.
  explicit StoreAuthenticator(store::Store& store, Clock clock = system_now_ms)
      : keys_(store, clock), sessions_(store, clock) {}

  Result<Principal> authenticate(const Request& request) const override;

 private:
  ApiKeys keys_;
  Sessions sessions_;
};

}  // namespace atio::server::auth
