#include "atio/server/auth/authenticator.h"

#include "atio/server/auth/crypto.h"

namespace atio::server::auth {

Result<Principal> StoreAuthenticator::authenticate(const Request& request) const {
  const std::string key = request_api_key(request);
  if (!key.empty()) return keys_.check(key);
  const std::string token = cookie_value(request, kSessionCookie);
  if (token.empty()) {
    return Status(Code::kUnauthenticated,
                  "an API key or a session is required: send Authorization: Bearer <key> or "
                  "X-API-Key, or log in with POST /api/v1/session");
  }
  ATIO_ASSIGN_OR_RETURN(Principal p, sessions_.check(token));
  if (!is_safe_method(request.method) &&
      !constant_time_equal(request.header(kCsrfHeader), csrf_token_for(token))) {
    return Status(Code::kPermissionDenied,
                  "a request made with a session cookie that changes something must send the "
                  "session's CSRF token in X-CSRF-Token");
  }
  return p;
}

}  // namespace atio::server::auth
