// Takes over the executions of nodes that are gone (docs/postgresql.md).
//
// Every node owns the executions it creates (engine.h EngineOptions::node_id)
// and renews its lease with its heartbeat (node_heartbeat.h). A node whose
// heartbeat is older than the lease, or that stopped, holds nothing: any
// other node claims its unfinished executions (store.h ClaimExecutions; on
// PostgreSQL with FOR UPDATE SKIP LOCKED, so each goes to one node) and
// resumes them from their journal. A node that stops cleanly says so with a
// notification, and the others claim at once; after a kill -9 they claim
// within a sweep period of the lease's end. A node with free run slots also
// takes the backlog other nodes have not started (TakeoverOptions::steal_after).
//
// With a store only this process uses (SQLite), start() takes over every
// unfinished execution at once and no sweep runs. In both cases the thread
// resumes, every sweep period, the executions this node stopped because the
// store was away (engine.h resume_deferred), and applies the signals other
// nodes (or this one) sent to its executions (signals.h).
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <thread>

#include "atio/engine/engine.h"
#include "atio/server/signals.h"
#include "atio/store/store.h"

namespace atio::server {

// The channel a node notifies when it stops, so others take over at once.
inline constexpr const char* kNodesChannel = "atio_nodes";

struct TakeoverOptions {
  // A node silent this long is gone (and its heartbeat must come well within it).
  std::chrono::milliseconds lease{10'000};
  // How often the other nodes' leases are checked.
  std::chrono::milliseconds sweep{500};
  // True when no other process uses the store: every unfinished execution is
  // this node's to resume.
  bool single_process = false;
  // A node with free run slots and nothing queued takes, every sweep, the
  // executions other nodes accepted this long ago and have not started
  // (engine.h steal_backlog): a busy node's backlog moves to idle nodes.
  // Zero: never.
  std::chrono::milliseconds steal_after{2'000};
  // Applies the signals sent to this node's executions (signals.h) when a
  // node notifies kSignalsChannel and every sweep period; none when null.
  SignalInbox* signals = nullptr;
};

class Takeover {
 public:
  // REQUIRES: `store` and `engine` outlive this; the engine has a node id
  // and this node's record (a first heartbeat) is in the store.
  Takeover(store::Store& store, engine::Engine& engine, TakeoverOptions options);
  ~Takeover();  // stop()
  Takeover(const Takeover&) = delete;
  Takeover& operator=(const Takeover&) = delete;

  // Takes over what gone nodes left now (and waits for it), then sweeps on a
  // thread of its own (unless single_process) and resumes deferred executions.
  Status start();
  void stop();

  // One sweep now: claims what nodes silent since before now - lease left.
  // Returns how many executions it took over. Thread-safe.
  Result<std::size_t> sweep();

 private:
  void loop();

  store::Store& store_;
  engine::Engine& engine_;
  TakeoverOptions options_;

  std::mutex mu_;
  std::condition_variable cv_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace atio::server
