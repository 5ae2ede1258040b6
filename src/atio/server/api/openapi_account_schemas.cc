// components/schemas of users, sessions and API keys.
#include <boost/json/parse.hpp>

#include "atio/server/api/openapi.h"

namespace atio::server {

namespace {

const char* const kAccountSchemas = R"json({
  "Role": {"type": "string", "enum": ["admin", "author", "analyst", "auditor", "viewer"],
    "description": "What a user or key may do; docs/security.md lists each role's permissions"},
  "User": {"type": "object", "properties": {
    "id": {"type": "string", "format": "uuid"}, "name": {"type": "string"},
    "role": {"$ref": "#/components/schemas/Role"}, "disabled": {"type": "boolean"},
    "created_at": {"type": "string", "format": "date-time"},
    "last_login_at": {"type": "string", "format": "date-time", "nullable": true}}},
  "UserList": {"type": "object", "properties": {
    "users": {"type": "array", "items": {"$ref": "#/components/schemas/User"}}}},
  "UserCreate": {"type": "object", "required": ["name", "role", "password"], "properties": {
    "name": {"type": "string", "pattern": "^[A-Za-z0-9._@-]{1,64}$",
      "description": "Unique without regard to case"},
    "role": {"$ref": "#/components/schemas/Role"},
    "password": {"type": "string", "minLength": 12, "maxLength": 1024}}},
  "UserUpdate": {"type": "object", "properties": {
    "role": {"$ref": "#/components/schemas/Role"},
    "disabled": {"type": "boolean", "description": "true ends the user's sessions and stops its API keys"}}},
  "PasswordReset": {"type": "object", "required": ["password"], "properties": {
    "password": {"type": "string", "minLength": 12, "maxLength": 1024}}},
  "Me": {"type": "object", "properties": {
    "kind": {"type": "string", "enum": ["key", "user"]},
    "id": {"type": "string"}, "name": {"type": "string"},
    "role": {"$ref": "#/components/schemas/Role"},
    "permissions": {"type": "array", "items": {"type": "string", "example": "playbook.read"}},
    "user_id": {"type": "string", "nullable": true, "description": "The user a key acts for"},
    "expires_at": {"type": "string", "format": "date-time", "nullable": true},
    "session": {"type": "object", "properties": {
      "id": {"type": "string"}, "expires_at": {"type": "string", "format": "date-time"},
      "csrf_token": {"type": "string"}}}}},
  "ApiKey": {"type": "object", "properties": {
    "id": {"type": "string", "format": "uuid"}, "name": {"type": "string"},
    "role": {"$ref": "#/components/schemas/Role"},
    "status": {"type": "string", "enum": ["active", "expired", "revoked"]},
    "created_at": {"type": "string", "format": "date-time"},
    "expires_at": {"type": "string", "format": "date-time", "nullable": true},
    "revoked_at": {"type": "string", "format": "date-time", "nullable": true},
    "owner_user_id": {"type": "string", "nullable": true, "description": "null: a system key (atio serve's first key, the CLI's)"}}},
  "ApiKeyList": {"type": "object", "properties": {
    "api_keys": {"type": "array", "items": {"$ref": "#/components/schemas/ApiKey"}}}},
  "ApiKeyCreate": {"type": "object", "required": ["name"], "properties": {
    "name": {"type": "string", "maxLength": 100},
    "role": {"$ref": "#/components/schemas/Role"},
    "expires_in": {"type": "string", "example": "30d", "description": "A whole number and s, m, h or d"},
    "expires_at": {"type": "string", "format": "date-time"}}},
  "ApiKeyCreated": {"allOf": [{"$ref": "#/components/schemas/ApiKey"}, {"type": "object", "properties": {
    "key": {"type": "string", "description": "The key: send as Authorization: Bearer or X-API-Key (shown once)"}}}]},
  "Login": {"type": "object", "required": ["name", "password"], "properties": {
    "name": {"type": "string"}, "password": {"type": "string"}}},
  "LoginResult": {"type": "object", "properties": {
    "user": {"type": "object", "properties": {
      "id": {"type": "string"}, "name": {"type": "string"}, "role": {"$ref": "#/components/schemas/Role"}}},
    "permissions": {"type": "array", "items": {"type": "string"}},
    "csrf_token": {"type": "string", "description": "Send as X-CSRF-Token with every request that changes something"},
    "expires_at": {"type": "string", "format": "date-time"}}}
})json";

}  // namespace

boost::json::object openapi_account_schemas() {
  return boost::json::parse(kAccountSchemas).as_object();
}

}  // namespace atio::server
