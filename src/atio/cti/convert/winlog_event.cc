#include "atio/cti/convert/winlog_event.h"

#include <array>
#include <charconv>
#include <chrono>
#include <cmath>

#include "atio/core/json.h"

namespace atio::convert::winlog {

namespace {

using atio::json::get_object;

// Flat records mix the event's fields with what the shipper added (NXLog,
// Logstash); these describe the record, not the event.
constexpr std::array<std::string_view, 31> kEnvelope = {
    "EventID",        "Channel",       "Hostname",         "Computer",         "SourceName",
    "ProviderName",   "ProviderGuid",  "RecordNumber",     "EventRecordID",    "Message",
    "@timestamp",     "@version",      "TimeCreated",      "EventTime",        "EventReceivedTime",
    "tags",           "host",          "port",             "SourceModuleName", "SourceModuleType",
    "Keywords",       "Level",         "Task",             "Opcode",           "OpcodeValue",
    "Severity",       "SeverityValue", "EventType",        "ExecutionProcessID", "ThreadID",
    "Version"};

bool is_envelope(std::string_view key) {
  for (auto k : kEnvelope) {
    if (k == key) return true;
  }
  return false;
}

std::optional<std::string> text_of(const bj::value& v) {
  if (v.is_string()) return std::string(v.get_string());
  if (v.is_int64()) return std::to_string(v.get_int64());
  if (v.is_uint64()) return std::to_string(v.get_uint64());
  return std::nullopt;
}

std::string string_member(const bj::object& o, std::string_view key) {
  auto it = o.find(key);
  if (it == o.end()) return {};
  return text_of(it->value()).value_or("");
}

// XML attributes as evtx_dump ("#attributes": {"Name": ..}), xmltodict
// ("@Name") or plain members write them.
const bj::value* attribute(const bj::value& v, std::string_view name) {
  if (!v.is_object()) return nullptr;
  const auto& o = v.get_object();
  if (const auto* attrs = get_object(o, "#attributes")) {
    if (auto it = attrs->find(name); it != attrs->end()) return &it->value();
  }
  if (auto it = o.find("@" + std::string(name)); it != o.end()) return &it->value();
  if (auto it = o.find(name); it != o.end()) return &it->value();
  return nullptr;
}

// An XML element's text: the value itself, or its "#text" / "$" / "Value".
std::optional<std::string> element_text(const bj::value& v) {
  if (auto t = text_of(v)) return t;
  if (!v.is_object()) return std::nullopt;
  for (std::string_view key : {"#text", "$", "Value"}) {
    if (auto it = v.get_object().find(key); it != v.get_object().end()) return text_of(it->value());
  }
  return std::nullopt;
}

bool has_zone(std::string_view s) {
  if (s.empty()) return false;
  if (s.back() == 'Z' || s.back() == 'z') return true;
  // An offset after the time of day: "...T12:00:00+02:00" / "-0400".
  const auto t = s.find_first_of("T ", 10);
  return t != std::string_view::npos && s.find_first_of("+-", t) != std::string_view::npos;
}

bool parse_at(const bj::object& o, std::string_view key, stix::TimePoint* out) {
  const std::string s = string_member(o, key);
  return !s.empty() && stix::parse_time(s, out);
}

Result<stix::TimePoint> flat_time(const bj::object& r) {
  stix::TimePoint t, received, stamp;
  const std::string created = string_member(r, "TimeCreated");
  if (has_zone(created) && stix::parse_time(created, &t)) return t;
  // NXLog writes EventTime and EventReceivedTime in the collector's local
  // time without a zone; Logstash's @timestamp is the UTC receipt time. Their
  // difference, rounded to a quarter hour, is the zone offset (shipping delays
  // of up to 7.5 minutes are absorbed by the rounding).
  if (parse_at(r, "EventTime", &t) && parse_at(r, "EventReceivedTime", &received) &&
      parse_at(r, "@timestamp", &stamp)) {
    using std::chrono::minutes;
    const double diff_min =
        std::chrono::duration<double, std::ratio<60>>(stamp - received).count();
    const auto quarters = static_cast<long>(std::lround(diff_min / 15.0));
    return t + minutes(15 * quarters);
  }
  if (parse_at(r, "@timestamp", &t)) return t;
  if (parse_at(r, "TimeCreated", &t) || parse_at(r, "EventTime", &t)) return t;  // taken as UTC
  return Status(Code::kInvalidArgument, "no event time (TimeCreated, EventTime or @timestamp)");
}

Result<std::int64_t> event_id_of(const bj::value& v) {
  if (auto text = element_text(v)) {
    if (auto n = parse_number(*text); n && *n >= 0) return *n;
    return Status(Code::kInvalidArgument, "EventID is not a number: " + *text);
  }
  return Status(Code::kInvalidArgument, "EventID is not a number");
}

// EventData as evtx_dump writes it (members), or as python-evtx/xmltodict
// does: "Data": [{"@Name": "X", "#text": "v"}, ...].
void add_event_data(const bj::object& event_data, bj::object* out) {
  for (const auto& kv : event_data) {
    if (kv.key() == "#attributes" || kv.key().starts_with("@")) continue;
    if (kv.key() == "Data" && (kv.value().is_array() || kv.value().is_object())) {
      bj::array items;
      if (kv.value().is_array()) items = kv.value().get_array();
      else items.push_back(kv.value());
      std::size_t unnamed = 0;
      for (const auto& item : items) {
        const bj::value* name = attribute(item, "Name");
        auto text = element_text(item);
        if (name && name->is_string()) {
          out->insert_or_assign(name->get_string(), text ? bj::value(*text) : bj::value());
        } else if (text) {
          out->insert_or_assign("param" + std::to_string(++unnamed), *text);
        }
      }
      continue;
    }
    out->insert_or_assign(kv.key(), kv.value());
  }
}

Result<Event> read_nested(const bj::object& root) {
  const bj::object& sys = *get_object(root, "System");
  Event e;
  auto id = sys.find("EventID");
  if (id == sys.end()) return Status(Code::kInvalidArgument, "Event.System has no EventID");
  ATIO_ASSIGN_OR_RETURN(e.event_id, event_id_of(id->value()));
  e.channel = string_member(sys, "Channel");
  e.computer = string_member(sys, "Computer");
  if (auto p = sys.find("Provider"); p != sys.end()) {
    if (const bj::value* name = attribute(p->value(), "Name"); name && name->is_string()) {
      e.provider = name->get_string();
    } else if (p->value().is_string()) {
      e.provider = p->value().get_string();
    }
  }
  if (auto r = sys.find("EventRecordID"); r != sys.end()) e.record_id = r->value();
  auto tc = sys.find("TimeCreated");
  const bj::value* st = tc == sys.end() ? nullptr : attribute(tc->value(), "SystemTime");
  if (st == nullptr && tc != sys.end() && tc->value().is_string()) st = &tc->value();
  if (st == nullptr || !st->is_string() || !stix::parse_time(st->get_string(), &e.time)) {
    return Status(Code::kInvalidArgument, "no readable Event.System.TimeCreated SystemTime");
  }
  if (const auto* data = get_object(root, "EventData")) add_event_data(*data, &e.data);
  // UserData holds one provider-specific element (LogFileCleared, ...).
  if (const auto* user = get_object(root, "UserData")) {
    for (const auto& kv : *user) {
      if (kv.value().is_object()) add_event_data(kv.value().get_object(), &e.data);
    }
  }
  if (auto m = root.find("Message"); m != root.end() && m->value().is_string()) {
    e.message = m->value().get_string();
  }
  return e;
}

Result<Event> read_winlogbeat(const bj::object& r, const bj::object& w) {
  Event e;
  ATIO_ASSIGN_OR_RETURN(e.event_id, event_id_of(w.at("event_id")));
  e.channel = string_member(w, "channel");
  e.provider = string_member(w, "provider_name");
  e.computer = string_member(w, "computer_name");
  if (auto it = w.find("record_id"); it != w.end()) e.record_id = it->value();
  if (const auto* data = get_object(w, "event_data")) add_event_data(*data, &e.data);
  if (const auto* data = get_object(w, "user_data")) add_event_data(*data, &e.data);
  e.message = string_member(r, "message");
  if (!parse_at(r, "@timestamp", &e.time)) {
    return Status(Code::kInvalidArgument, "no event time (@timestamp)");
  }
  return e;
}

Result<Event> read_flat(const bj::object& r) {
  Event e;
  ATIO_ASSIGN_OR_RETURN(e.event_id, event_id_of(r.at("EventID")));
  e.channel = string_member(r, "Channel");
  e.computer = string_member(r, "Hostname");
  if (e.computer.empty()) e.computer = string_member(r, "Computer");
  e.provider = string_member(r, "SourceName");
  if (e.provider.empty()) e.provider = string_member(r, "ProviderName");
  for (std::string_view key : {"RecordNumber", "EventRecordID"}) {
    if (auto it = r.find(key); it != r.end()) {
      e.record_id = it->value();
      break;
    }
  }
  e.message = string_member(r, "Message");
  ATIO_ASSIGN_OR_RETURN(e.time, flat_time(r));
  for (const auto& kv : r) {
    if (!is_envelope(kv.key())) e.data.emplace(kv.key(), kv.value());
  }
  return e;
}

}  // namespace

std::optional<std::int64_t> parse_number(std::string_view text) {
  while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
  int base = 10;
  if (text.size() > 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X')) {
    text.remove_prefix(2);
    base = 16;
  }
  std::int64_t n = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n, base);
  if (ec != std::errc() || end != text.data() + text.size() || text.empty()) return std::nullopt;
  return n;
}

std::optional<std::string> Event::field(std::string_view name) const {
  auto it = data.find(name);
  if (it == data.end()) return std::nullopt;
  return text_of(it->value());
}

std::optional<std::string> Event::value(std::string_view name) const {
  auto v = field(name);
  if (!v) return v;
  std::string_view s = *v;
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  if (s.empty() || s == "-" || s == "%%1793") return std::nullopt;
  return v;
}

Result<Event> read_event(const bj::object& record) {
  const bj::object* root = get_object(record, "Event");
  if (root == nullptr) root = &record;
  if (get_object(*root, "System") != nullptr) return read_nested(*root);
  if (const auto* w = get_object(record, "winlog"); w && w->contains("event_id")) {
    return read_winlogbeat(record, *w);
  }
  if (record.contains("EventID")) return read_flat(record);
  return Status(Code::kNotFound, "not a Windows event record (no EventID, Event.System or winlog)");
}

}  // namespace atio::convert::winlog
