// This node's record in the store (store.h NodeRecord, GET /api/v1/nodes):
// written when it starts, every `period` with the executions it runs (its
// heartbeat), and as stopped when it ends cleanly. Records of nodes silent
// for a day are forgotten.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>

#include "atio/engine/engine.h"
#include "atio/store/store.h"

namespace atio::server {

// A node whose heartbeat is older than this is reported as not alive.
inline constexpr std::chrono::milliseconds kNodeSilentAfter{10'000};

class NodeHeartbeat {
 public:
  // REQUIRES: `store` and `engine` outlive the heartbeat. `id`: this
  // node's id (the engine's node_id); "" makes a new one.
  NodeHeartbeat(store::Store& store, engine::Engine& engine, std::string version,
                std::chrono::milliseconds period = std::chrono::milliseconds(2000),
                std::string id = "");
  ~NodeHeartbeat();  // stop()
  NodeHeartbeat(const NodeHeartbeat&) = delete;
  NodeHeartbeat& operator=(const NodeHeartbeat&) = delete;

  // Writes the first record (and waits for it), then beats on a thread.
  Status start();
  // Stops beating and writes the record as stopped (waits for it), waking
  // the other nodes (takeover.h kNodesChannel) to take over what this one
  // leaves unfinished. Call it once the engine has stopped.
  void stop();

  const std::string& id() const { return record_.id; }

 private:
  Status beat(const std::string& state);
  void loop();

  store::Store& store_;
  engine::Engine& engine_;
  std::chrono::milliseconds period_;
  store::NodeRecord record_;

  std::mutex mu_;
  std::condition_variable cv_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace atio::server
