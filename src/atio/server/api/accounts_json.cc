#include "atio/server/api/accounts_json.h"

#include "atio/server/api/common.h"

namespace atio::server {

bj::object user_json(const store::UserRecord& u) {
  return bj::object{{"id", u.id},
                    {"name", u.name},
                    {"role", u.role},
                    {"disabled", u.disabled},
                    {"created_at", timestamp_json(u.created_at_ms)},
                    {"last_login_at", timestamp_json(u.last_login_at_ms)}};
}

bj::object api_key_json(const store::ApiKeyRecord& k, std::int64_t now_ms) {
  const char* status = k.revoked_at_ms != 0                              ? "revoked"
                       : k.expires_at_ms != 0 && now_ms >= k.expires_at_ms ? "expired"
                                                                           : "active";
  bj::object o{{"id", k.id},
               {"name", k.name},
               {"role", k.role},
               {"status", status},
               {"created_at", timestamp_json(k.created_at_ms)},
               {"expires_at", timestamp_json(k.expires_at_ms)},
               {"revoked_at", timestamp_json(k.revoked_at_ms)}};
  if (k.owner_user_id.empty()) {
    o["owner_user_id"] = nullptr;
  } else {
    o["owner_user_id"] = k.owner_user_id;
  }
  return o;
}

bj::array permission_names(std::string_view role) {
  bj::array out;
  const auth::PermissionSet set = auth::permissions_of(role);
  for (auth::Permission p : auth::all_permissions()) {
    if (set.test(static_cast<std::size_t>(p))) out.push_back(bj::value(auth::permission_name(p)));
  }
  return out;
}

}  // namespace atio::server
