// Requests that reach a node other than the one running the execution
// (docs/postgresql.md, "Requests to any node").
//
// With several nodes behind a load balancer, an analyst's abort or manual
// answer lands on any node, but only the node that runs the execution (its
// owner, store.h ExecutionRecord::owner) can apply it. The receiving node
// stores it as a signal (store.h SignalRecord) and notifies kSignalsChannel;
// the owner's SignalInbox applies it and records the result, which the
// receiving node waits for a short while to answer the client. A signal for
// an execution whose node died applies on the node that takes it over.
#pragma once

#include <chrono>
#include <map>
#include <string>

#include "atio/actions/manual/manual_board.h"
#include "atio/engine/engine.h"
#include "atio/store/store.h"

namespace atio::server {

inline constexpr const char* kSignalsChannel = "atio_signals";
// How long a request waits for its signal to apply before it answers 202.
inline constexpr std::chrono::milliseconds kSignalWait{3000};

// Stores `signal` (a new id and the time are set here), wakes the nodes and
// waits up to `wait` for it to be applied. Returns the signal as it stands
// then: "done", "failed" with why, or still "pending" (it applies when its
// node gets to it; the caller answers 202).
Result<store::SignalRecord> send_signal(store::Store& store, store::SignalRecord signal,
                                        std::chrono::milliseconds wait);

class SignalInbox {
 public:
  // A signal that cannot apply yet (the execution is resuming here and its
  // step does not wait again yet) is kept this long, then fails.
  static constexpr std::chrono::milliseconds kPatience{60'000};

  // REQUIRES: everything outlives the inbox; `node_id` is the engine's.
  SignalInbox(store::Store& store, engine::Engine& engine, actions::ManualBoard& board,
              std::string node_id);

  // Applies the pending signals of the executions this node runs. Called by
  // one thread (Takeover's loop) when woken on kSignalsChannel and every
  // sweep period.
  void apply();

 private:
  // The result of applying one signal: "done", "failed" or "" (keep it).
  std::pair<std::string, std::string> apply_one(const store::SignalRecord& s);

  store::Store& store_;
  engine::Engine& engine_;
  actions::ManualBoard& board_;
  const std::string node_id_;
  // Applied, but the record of it could not be written: recorded on the next
  // apply(), never applied twice. Only the apply() thread uses it.
  std::map<std::string, std::pair<std::string, std::string>> unrecorded_;
};

}  // namespace atio::server
