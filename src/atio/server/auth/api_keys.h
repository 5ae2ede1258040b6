// API keys. Keys are random secrets shown once; the store keeps only their
// SHA-256, so a stolen database does not yield usable keys. Each key has a
// role, may expire and may be revoked; a key owned by a user works only
// while that user is enabled and still holds every permission of the key.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "atio/server/http.h"
#include "atio/store/store.h"

namespace atio::server::auth {

// Milliseconds since the Unix epoch; tests substitute their own.
using Clock = std::function<std::int64_t()>;
std::int64_t system_now_ms();

struct NewApiKey {
  std::string name;
  std::string role = "admin";
  std::int64_t expires_at_ms = 0;  // 0 = never
  std::string owner_user_id;       // "" = a system key (atio serve's first key, the CLI's)
};

struct IssuedApiKey {
  store::ApiKeyRecord record;  // to store (PutApiKey)
  std::string secret;          // to show once
};

// A new key: a fresh id and secret (or `secret` when not empty), the
// record holding only its hash. Nothing is stored.
IssuedApiKey issue_api_key(const NewApiKey& spec, std::int64_t now_ms,
                           const std::string& secret = "");

// Whether `secret` may be an API key chosen by an operator (atio serve
// --admin-key-file): 32 to 512 characters that travel unchanged in an
// `Authorization: Bearer` header (letters, digits, - . _ ~ + / =), so that it
// is as hard to guess as the keys atio makes. kInvalidArgument says why not.
Status check_api_key_secret(std::string_view secret);

class ApiKeys {
 public:
  // REQUIRES: `store` outlives this object.
  explicit ApiKeys(store::Store& store, Clock clock = system_now_ms)
      : store_(store), clock_(std::move(clock)) {}

  // The principal of `key`: kUnauthenticated when the key is unknown,
  // revoked, expired, or its owner is disabled, gone, or no longer holds
  // every permission of the key's role.
  Result<Principal> check(const std::string& key) const;

  // Stores a new key and returns its secret (the only time it is shown).
  Result<std::string> create(const NewApiKey& spec);
  Result<std::string> create(const std::string& name) { return create(NewApiKey{name}); }
  // When the store holds no key and no user yet (first start), creates the
  // "admin" key and returns it; otherwise returns "". The key is `secret`
  // when given (REQUIRES: check_api_key_secret(secret) is OK), else random.
  Result<std::string> ensure_admin_key(const std::string& secret = "");

 private:
  store::Store& store_;
  Clock clock_;
};

// The credential of `Authorization: Bearer <credential>` ("" when the header
// is absent or uses another scheme).
std::string bearer_token(const Request& request);
// The API key of a request: the bearer credential, else X-API-Key ("" when
// neither is there).
std::string request_api_key(const Request& request);

}  // namespace atio::server::auth
