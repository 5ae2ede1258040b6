// One Windows event-log record, read from any of the JSON shapes tools write,
// as one normalised Event:
//
//   flat        NXLog / OTRF (Mordor) / Logstash: EventID, Channel, Hostname,
//               SourceName and the event's fields at the top level
//   nested      evtx_dump / python-evtx / Sigma: Event.System + Event.EventData
//               (or EventData.Data as a list of named items, or UserData)
//   winlogbeat  winlog.event_id, winlog.channel, winlog.event_data, @timestamp
//
// The event time follows the most trustworthy clock the record carries (see
// event_time() in the .cc): the System/TimeCreated UTC time, else a zoned
// TimeCreated, else NXLog's local EventTime shifted by the zone offset that
// EventReceivedTime (local) and @timestamp (UTC) reveal, else @timestamp, else
// an unzoned TimeCreated/EventTime read as UTC.
#pragma once

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "atio/core/status.h"
#include "atio/cti/stix/time.h"

namespace atio::convert::winlog {

namespace bj = boost::json;

struct Event {
  std::int64_t event_id = 0;
  std::string channel;   // "Security", "System", "Microsoft-Windows-PowerShell/Operational"
  std::string provider;  // "Microsoft-Windows-Security-Auditing", "Service Control Manager"
  std::string computer;  // the host that logged the event ("" when the record lacks it)
  bj::value record_id;   // EventRecordID / RecordNumber as written; null when absent
  stix::TimePoint time;
  std::string message;   // the rendered text, "" when absent
  // The event's own fields (EventData, or the flat record without its
  // transport envelope), values as the tool wrote them.
  bj::object data;

  // The field as text: strings as they are, integers in decimal; nullopt
  // when absent or of another JSON type.
  std::optional<std::string> field(std::string_view name) const;
  // The field, unchanged, when it carries a value: absent, blank, "-" and
  // the "%%1793" (<value not set>) placeholder read as nullopt.
  std::optional<std::string> value(std::string_view name) const;
};

// Reads one record. kNotFound when the record is not a Windows event at all
// (the caller skips it); kInvalidArgument naming the problem when it is one
// but cannot be used (no event id, no time).
Result<Event> read_event(const bj::object& record);

// Parses a Windows number as written in events: "0x1c58", "3304", 3304.
std::optional<std::int64_t> parse_number(std::string_view text);

}  // namespace atio::convert::winlog
