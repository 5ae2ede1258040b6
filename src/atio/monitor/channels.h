// Where the monitor's notifications go: the store (the API's event list and
// live feed read them there), webhooks (JSON POST), a syslog collector
// (RFC 5424 over UDP, one message per event), and the playbooks that monitor
// triggers start.
//
// publish() returns at once: webhooks are sent by the HttpClient's thread,
// the syslog datagrams are written without waiting, the stored event wakes
// the live feed once durable. A channel that fails is reported on standard
// error and does not hold back the others.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "atio/core/event_hub.h"
#include "atio/core/syslog_sender.h"
#include "atio/actions/http/http_client.h"
#include "atio/engine/engine.h"
#include "atio/monitor/watcher.h"
#include "atio/store/store.h"

namespace atio::monitor {

struct ChannelOptions {
  std::vector<std::string> webhooks;  // http(s) URLs
  std::string syslog;                 // udp://host:port, tcp://host:port, host:port; "" = none
  std::string hostname = "atio";      // HOSTNAME of the syslog messages
  std::chrono::milliseconds webhook_timeout{10000};
};

// The RFC 5424 message for one event: facility 13 (log audit), severity
// warning for deletions and notice otherwise, APP-NAME atio, MSGID
// "playbook.<kind>", structured data [atio@32473 id= name= actor= kind=],
// the event's JSON as MSG.
std::string syslog_message(const ChangeEvent& e, const std::string& hostname);

class Channels final : public Publisher {
 public:
  // REQUIRES: every reference outlives the channels. `engine` may be null
  // (no monitor triggers then).
  Channels(store::Store& store, actions::HttpClient& http, EventHub& hub, engine::Engine* engine,
           ChannelOptions options);
  ~Channels() override;

  void publish(const std::vector<ChangeEvent>& events, bj::array workflow_data) override;
  // Publishes an already built notification (x-atio-monitor's), from `source`.
  void publish_notification(const std::string& source, const bj::object& notification,
                            const std::vector<ChangeKind>& kinds);

 private:
  void start_triggers(const bj::object& notification, const std::vector<ChangeKind>& kinds,
                      const std::string& event_id);
  store::Store& store_;
  actions::HttpClient& http_;
  EventHub& hub_;
  engine::Engine* engine_;
  ChannelOptions options_;
  std::optional<SyslogSender> syslog_;
};

}  // namespace atio::monitor
