// One execution as GET /api/v1/executions/{id} and its live stream show it:
// the summary, the variables, every step (the journal merged with the steps
// in flight; a step waiting for a person has status "waiting") and the
// manual steps waiting.
#pragma once

#include <boost/json/object.hpp>

#include <optional>
#include <string>
#include <vector>

#include "atio/actions/manual/manual_board.h"

#include "atio/core/status.h"
#include "atio/server/api/context.h"

namespace atio::server {

// nullopt when there is no such execution; an error when the store fails.
Result<std::optional<boost::json::object>> execution_detail(ApiContext& ctx,
                                                            const std::string& id);

// The manual steps waiting, oldest first: this node's (its board) and those of
// the executions other nodes run (the store, server/signals.h); only those of
// `execution_id` when it is not empty (manual_steps.cc). `owner`: that
// execution's node, when the caller knows it.
Result<std::vector<actions::ManualTask>> waiting_manual_steps(ApiContext& ctx,
                                                              const std::string& execution_id,
                                                              const std::string& owner = "");

}  // namespace atio::server
