// x-atio-monitor's state between runs (the previous workflow_data of each
// watched url), kept in the store's settings under "x-atio-monitor <url>",
// so it survives restarts and is shared by every atio process on the store.
#pragma once

#include "atio/actions/monitor/monitor_command.h"
#include "atio/store/store.h"

namespace atio::monitor {

namespace bj = boost::json;

class StoreWorkflowState final : public actions::WorkflowStateStore {
 public:
  // REQUIRES: `store` outlives this object.
  explicit StoreWorkflowState(store::Store& store) : store_(store) {}
  Result<std::optional<bj::value>> load(const std::string& key) override;
  Status save(const std::string& key, bj::value state) override;

 private:
  store::Store& store_;
};

}  // namespace atio::monitor
