#include "atio/audit/export.h"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <ctime>

#include "atio/core/syslog_message.h"

namespace atio::audit {

namespace bj = boost::json;

std::string rfc3339_ms(std::int64_t ms) {
  std::time_t secs = static_cast<std::time_t>(ms / 1000);
  int milli = static_cast<int>(ms % 1000);
  if (milli < 0) {
    milli += 1000;
    --secs;
  }
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[40];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, milli);
  return buf;
}

bj::object record_json(const store::AuditRecord& r) {
  boost::system::error_code ec;
  bj::value detail = bj::parse(r.detail, ec);
  if (ec) detail = bj::value(r.detail);
  return bj::object{{"seq", r.seq},
                    {"time", rfc3339_ms(r.time_ms)},
                    {"time_ms", r.time_ms},
                    {"actor", r.actor},
                    {"actor_kind", r.actor_kind},
                    {"actor_name", r.actor_name},
                    {"role", r.role},
                    {"source_ip", r.source_ip},
                    {"user_agent", r.user_agent},
                    {"action", r.action},
                    {"object_type", r.object_type},
                    {"object_id", r.object_id},
                    {"outcome", r.outcome},
                    {"detail", std::move(detail)},
                    {"detail_text", r.detail},
                    {"prev_hash", r.prev_hash},
                    {"hash", r.hash}};
}

bj::object checkpoint_json(const store::AuditCheckpoint& c) {
  return bj::object{{"seq", c.seq},
                    {"hash", c.hash},
                    {"time", rfc3339_ms(c.time_ms)},
                    {"time_ms", c.time_ms},
                    {"signature", c.signature},
                    {"public_key", c.public_key}};
}

std::string syslog_line(const store::AuditRecord& r, const std::string& hostname) {
  const int severity = r.outcome == "success" ? 5 : 4;
  std::string line = "<" + std::to_string(13 * 8 + severity) + ">1 " + rfc3339_ms(r.time_ms) +
                     " " + syslog_header_field(hostname, 255) + " atio - " +
                     syslog_header_field(r.action, 32) + " [atio@32473 seq=\"" +
                     std::to_string(r.seq) + "\" hash=\"" + syslog_param_value(r.hash) +
                     "\" actor=\"" + syslog_param_value(r.actor) + "\" outcome=\"" +
                     syslog_param_value(r.outcome) + "\"] ";
  bj::object o = record_json(r);
  o.erase("detail_text");
  line += bj::serialize(o);
  return line;
}

}  // namespace atio::audit
