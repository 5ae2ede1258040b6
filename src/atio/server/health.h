// Health checks with a bound, for GET /healthz and GET /readyz: a check that
// blocks (a store read waiting on a database that is gone) makes the probe
// answer "unhealthy" in time instead of hanging the probe, which an
// orchestrator would only see as a timeout with no reason.
//
// Contract: BoundedCheck::run() returns within about its timeout whatever
// the check does. Checks run one at a time on the BoundedCheck's own thread
// (started on first use): a caller that finds a check in flight waits for
// that one rather than starting another, so a hung store costs one thread,
// not one per probe; once a check has been in flight longer than the bound,
// callers are answered at once.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include "atio/core/status.h"

namespace atio::engine {
class Engine;
}

namespace atio::server {

class BoundedCheck {
 public:
  using Check = std::function<Status()>;  // may block; called on the check's thread

  // `what` names the checked thing in messages ("the store").
  BoundedCheck(std::string what, Check check, std::chrono::milliseconds timeout);
  ~BoundedCheck();  // waits for a check in flight to return
  BoundedCheck(const BoundedCheck&) = delete;
  BoundedCheck& operator=(const BoundedCheck&) = delete;

  // The check's status, or kUnavailable when it did not return within the
  // bound (the message says how long it has been running). Thread-safe.
  Status run();

 private:
  struct State;
  std::shared_ptr<State> state_;
};

// OK when one of the engine's workers runs a task within `timeout`;
// kUnavailable otherwise (a stopped engine, or workers that all hang).
Status engine_heartbeat(engine::Engine& engine, std::chrono::milliseconds timeout);

}  // namespace atio::server
