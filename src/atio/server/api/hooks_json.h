// The public JSON view of a hook (never its token hash or secret).
#pragma once

#include <boost/json/object.hpp>

#include "atio/server/http.h"
#include "atio/store/store.h"

namespace atio::server {

// hook_id, playbook_id, name, auth, path, url (absolute when the request
// carried a Host header), created_at.
boost::json::object hook_json(const store::HookRecord& hook, const Request& request);

}  // namespace atio::server
