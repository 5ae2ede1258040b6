// Users, their UI sessions, and the write operations on them (the tables
// `users` and `sessions`, migration 6; API keys are in store.h).
//
// Contract: the store keeps only what cannot be turned back into a
// credential: a user's password as an argon2id hash string
// (crypto_pwhash_str), a session's token and an API key as SHA-256 hex.
// User names are unique without regard to ASCII case ("Alice" and "alice"
// are one user), so that two accounts cannot pass for each other in a list
// or an audit record.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace atio::store {

struct UserRecord {
  std::string id;             // uuid
  std::string name;           // unique, case-insensitively
  std::string password_hash;  // "$argon2id$v=19$m=...": crypto_pwhash_str
  std::string role;           // "admin", "author", "analyst", "auditor", "viewer"
  bool disabled = false;      // a disabled user can neither log in nor use its keys
  std::int64_t created_at_ms = 0;
  std::int64_t last_login_at_ms = 0;  // 0 = never
};

struct SessionRecord {
  std::string id;          // uuid; names the session in audit records
  std::string token_hash;  // hex SHA-256 of the cookie's token
  std::string user_id;
  std::int64_t created_at_ms = 0;
  std::int64_t expires_at_ms = 0;  // absolute: no use at or after this time
  std::string source_ip;           // where the login came from
};

// kAlreadyExists when the name is taken (in any case).
struct CreateUser { UserRecord user; };
// Changes what is given of user `id` (the name, created_at and last_login
// never change), leaving the rest as the transaction finds it.
// kNotFound when the id is absent.
struct UpdateUser {
  std::string id;
  std::optional<std::string> password_hash;
  std::optional<std::string> role;
  std::optional<bool> disabled;
};
struct RecordLogin {
  std::string user_id;
  std::int64_t at_ms = 0;
};
struct PutSession { SessionRecord session; };
struct DeleteSession { std::string id; };        // nothing when absent
struct DeleteUserSessions { std::string user_id; };  // every session of the user
// Sessions that expired before `now_ms` (they are refused anyway; this
// keeps the table small).
struct DeleteExpiredSessions { std::int64_t now_ms = 0; };
// Marks API key `id` revoked at `at_ms` (a key revoked earlier keeps its
// first time). kNotFound when the id is absent.
struct RevokeApiKey {
  std::string id;
  std::int64_t at_ms = 0;
};

}  // namespace atio::store
