#include "atio/monitor/channels.h"
#include "atio/core/clock.h"

#include <netdb.h>
#include <sys/socket.h>
#include <unistd.h>

#include <boost/json/serialize.hpp>

#include <iostream>

#include "atio/core/ids.h"
#include "atio/core/thread_name.h"

namespace atio::monitor {

namespace {

// RFC 5424 PARAM-VALUE: '"', '\' and ']' are escaped with '\'.
std::string sd_escape(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c == '"' || c == '\\' || c == ']') out += '\\';
    out += c;
  }
  return out;
}

}  // namespace

std::string syslog_message(const ChangeEvent& e, const std::string& hostname) {
  const int severity = e.kind == ChangeKind::kDeletion ? 4 : 5;
  const bj::object j = event_json(e);
  std::string out = "<" + std::to_string(13 * 8 + severity) + ">1 " + time_text(e.detected_ms) +
                    " " + (hostname.empty() ? "-" : hostname) + " atio - playbook." +
                    to_string(e.kind) + " [atio@32473 id=\"" + sd_escape(e.playbook_id) +
                    "\" name=\"" + sd_escape(e.name) + "\" actor=\"" +
                    sd_escape(std::string(j.at("actor").as_string())) + "\" kind=\"" +
                    to_string(e.kind) + "\"] ";
  out += bj::serialize(j);
  return out;
}

Channels::Channels(store::Store& store, actions::HttpClient& http, EventHub& hub,
                   engine::Engine* engine, ChannelOptions options)
    : store_(store), http_(http), hub_(hub), engine_(engine), options_(std::move(options)) {
  if (!options_.syslog.empty()) {
    auto sender = SyslogSender::open(options_.syslog);
    if (sender.is_ok()) {
      syslog_.emplace(std::move(*sender));
    } else {
      std::cerr << "atio: monitor: " << sender.status().to_string() << "\n";
    }
  }
}

Channels::~Channels() = default;

void Channels::publish(const std::vector<ChangeEvent>& events, bj::array workflow_data) {
  std::vector<ChangeKind> kinds;
  for (const auto& e : events) kinds.push_back(e.kind);
  const bj::object n = make_notification(events, std::move(workflow_data));
  if (syslog_) {
    // A lost datagram is not retried: the stored event and the feed keep it.
    for (const auto& e : events) (void)syslog_->send(syslog_message(e, options_.hostname));
  }
  publish_notification("atio", n, kinds);
}

void Channels::publish_notification(const std::string& source, const bj::object& notification,
                                    const std::vector<ChangeKind>& kinds) {
  const std::string id = uuid_v4();
  const std::string body = bj::serialize(notification);
  for (const auto& url : options_.webhooks) {
    actions::HttpRequest req;
    req.method = "POST";
    req.url = url;
    req.headers = {{"Content-Type", "application/json"},
                   {"X-Atio-Event-Id", id},
                   {"X-Atio-Event-Source", source}};
    req.body = body;
    req.timeout = options_.webhook_timeout;
    http_.send(std::move(req), [url](actions::HttpResponse r) {
      if (!r.status.is_ok() || r.http_status >= 300) {
        std::cerr << "atio: monitor: webhook " << url << ": "
                  << (r.status.is_ok() ? "HTTP " + std::to_string(r.http_status)
                                       : r.status.to_string())
                  << "\n";
      }
    });
  }
  store::MonitorEventRecord rec;
  rec.id = id;
  rec.time_ms = wall_ms();
  rec.source = source;
  rec.body = body;
  store_.submit({store::AppendMonitorEvent{std::move(rec)}}, [this](Status s) {
    if (!s.is_ok()) std::cerr << "atio: monitor: storing an event: " << s.to_string() << "\n";
    hub_.notify();
  });
  start_triggers(notification, kinds, id);
}

void Channels::start_triggers(const bj::object& notification, const std::vector<ChangeKind>& kinds,
                              const std::string& event_id) {
  if (!engine_) return;
  auto triggers = store_.list_monitor_triggers();
  if (!triggers.is_ok()) {
    std::cerr << "atio: monitor: reading triggers: " << triggers.status().to_string() << "\n";
    return;
  }
  for (const auto& t : *triggers) {
    bool match = t.kinds.empty();
    for (ChangeKind k : kinds) {
      for (const auto& want : t.kinds) match = match || want == to_string(k);
    }
    if (!match) continue;
    bj::object trigger{{"kind", "monitor"}, {"trigger_id", t.id}, {"event_id", event_id}};
    const std::string tid = t.id;
    engine_->start(t.playbook_id, {bj::object{{"__event__", notification}}}, std::move(trigger),
                   [tid](Result<std::vector<std::string>> ids) {
                     if (!ids.is_ok()) {
                       std::cerr << "atio: monitor trigger " << tid << ": "
                                 << ids.status().to_string() << "\n";
                     }
                   });
  }
}

}  // namespace atio::monitor
