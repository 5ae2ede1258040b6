// One execution as GET /api/v1/executions/{id} and its live stream show it:
// the summary, the variables, every step (the journal merged with the steps
// in flight; a step waiting for a person has status "waiting") and the
// manual steps waiting.
#pragma once

#include <boost/json/object.hpp>

#include <optional>
#include <string>

#include "atio/core/status.h"
#include "atio/server/api/context.h"

namespace atio::server {

// nullopt when there is no such execution; an error when the store fails.
Result<std::optional<boost::json::object>> execution_detail(ApiContext& ctx,
                                                            const std::string& id);

}  // namespace atio::server
