#include "atio/server/auth/api_keys.h"

#include <cctype>
#include <chrono>

#include "atio/core/ids.h"
#include "atio/server/auth/crypto.h"

namespace atio::server::auth {

namespace {

std::int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

bool iequals_prefix(std::string_view s, std::string_view prefix) {
  if (s.size() < prefix.size()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(s[i])) != prefix[i]) return false;
  }
  return true;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

}  // namespace

std::string bearer_token(const Request& request) {
  std::string_view h = trim(request.header("authorization"));
  if (!iequals_prefix(h, "bearer ")) return "";
  return std::string(trim(h.substr(7)));
}

Result<Principal> ApiKeys::authenticate(const Request& request) const {
  std::string key = bearer_token(request);
  if (key.empty()) key = std::string(trim(request.header("x-api-key")));
  if (key.empty()) {
    return Status(Code::kUnauthenticated,
                  "an API key is required: send Authorization: Bearer <key> or X-API-Key");
  }
  // Looking the key up by its hash needs no comparison of secrets in code:
  // the hash reveals nothing about the key.
  auto found = store_.find_api_key(sha256_hex(key));
  if (!found.is_ok()) return found.status();
  if (!*found) return Status(Code::kUnauthenticated, "the API key is not valid");
  Principal p;
  p.kind = "api-key";
  p.id = (*found)->id;
  p.name = (*found)->name;
  return p;
}

Result<std::string> ApiKeys::create(const std::string& name) {
  std::string key = new_secret("atio_");
  store::ApiKeyRecord r;
  r.id = uuid_v4();
  r.name = name;
  r.key_hash = sha256_hex(key);
  r.created_at_ms = now_ms();
  ATIO_RETURN_IF_ERROR(store_.write({store::PutApiKey{r}}));
  return key;
}

Result<std::string> ApiKeys::ensure_admin_key() {
  ATIO_ASSIGN_OR_RETURN(auto keys, store_.list_api_keys());
  if (!keys.empty()) return std::string();
  return create("admin");
}

}  // namespace atio::server::auth
