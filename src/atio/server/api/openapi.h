// The OpenAPI 3.0 document of the API, generated from the router's table so
// it lists exactly the routes the server serves.
#pragma once

#include <boost/json/object.hpp>

#include <string>

#include "atio/server/router.h"

namespace atio::server {

boost::json::object openapi_document(const Router& router, const std::string& version);

// components/schemas: every schema name a RouteDoc may reference.
boost::json::object openapi_schemas();
// The schemas of playbook versions and the workflow monitor (part of the above).
boost::json::object openapi_monitor_schemas();
// The schemas of users, sessions and API keys (openapi_account_schemas.cc),
// part of openapi_schemas().
boost::json::object openapi_account_schemas();

// The schemas of cases and their metrics (openapi_case_schemas.cc), part of
// openapi_schemas().
boost::json::object openapi_case_schemas();

// "/api/v1/executions/{id}/steps/{step_key+}/answer" ->
// The schemas of cases and their metrics (openapi_case_schemas.cc), part of
// openapi_schemas().
boost::json::object openapi_case_schemas();

// "/api/v1/executions/{id}/steps/{step_key}/answer"
std::string openapi_path(const std::string& pattern);

}  // namespace atio::server
