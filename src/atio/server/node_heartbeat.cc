#include "atio/server/node_heartbeat.h"
#include "atio/core/clock.h"

#include <unistd.h>

#include <iostream>

#include "atio/core/ids.h"
#include "atio/core/thread_name.h"
#include "atio/server/takeover.h"

namespace atio::server {

namespace {

std::string host_name() {
  char host[256] = {0};
  if (::gethostname(host, sizeof host - 1) != 0) return "";
  return host;
}

constexpr std::int64_t kForgetAfterMs = 24LL * 3600 * 1000;

}  // namespace

NodeHeartbeat::NodeHeartbeat(store::Store& store, engine::Engine& engine, std::string version,
                             std::chrono::milliseconds period, std::string id)
    : store_(store), engine_(engine), period_(period) {
  record_.id = id.empty() ? uuid_v4() : std::move(id);
  record_.version = std::move(version);
  record_.hostname = host_name();
  record_.started_at_ms = wall_ms();
}

NodeHeartbeat::~NodeHeartbeat() { stop(); }

Status NodeHeartbeat::beat(const std::string& state) {
  store::NodeRecord r = record_;
  r.heartbeat_at_ms = wall_ms();
  r.executions_running = static_cast<std::int64_t>(engine_.active());
  r.state = state;
  if (state == "stopped") {
    return store_.write({store::PutNode{r}, store::Notify{kNodesChannel, r.id}});
  }
  return store_.write({store::PutNode{r}});
}

Status NodeHeartbeat::start() {
  // Stale records come from nodes that stopped; one is forgotten when a node
  // starts, not on every beat. So are the signals between nodes that ended
  // (signals.h) a day ago.
  ATIO_RETURN_IF_ERROR(store_.write({store::PruneNodes{wall_ms() - kForgetAfterMs},
                                     store::PruneSignals{wall_ms() - kForgetAfterMs}}));
  ATIO_RETURN_IF_ERROR(beat("active"));
  thread_ = named_thread("atio-heartbeat", [this] { loop(); });
  return Status();
}

void NodeHeartbeat::stop() {
  {
    std::lock_guard<std::mutex> lk(mu_);
    if (stopping_ || !thread_.joinable()) return;
    stopping_ = true;
  }
  cv_.notify_all();
  thread_.join();
  (void)beat("stopped");
}

void NodeHeartbeat::loop() {
  std::unique_lock<std::mutex> lk(mu_);
  while (!cv_.wait_for(lk, period_, [this] { return stopping_; })) {
    lk.unlock();
    // A failure (the database away) is the next beat's to repair; the record
    // meanwhile ages, as it should.
    Status s = beat("active");
    if (!s.is_ok()) std::cerr << "atio: node heartbeat: " << s.to_string() << "\n";
    lk.lock();
  }
}

}  // namespace atio::server
