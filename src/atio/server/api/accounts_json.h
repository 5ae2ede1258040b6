// JSON of users and API keys as the API shows them: never a password hash,
// a key's hash or a session token.
#pragma once

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include <cstdint>
#include <string_view>

#include "atio/server/auth/permissions.h"
#include "atio/store/store.h"

namespace atio::server {

namespace bj = boost::json;

bj::object user_json(const store::UserRecord& u);
// `status` is "active", "expired" or "revoked" as of `now_ms`.
bj::object api_key_json(const store::ApiKeyRecord& k, std::int64_t now_ms);
// The names of the permissions `role` grants, in declaration order.
bj::array permission_names(std::string_view role);

}  // namespace atio::server
