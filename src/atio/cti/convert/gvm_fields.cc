#include "atio/cti/convert/gvm_fields.h"

#include <arpa/inet.h>

#include <cctype>
#include <charconv>

#include "atio/core/text.h"

namespace atio::convert::gvm {

namespace {

bool istarts_with(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && iequals(s.substr(0, prefix.size()), prefix);
}

bool is_key_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

// Length of "key=" at the start of `s`, 0 when `s` does not start with one.
std::size_t key_length(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size() && is_key_char(s[i])) ++i;
  return (i > 0 && i < s.size() && s[i] == '=') ? i : 0;
}

void set_tag(std::string_view key, std::string_view value, Nvt* nvt) {
  value = trim(value);
  if (value.empty()) return;
  std::string_view* slot = nullptr;
  if (key == "summary")
    slot = &nvt->summary;
  else if (key == "insight")
    slot = &nvt->insight;
  else if (key == "impact")
    slot = &nvt->impact;
  else if (key == "affected")
    slot = &nvt->affected;
  else if (key == "solution")
    slot = &nvt->solution;
  else if (key == "solution_type")
    slot = &nvt->solution_type;
  else if (key == "cvss_base_vector")
    slot = &nvt->cvss_vector;
  if (slot != nullptr && slot->empty()) *slot = value;
}

}  // namespace

std::string_view trim(std::string_view s) {
  std::size_t b = 0, e = s.size();
  while (b < e && std::isspace(static_cast<unsigned char>(s[b]))) ++b;
  while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1]))) --e;
  return s.substr(b, e - b);
}

std::optional<double> parse_score(std::string_view s) {
  s = trim(s);
  if (s.empty()) return std::nullopt;
  double v = 0;
  auto r = std::from_chars(s.data(), s.data() + s.size(), v);
  if (r.ec != std::errc() || r.ptr != s.data() + s.size()) return std::nullopt;
  return v;
}

Level level_from_score(double score) {
  if (score >= 9.0) return Level::kCritical;
  if (score >= 7.0) return Level::kHigh;
  if (score >= 4.0) return Level::kMedium;
  if (score > 0.0) return Level::kLow;
  if (score == 0.0) return Level::kLog;
  if (score == -1.0) return Level::kFalsePositive;
  if (score == -2.0) return Level::kLog;  // debug message
  if (score == -3.0) return Level::kError;
  return Level::kUnknown;
}

Level level_from_threat(std::string_view threat) {
  threat = trim(threat);
  if (iequals(threat, "critical")) return Level::kCritical;
  if (iequals(threat, "high")) return Level::kHigh;
  if (iequals(threat, "medium")) return Level::kMedium;
  if (iequals(threat, "low")) return Level::kLow;
  if (iequals(threat, "log") || iequals(threat, "debug")) return Level::kLog;
  if (iequals(threat, "false positive")) return Level::kFalsePositive;
  if (iequals(threat, "error")) return Level::kError;
  return Level::kUnknown;
}

Level level_of(std::optional<double> score, std::string_view threat) {
  if (score) {
    Level l = level_from_score(*score);
    if (l != Level::kUnknown) return l;
  }
  return level_from_threat(threat);
}

const char* level_name(Level level) {
  switch (level) {
    case Level::kCritical:
      return "critical";
    case Level::kHigh:
      return "high";
    case Level::kMedium:
      return "medium";
    case Level::kLow:
      return "low";
    case Level::kLog:
      return "log";
    case Level::kFalsePositive:
      return "false positive";
    case Level::kError:
      return "error";
    case Level::kUnknown:
      return "unknown";
  }
  return "unknown";
}

bool is_finding(Level level) {
  return level == Level::kCritical || level == Level::kHigh || level == Level::kMedium ||
         level == Level::kLow || level == Level::kLog;
}

void split_list(std::string_view list, std::vector<std::string_view>* out) {
  while (!list.empty()) {
    std::size_t comma = list.find(',');
    std::string_view item = trim(list.substr(0, comma));
    if (!item.empty() && item != "NOCVE" && item != "NOBID" && item != "NOXREF") {
      out->push_back(item);
    }
    if (comma == std::string_view::npos) break;
    list.remove_prefix(comma + 1);
  }
}

bool is_cve_id(std::string_view id) {
  if (id.size() < 13 || id.substr(0, 4) != "CVE-" || id[8] != '-') return false;
  for (std::size_t i = 4; i < id.size(); ++i) {
    if (i != 8 && !std::isdigit(static_cast<unsigned char>(id[i]))) return false;
  }
  return true;
}

void add_cves(std::string_view list, Nvt* nvt) {
  std::vector<std::string_view> items;
  split_list(list, &items);
  for (std::string_view item : items) {
    if (is_cve_id(item))
      nvt->cves.push_back(item);
    else
      nvt->refs.push_back({"openvas-cve", item});
  }
}

void parse_tags(std::string_view tags, Nvt* nvt) {
  std::size_t pos = 0;
  while (pos < tags.size()) {
    std::string_view rest = tags.substr(pos);
    std::size_t klen = key_length(rest);
    if (klen == 0) return;  // not a tag string
    std::string_view key = rest.substr(0, klen);
    std::size_t vstart = klen + 1;
    std::size_t vend = vstart;
    for (;;) {
      vend = rest.find('|', vend);
      if (vend == std::string_view::npos || key_length(rest.substr(vend + 1)) > 0) break;
      ++vend;
    }
    if (vend == std::string_view::npos) vend = rest.size();
    set_tag(key, rest.substr(vstart, vend - vstart), nvt);
    pos += vend + 1;
  }
}

void add_cert(std::string_view id, std::vector<NvtRef>* refs) {
  id = trim(id);
  if (id.empty()) return;
  if (istarts_with(id, "DFN-CERT"))
    refs->push_back({"dfn-cert", id});
  else if (istarts_with(id, "CB-K") || istarts_with(id, "WID-SEC"))
    refs->push_back({"cert-bund", id});
  else
    refs->push_back({"cert", id});
}

Port parse_port(std::string_view port, std::string_view protocol) {
  Port out;
  port = trim(port);
  protocol = trim(protocol);
  if (port.empty()) return out;
  // "http (80/tcp)": the service name, then the port in parentheses.
  if (port.back() == ')') {
    std::size_t open = port.rfind('(');
    if (open != std::string_view::npos) {
      out.service = trim(port.substr(0, open));
      port = trim(port.substr(open + 1, port.size() - open - 2));
    }
  }
  std::size_t slash = port.find('/');
  std::string_view number = port.substr(0, slash);
  if (slash != std::string_view::npos) protocol = port.substr(slash + 1);
  bool numeric = !number.empty() && number.size() <= 5;
  for (char c : number) numeric = numeric && c >= '0' && c <= '9';
  if (numeric) {
    out.number.assign(number);
    if (!protocol.empty()) {
      out.number += '/';
      out.number += protocol;
    }
  } else {
    out.label = port;
  }
  return out;
}

AddressKind classify_address(std::string_view address, std::string* canonical) {
  address = trim(address);
  char text[INET6_ADDRSTRLEN + 1];
  if (address.empty() || address.size() >= sizeof text) return AddressKind::kOther;
  address.copy(text, address.size());
  text[address.size()] = '\0';
  unsigned char bytes[16];
  char out[INET6_ADDRSTRLEN];
  if (::inet_pton(AF_INET, text, bytes) == 1) {
    if (canonical) *canonical = ::inet_ntop(AF_INET, bytes, out, sizeof out);
    return AddressKind::kIpv4;
  }
  if (::inet_pton(AF_INET6, text, bytes) == 1) {
    if (canonical) *canonical = ::inet_ntop(AF_INET6, bytes, out, sizeof out);
    return AddressKind::kIpv6;
  }
  return AddressKind::kOther;
}

bool is_dns_name(std::string_view name) {
  if (!name.empty() && name.back() == '.') name.remove_suffix(1);
  if (name.empty() || name.size() > 253) return false;
  std::string_view last_label;
  while (true) {
    std::size_t dot = name.find('.');
    std::string_view label = name.substr(0, dot);
    if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-') {
      return false;
    }
    for (char c : label) {
      if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_') return false;
    }
    last_label = label;
    if (dot == std::string_view::npos) break;
    name.remove_prefix(dot + 1);
  }
  for (char c : last_label) {
    if (!std::isdigit(static_cast<unsigned char>(c))) return true;
  }
  return false;  // all-numeric last label: an address, not a name
}

}  // namespace atio::convert::gvm
