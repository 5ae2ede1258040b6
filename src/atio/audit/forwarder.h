// Sends every audit record to a syslog collector (RFC 5424, UDP or TCP) as
// it is written, so that a SIEM keeps a copy of the log outside atio, where
// whoever can change atio's database cannot reach it.
//
// In order and at least once: the seq of the last record handed to the
// collector is kept in the store (setting "audit_forwarded_seq"), so after a
// restart, or while the collector is unreachable (TCP), forwarding resumes
// where it stopped, with the oldest record not yet sent. A record can reach
// the collector twice if atio stops between sending it and remembering that
// it did. Over UDP a datagram the network drops is not noticed (RFC 5426);
// use TCP where every record must arrive. A new collector gets the whole log
// first. With several nodes one forwards at a time (ForwarderOptions::acting);
// when the duty moves, a record may reach the collector twice, never not.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "atio/core/status.h"
#include "atio/core/syslog_sender.h"
#include "atio/store/store.h"

namespace atio::audit {

struct ForwarderOptions {
  std::string collector;  // udp://host:port, tcp://host:port or host:port (UDP)
  std::string hostname = "atio";                   // HOSTNAME of the messages
  std::chrono::milliseconds interval{200};         // how often it looks for new records
  std::chrono::milliseconds max_backoff{5000};     // waiting after a failure, at most
  std::int64_t batch = 500;                        // records read at once
  // With several nodes on one store, the one that forwards now (the cluster
  // duty, store/postgres/duty_lock.h): the others only wait, and one that
  // takes the duty goes on from the seq the store holds. Null: this node.
  std::function<bool()> acting;
};

class Forwarder {
 public:
  // Starts the forwarding thread. kInvalidArgument when the collector is
  // malformed; kUnavailable when its name does not resolve.
  // REQUIRES: `store` outlives the forwarder.
  static Result<std::unique_ptr<Forwarder>> start(store::Store& store, ForwarderOptions options);
  // Makes a last pass, then stops.
  ~Forwarder();
  Forwarder(const Forwarder&) = delete;
  Forwarder& operator=(const Forwarder&) = delete;

  // The seq of the last record handed to the collector.
  std::int64_t forwarded() const;

 private:
  Forwarder(store::Store& store, ForwarderOptions options, SyslogSender sender);
  void run();
  // Sends what is new; false when the collector refused (back off).
  bool pass();

  store::Store& store_;
  ForwarderOptions options_;
  SyslogSender sender_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  bool stopping_ = false;
  std::int64_t seq_ = 0;
  bool idle_ = false;  // another node had the duty at the last pass (run() only)
  std::thread thread_;
};

}  // namespace atio::audit
