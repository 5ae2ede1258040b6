#include "atio/monitor/remote_state.h"

#include <chrono>

namespace atio::monitor {

Result<std::optional<bj::value>> StoreWorkflowState::load(const std::string& key) {
  return store_.get_setting(key);
}

Status StoreWorkflowState::save(const std::string& key, bj::value state) {
  const std::int64_t now = std::chrono::duration_cast<std::chrono::milliseconds>(
                               std::chrono::system_clock::now().time_since_epoch())
                               .count();
  return store_.write({store::PutSetting{key, std::move(state), now}});
}

}  // namespace atio::monitor
