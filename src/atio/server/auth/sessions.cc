#include "atio/server/auth/sessions.h"

#include "atio/core/ids.h"
#include "atio/server/auth/crypto.h"

namespace atio::server::auth {

IssuedSession issue_session(const std::string& user_id, const std::string& source_ip,
                            std::int64_t now_ms, const SessionSettings& settings) {
  IssuedSession out;
  out.token = new_secret("");
  out.csrf_token = csrf_token_for(out.token);
  store::SessionRecord& r = out.record;
  r.id = uuid_v4();
  r.token_hash = sha256_hex(out.token);
  r.user_id = user_id;
  r.created_at_ms = now_ms;
  r.expires_at_ms = now_ms + settings.ttl_ms;
  r.source_ip = source_ip;
  return out;
}

std::string csrf_token_for(std::string_view session_token) {
  return hmac_sha256_hex(session_token, "atio-csrf-v1");
}

std::string session_cookie(std::string_view token, std::int64_t max_age_s, bool secure) {
  std::string c = std::string(kSessionCookie) + "=" + std::string(token) +
                  "; Path=/; Max-Age=" + std::to_string(max_age_s) + "; HttpOnly; SameSite=Strict";
  if (secure) c += "; Secure";
  return c;
}

std::string clear_session_cookie(bool secure) { return session_cookie("", 0, secure); }

std::string cookie_value(const Request& request, std::string_view name) {
  std::string_view h = request.header("cookie");
  while (!h.empty()) {
    std::size_t end = h.find(';');
    std::string_view pair = h.substr(0, end);
    h = end == std::string_view::npos ? std::string_view() : h.substr(end + 1);
    while (!pair.empty() && pair.front() == ' ') pair.remove_prefix(1);
    std::size_t eq = pair.find('=');
    if (eq == std::string_view::npos || pair.substr(0, eq) != name) continue;
    std::string_view v = pair.substr(eq + 1);
    while (!v.empty() && v.back() == ' ') v.remove_suffix(1);
    if (v.size() >= 2 && v.front() == '"' && v.back() == '"') v = v.substr(1, v.size() - 2);
    return std::string(v);
  }
  return "";
}

bool is_safe_method(std::string_view method) {
  return method == "GET" || method == "HEAD" || method == "OPTIONS";
}

Result<Principal> Sessions::check(const std::string& token) const {
  auto found = store_.find_session(sha256_hex(token));
  if (!found.is_ok()) return found.status();
  if (!*found || clock_() >= (*found)->expires_at_ms) {
    return Status(Code::kUnauthenticated, "the session has ended or expired; log in again");
  }
  auto user = store_.get_user((*found)->user_id);
  if (!user.is_ok()) return user.status();
  if (!*user || (*user)->disabled) {
    return Status(Code::kUnauthenticated, "the session's user is disabled");
  }
  Principal p;
  p.kind = "user";
  p.id = (*user)->id;
  p.name = (*user)->name;
  p.role = (*user)->role;  // the user's role now, not at login
  p.user_id = (*user)->id;
  p.session_id = (*found)->id;
  p.expires_at_ms = (*found)->expires_at_ms;
  return p;
}

}  // namespace atio::server::auth
