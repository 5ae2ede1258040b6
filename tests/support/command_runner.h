// Runs a CommandType to completion in a test: start(), then wait for `done`
// on whatever thread calls it.
#pragma once

#include <chrono>
#include <future>
#include <memory>
#include <optional>

#include "atio/actions/action.h"

namespace atio::testing {

// The Outcome, or nullopt when `done` was not called within `timeout`.
inline std::optional<actions::Outcome> run_command(actions::CommandType& type,
                                                   actions::Invocation invocation,
                                                   std::chrono::milliseconds timeout =
                                                       std::chrono::seconds(20)) {
  auto promise = std::make_shared<std::promise<actions::Outcome>>();
  auto future = promise->get_future();
  type.start(std::move(invocation),
             [promise](actions::Outcome outcome) { promise->set_value(std::move(outcome)); });
  if (future.wait_for(timeout) != std::future_status::ready) return std::nullopt;
  return future.get();
}

}  // namespace atio::testing
