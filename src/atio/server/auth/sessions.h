// UI sessions: a random token in an HttpOnly, SameSite=Strict cookie (Secure
// when the server speaks TLS), stored as its SHA-256 with an absolute
// expiry. Requests made with the cookie that change state must also send the
// session's CSRF token in X-CSRF-Token: a page of another site cannot read
// it, so it cannot forge such a request even where a browser would send the
// cookie along.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "atio/server/auth/api_keys.h"
#include "atio/server/http.h"
#include "atio/store/store.h"

namespace atio::server::auth {

inline constexpr std::string_view kSessionCookie = "atio_session";
inline constexpr std::string_view kCsrfHeader = "x-csrf-token";

struct SessionSettings {
  std::int64_t ttl_ms = 8LL * 3600 * 1000;  // a session ends this long after login
  bool secure_cookie = false;              // the Secure attribute: set when TLS is on
};

struct IssuedSession {
  store::SessionRecord record;  // to store (PutSession)
  std::string token;            // the cookie's value, never stored
  std::string csrf_token;       // what X-CSRF-Token must carry
};

// A new session for `user_id`. Nothing is stored.
IssuedSession issue_session(const std::string& user_id, const std::string& source_ip,
                            std::int64_t now_ms, const SessionSettings& settings);

// The CSRF token of the session whose token is `session_token`: derived from
// it (HMAC-SHA256 under a fixed label), so it needs no storage and is known
// to whoever holds the cookie's value, which a page of another site never
// does.
std::string csrf_token_for(std::string_view session_token);

// The Set-Cookie value that sets (or, with an empty token, clears) the
// session cookie.
std::string session_cookie(std::string_view token, std::int64_t max_age_s, bool secure);
std::string clear_session_cookie(bool secure);

// The value of cookie `name` in the request's Cookie header ("" when absent).
std::string cookie_value(const Request& request, std::string_view name);

// True for methods that change nothing (GET, HEAD, OPTIONS): they need no
// CSRF token.
bool is_safe_method(std::string_view method);

class Sessions {
 public:
  // REQUIRES: `store` outlives this object.
  explicit Sessions(store::Store& store, Clock clock = system_now_ms)
      : store_(store), clock_(std::move(clock)) {}

  // The principal of the session whose cookie holds `token`:
  // kUnauthenticated when the session is unknown, ended or expired, or its
  // user is disabled or gone.
  Result<Principal> check(const std::string& token) const;

 private:
  store::Store& store_;
  Clock clock_;
};

}  // namespace atio::server::auth
