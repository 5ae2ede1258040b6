#include "atio/server/auth/users.h"

#include <charconv>

#include "atio/core/ids.h"
#include "atio/server/auth/permissions.h"

namespace atio::server::auth {

Status check_user_name(std::string_view name) {
  if (name.empty() || name.size() > 64) {
    return Status(Code::kInvalidArgument, "a user name has 1 to 64 characters");
  }
  for (char c : name) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '.' || c == '_' || c == '@' || c == '-';
    if (!ok) {
      return Status(Code::kInvalidArgument,
                    "a user name may hold only letters A-Z, digits and . _ @ -");
    }
  }
  return Status();
}

Status check_role(std::string_view role) {
  if (parse_role(role)) return Status();
  std::string roles;
  for (Role r : all_roles()) roles += (roles.empty() ? "" : ", ") + std::string(role_name(r));
  return Status(Code::kInvalidArgument,
                "unknown role \"" + std::string(role) + "\"; roles are " + roles);
}

Status check_key_name(std::string_view name) {
  if (name.empty() || name.size() > 100) {
    return Status(Code::kInvalidArgument, "a key name has 1 to 100 characters");
  }
  for (char c : name) {
    if (c < 0x20 || c > 0x7e) {
      return Status(Code::kInvalidArgument, "a key name may hold only printable ASCII characters");
    }
  }
  return Status();
}

Result<store::UserRecord> new_user(const std::string& name, const std::string& role,
                                   std::string_view password, std::int64_t now_ms,
                                   PasswordCost cost) {
  ATIO_RETURN_IF_ERROR(check_user_name(name));
  ATIO_RETURN_IF_ERROR(check_role(role));
  store::UserRecord u;
  ATIO_ASSIGN_OR_RETURN(u.password_hash, hash_password(password, cost));
  u.id = uuid_v4();
  u.name = name;
  u.role = role;
  u.created_at_ms = now_ms;
  return u;
}

Result<std::int64_t> parse_duration_ms(std::string_view text) {
  const Status bad(Code::kInvalidArgument, "a duration is a whole number and a unit: 90s, 15m, "
                                           "12h or 30d, not \"" + std::string(text) + "\"");
  if (text.size() < 2) return bad;
  std::int64_t unit = 0;
  switch (text.back()) {
    case 's': unit = 1000; break;
    case 'm': unit = 60'000; break;
    case 'h': unit = 3'600'000; break;
    case 'd': unit = 86'400'000; break;
    default: return bad;
  }
  std::int64_t n = 0;
  const char* end = text.data() + text.size() - 1;
  auto [p, ec] = std::from_chars(text.data(), end, n);
  // Ten years at most keeps the product far from overflowing.
  if (ec != std::errc() || p != end || n <= 0 || n > 3650LL * 86'400'000 / unit) return bad;
  return n * unit;
}

}  // namespace atio::server::auth
