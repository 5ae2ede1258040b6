// JSON views of executions, steps and manual tasks, shared by the execution
// and manual-step resources.
#pragma once

#include <boost/json/object.hpp>

#include "atio/actions/manual/manual_board.h"
#include "atio/store/store.h"

namespace atio::server {

// id, playbook, status, trigger, error, created/finished, duration.
boost::json::object execution_summary_json(const store::ExecutionRecord& e);
// step_key, step_id, type, status, started/finished, duration, inputs,
// outputs, variables, branch, error.
boost::json::object step_json(const store::StepRecord& s);
boost::json::object manual_task_json(const actions::ManualTask& t);

}  // namespace atio::server
