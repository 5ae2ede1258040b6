#include "atio/cti/convert/winlog_stix.h"

#include <boost/json/array.hpp>

#include <cctype>

#include "atio/cti/convert/winlog_rules.h"
#include "atio/cti/convert/winlog_scos.h"
#include "atio/cti/stix/ids.h"
#include "atio/cti/stix/object.h"
#include "atio/cti/stix/time.h"

namespace atio::convert::winlog {

namespace {

// STIX dictionary keys are ASCII letters, digits, '-' and '_' (at most 250).
std::string dictionary_key(std::string_view key) {
  std::string out;
  for (char c : key.substr(0, 250)) {
    const auto u = static_cast<unsigned char>(c);
    out += (std::isalnum(u) && u < 128) || c == '-' || c == '_' ? c : '_';
  }
  return out;
}

bj::object event_data(const Event& e) {
  bj::object out;
  for (const auto& kv : e.data) {
    if (kv.value().is_null()) continue;
    out.insert_or_assign(dictionary_key(kv.key()), kv.value());
  }
  return out;
}

bj::object oca_event(const Event& e, std::string_view event_class, const Roles& roles) {
  bj::object ev;
  ev.emplace("code", e.event_id);
  if (!e.provider.empty()) ev.emplace("provider", e.provider);
  if (!e.channel.empty()) ev.emplace("module", e.channel);
  ev.emplace("category", bj::array{bj::value(event_class)});
  if (!roles.user.empty()) ev.emplace("user_ref", roles.user);
  if (!roles.process.empty()) ev.emplace("process_ref", roles.process);
  if (!roles.network.empty()) ev.emplace("network_ref", roles.network);
  return ev;
}

}  // namespace

bj::object event_to_bundle(const Event& e) {
  const std::string ts = stix::format_time(e.time);
  const std::string_view cls = event_class(e);
  const std::string_view reason = notable_reason(e);

  ScoSet scos;
  const Roles roles = add_observables(e, scos);
  // The event SCO is listed first; custom types get a random id.
  bj::object ev = oca_event(e, cls, roles);
  const std::string event_ref = stix::finish_sco("x-oca-event", &ev);

  bj::object od = stix::new_sdo("observed-data", ts);
  od.emplace("first_observed", ts);
  od.emplace("last_observed", ts);
  od.emplace("number_observed", 1);
  bj::array refs;
  refs.emplace_back(event_ref);
  for (const auto& id : scos.ids()) refs.emplace_back(id);
  od.emplace("object_refs", std::move(refs));
  od.emplace("x_atio_event_class", cls);
  if (!reason.empty()) {
    od.emplace("x_atio_notable", true);
    od.emplace("x_atio_notable_reason", reason);
  }
  od.emplace("x_windows_event_id", e.event_id);
  if (!e.channel.empty()) od.emplace("x_windows_channel", e.channel);
  if (!e.provider.empty()) od.emplace("x_windows_provider", e.provider);
  if (!e.record_id.is_null()) od.emplace("x_windows_record_id", e.record_id);
  if (!e.computer.empty()) od.emplace("x_windows_computer", e.computer);
  if (!e.message.empty()) od.emplace("x_windows_message", e.message);
  if (auto data = event_data(e); !data.empty()) od.emplace("x_windows_event_data", std::move(data));

  bj::array objects;
  const std::string observed_id(od.at("id").get_string());
  objects.emplace_back(std::move(od));
  objects.emplace_back(std::move(ev));
  for (const auto& sco : scos.objects()) objects.push_back(sco);
  if (!e.computer.empty()) {
    bj::object host = stix::new_sdo("infrastructure", ts);
    host.emplace("name", e.computer);
    host.emplace("description", "Windows host that logged the event");
    host.emplace("x_atio_platform", "windows");
    const std::string host_id(host.at("id").get_string());
    objects.emplace_back(std::move(host));
    objects.emplace_back(stix::new_relationship("consists-of", host_id, observed_id, ts));
  }
  return stix::new_bundle(std::move(objects));
}

}  // namespace atio::convert::winlog
