#include "atio/core/syslog_message.h"

#include <algorithm>
#include <array>

namespace atio {

namespace {

int small_number(std::string_view text, int max) {
  if (text.empty() || text.size() > 2) return -1;
  int n = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return -1;
    n = n * 10 + (c - '0');
  }
  return n <= max ? n : -1;
}

}  // namespace

std::string syslog_param_value(std::string_view value) {
  std::string out;
  out.reserve(value.size());
  for (char c : value) {
    if (c == '"' || c == '\\' || c == ']') out += '\\';
    out += c;
  }
  return out;
}

std::string syslog_header_field(std::string_view value, std::size_t max) {
  std::string out;
  for (char c : value) {
    if (out.size() == max) break;
    out += (c > 32 && c < 127) ? c : '_';
  }
  return out.empty() ? "-" : out;
}

bool valid_sd_name(std::string_view name) {
  if (name.empty() || name.size() > 32) return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return c > 32 && c < 127 && c != '=' && c != ']' && c != '"';
  });
}

std::string format_syslog(const SyslogMessage& m) {
  std::string out = "<" + std::to_string(m.facility * 8 + m.severity) + ">1 " +
                    syslog_header_field(m.timestamp, 64) + " " +
                    syslog_header_field(m.hostname, 255) + " " +
                    syslog_header_field(m.app_name, 48) + " " +
                    syslog_header_field(m.procid, 128) + " " + syslog_header_field(m.msgid, 32) +
                    " ";
  if (m.structured_data.empty()) out += "-";
  for (const auto& [id, params] : m.structured_data) {
    out += "[" + id;
    for (const auto& [name, value] : params) {
      out += " " + name + "=\"" + syslog_param_value(value) + "\"";
    }
    out += "]";
  }
  if (!m.msg.empty()) {
    out += " ";
    bool ascii = std::all_of(m.msg.begin(), m.msg.end(),
                             [](char c) { return static_cast<unsigned char>(c) < 128; });
    if (!ascii) out += "\xEF\xBB\xBF";
    out += m.msg;
  }
  return out;
}

int syslog_severity(std::string_view name) {
  static constexpr std::array<std::pair<std::string_view, int>, 12> kNames = {{
      {"emergency", 0}, {"emerg", 0}, {"alert", 1}, {"critical", 2}, {"crit", 2}, {"error", 3},
      {"err", 3}, {"warning", 4}, {"notice", 5}, {"informational", 6}, {"info", 6}, {"debug", 7}}};
  for (const auto& [n, v] : kNames) {
    if (n == name) return v;
  }
  return small_number(name, 7);
}

int syslog_facility(std::string_view name) {
  static constexpr std::array<std::pair<std::string_view, int>, 16> kNames = {{
      {"kern", 0}, {"user", 1}, {"mail", 2}, {"daemon", 3}, {"auth", 4}, {"syslog", 5},
      {"lpr", 6}, {"news", 7}, {"uucp", 8}, {"cron", 9}, {"authpriv", 10}, {"ftp", 11},
      {"ntp", 12}, {"audit", 13}, {"alert", 14}, {"clock", 15}}};
  for (const auto& [n, v] : kNames) {
    if (n == name) return v;
  }
  if (name.size() == 6 && name.starts_with("local") && name[5] >= '0' && name[5] <= '7') {
    return 16 + (name[5] - '0');
  }
  return small_number(name, 23);
}

}  // namespace atio
