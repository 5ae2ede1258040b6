#include "atio/server/auth/api_keys.h"

#include <chrono>

#include "atio/core/ids.h"
#include "atio/core/text.h"
#include "atio/server/auth/crypto.h"
#include "atio/server/auth/permissions.h"

namespace atio::server::auth {

namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

}  // namespace

std::int64_t system_now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string bearer_token(const Request& request) {
  std::string_view h = trim(request.header("authorization"));
  if (h.size() < 7 || !iequals(h.substr(0, 7), "bearer ")) return "";
  return std::string(trim(h.substr(7)));
}

std::string request_api_key(const Request& request) {
  std::string key = bearer_token(request);
  if (key.empty()) key = std::string(trim(request.header("x-api-key")));
  return key;
}

IssuedApiKey issue_api_key(const NewApiKey& spec, std::int64_t now_ms, const std::string& secret) {
  IssuedApiKey out;
  out.secret = secret.empty() ? new_secret("atio_") : secret;
  store::ApiKeyRecord& r = out.record;
  r.id = uuid_v4();
  r.name = spec.name;
  r.key_hash = sha256_hex(out.secret);
  r.created_at_ms = now_ms;
  r.role = spec.role;
  r.expires_at_ms = spec.expires_at_ms;
  r.owner_user_id = spec.owner_user_id;
  return out;
}

Status check_api_key_secret(std::string_view secret) {
  // new_secret() makes "atio_" and 64 hex digits; `openssl rand -hex 16` is
  // the shortest an operator should choose.
  constexpr std::size_t kMin = 32, kMax = 512;
  if (secret.size() < kMin || secret.size() > kMax) {
    return Status(Code::kInvalidArgument,
                  "an API key needs " + std::to_string(kMin) + " to " + std::to_string(kMax) +
                      " characters; this one has " + std::to_string(secret.size()) +
                      " (make one with: echo atio_$(openssl rand -hex 32))");
  }
  for (std::size_t i = 0; i < secret.size(); ++i) {
    const char c = secret[i];
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '-' || c == '.' || c == '_' || c == '~' || c == '+' || c == '/' ||
                    c == '=';
    if (!ok) {
      const bool printable = c > 0x20 && c < 0x7f;
      return Status(Code::kInvalidArgument,
                    "an API key may hold letters, digits and - . _ ~ + / = only; character " +
                        std::to_string(i + 1) + " is " +
                        (printable ? "'" + std::string(1, c) + "'"
                                   : c == ' ' ? std::string("a space")
                                              : "byte " + std::to_string(static_cast<unsigned char>(c))));
    }
  }
  return Status::ok();
}

Result<Principal> ApiKeys::check(const std::string& key) const {
  // Looking the key up by its hash needs no comparison of secrets in code:
  // the hash reveals nothing about the key.
  auto found = store_.find_api_key(sha256_hex(key));
  if (!found.is_ok()) return found.status();
  if (!*found) return Status(Code::kUnauthenticated, "the API key is not valid");
  const store::ApiKeyRecord& k = **found;
  if (k.revoked_at_ms != 0) return Status(Code::kUnauthenticated, "the API key was revoked");
  if (k.expires_at_ms != 0 && clock_() >= k.expires_at_ms) {
    return Status(Code::kUnauthenticated, "the API key has expired");
  }
  if (!k.owner_user_id.empty()) {
    auto owner = store_.get_user(k.owner_user_id);
    if (!owner.is_ok()) return owner.status();
    if (!*owner || (*owner)->disabled) {
      return Status(Code::kUnauthenticated, "the API key's user is disabled");
    }
    // A user whose role was lowered cannot keep acting with more through a
    // key made before.
    auto key_role = parse_role(k.role);
    if (!key_role || !role_within(*key_role, (*owner)->role)) {
      return Status(Code::kUnauthenticated,
                    "the API key's role exceeds its user's present role; create a new key");
    }
  }
  Principal p;
  p.kind = "api-key";
  p.id = k.id;
  p.name = k.name;
  p.role = k.role;
  p.user_id = k.owner_user_id;
  p.expires_at_ms = k.expires_at_ms;
  return p;
}

Result<std::string> ApiKeys::create(const NewApiKey& spec) {
  IssuedApiKey issued = issue_api_key(spec, clock_());
  ATIO_RETURN_IF_ERROR(store_.write({store::PutApiKey{issued.record}}));
  return issued.secret;
}

Result<std::string> ApiKeys::ensure_admin_key(const std::string& secret) {
  ATIO_ASSIGN_OR_RETURN(auto keys, store_.list_api_keys());
  if (!keys.empty()) return std::string();
  ATIO_ASSIGN_OR_RETURN(auto users, store_.list_users());
  if (!users.empty()) return std::string();
  IssuedApiKey issued = issue_api_key(NewApiKey{"admin"}, clock_(), secret);
  ATIO_RETURN_IF_ERROR(store_.write({store::PutApiKey{issued.record}}));
  return issued.secret;
}

}  // namespace atio::server::auth
