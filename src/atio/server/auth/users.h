// The rules for users and API keys that the API and the `atio user` /
// `atio apikey` commands share, so that both accept and refuse the same.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "atio/core/status.h"
#include "atio/server/auth/password.h"
#include "atio/store/store.h"

namespace atio::server::auth {

// kInvalidArgument unless `name` is 1-64 characters of A-Z a-z 0-9 . _ @ -
// (no spaces or look-alike characters, so a name reads the same in every
// list and audit record).
Status check_user_name(std::string_view name);
// kInvalidArgument unless `name` names a role (auth/permissions.h).
Status check_role(std::string_view role);
// kInvalidArgument unless `name` is 1-100 printable ASCII characters.
Status check_key_name(std::string_view name);

// A new enabled user with `password` hashed (argon2id). Checks the name, the
// role and the password rules; nothing is stored.
Result<store::UserRecord> new_user(const std::string& name, const std::string& role,
                                   std::string_view password, std::int64_t now_ms,
                                   PasswordCost cost = PasswordCost::interactive());

// "90s", "15m", "12h", "30d" (a positive whole number and a unit) in
// milliseconds; kInvalidArgument otherwise.
Result<std::int64_t> parse_duration_ms(std::string_view text);

}  // namespace atio::server::auth
