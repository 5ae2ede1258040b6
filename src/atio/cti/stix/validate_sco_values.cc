// Hand-written matchers for the value patterns of the observable schemas
// (addresses, CPE 2.3 names, language tags): they run on every converted
// observable, where a regex engine would cost more than the rest of the check.
#include <regex>

#include "atio/cti/stix/validate_check.h"

namespace atio::stix::check {

namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

// 25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d
bool octet(std::string_view s) {
  if (s.empty() || s.size() > 3 || !all_of(s, is_digit)) return false;
  if (s.size() > 1 && s[0] == '0') return false;
  int v = 0;
  for (char c : s) v = v * 10 + (c - '0');
  return v <= 255;
}

// A decimal without leading zeros, at most `max`.
bool small_number(std::string_view s, int max) {
  if (s.empty() || s.size() > 3 || !all_of(s, is_digit)) return false;
  if (s.size() > 1 && s[0] == '0') return false;
  int v = 0;
  for (char c : s) v = v * 10 + (c - '0');
  return v <= max;
}

bool dotted_quad(std::string_view s) {
  for (int i = 0; i < 3; ++i) {
    const std::size_t dot = s.find('.');
    if (dot == std::string_view::npos || !octet(s.substr(0, dot))) return false;
    s.remove_prefix(dot + 1);
  }
  return octet(s);
}

// Colon-separated 16-bit groups; the last may be a dotted quad (two groups).
bool ipv6_groups(std::string_view s, bool last_part, int* count) {
  *count = 0;
  if (s.empty()) return true;
  while (true) {
    const std::size_t colon = s.find(':');
    const std::string_view g = s.substr(0, colon);
    if (colon == std::string_view::npos && last_part && g.find('.') != std::string_view::npos) {
      if (!dotted_quad(g)) return false;
      *count += 2;
      return true;
    }
    if (g.empty() || g.size() > 4 || !all_of(g, is_hex_digit)) return false;
    ++*count;
    if (colon == std::string_view::npos) return true;
    s.remove_prefix(colon + 1);
  }
}

bool ipv6_address(std::string_view s) {
  const std::size_t gap = s.find("::");
  int head = 0, tail = 0;
  if (gap == std::string_view::npos) {
    return ipv6_groups(s, true, &head) && head == 8;
  }
  const std::string_view after = s.substr(gap + 2);
  if (after.find("::") != std::string_view::npos) return false;
  return ipv6_groups(s.substr(0, gap), false, &head) && ipv6_groups(after, true, &tail) &&
         head + tail <= 7;
}

// [a-zA-Z0-9\-\._] and the escapes of the CPE 2.3 formatted string binding.
bool cpe_char(char c) { return is_alpha(c) || is_digit(c) || c == '-' || c == '.' || c == '_'; }
bool cpe_escapable(char c) {
  static constexpr std::string_view kPunct = "\\*?!\"#$%&'()+,/:;<=>@[]^`{|}~";
  return kPunct.find(c) != std::string_view::npos;
}

// One CPE attribute: "*", "-", or [?*]* value [?*]* (see software.json).
// `prefix`: the last attribute, which the unanchored pattern only has to
// start matching.
bool cpe_attribute(std::string_view f, bool prefix) {
  if (f == "*" || f == "-") return true;
  if (prefix && !f.empty() && (f[0] == '*' || f[0] == '-')) return true;
  std::size_t i = 0;
  if (!f.empty() && f[0] == '*') {
    i = 1;
  } else {
    while (i < f.size() && f[i] == '?') ++i;
  }
  const std::size_t start = i;
  while (i < f.size()) {
    if (cpe_char(f[i])) {
      ++i;
    } else if (f[i] == '\\' && i + 1 < f.size() && cpe_escapable(f[i + 1])) {
      i += 2;
    } else {
      break;
    }
  }
  if (i == start) return false;
  if (prefix) return true;
  const std::string_view rest = f.substr(i);
  return rest.empty() || rest == "*" || all_of(rest, [](char c) { return c == '?'; });
}

// ([a-zA-Z]{2,3}(-([a-zA-Z]{2}|[0-9]{3}))?)|[\*\-]
bool cpe_language(std::string_view f) {
  if (f == "*" || f == "-") return true;
  const std::size_t dash = f.find('-');
  const std::string_view lang = f.substr(0, dash);
  if (lang.size() < 2 || lang.size() > 3 || !all_of(lang, is_alpha)) return false;
  if (dash == std::string_view::npos) return true;
  const std::string_view region = f.substr(dash + 1);
  return (region.size() == 2 && all_of(region, is_alpha)) ||
         (region.size() == 3 && all_of(region, is_digit));
}

bool cpe23_at(std::string_view s) {
  // s starts after "cpe:2.3:".
  if (s.empty() || std::string_view("aho*-").find(s[0]) == std::string_view::npos) return false;
  s.remove_prefix(1);
  for (int field = 0; field < 10; ++field) {
    if (s.empty() || s[0] != ':') return false;
    s.remove_prefix(1);
    std::size_t end = 0;
    while (end < s.size() && s[end] != ':') end += (s[end] == '\\' && end + 1 < s.size()) ? 2 : 1;
    end = std::min(end, s.size());
    const std::string_view f = s.substr(0, end);
    const bool ok = field == 5 ? cpe_language(f) : cpe_attribute(f, field == 9);
    if (!ok) return false;
    s.remove_prefix(end);
  }
  return true;
}

}  // namespace

bool ipv4_value(std::string_view s) {
  const std::size_t slash = s.find('/');
  if (slash != std::string_view::npos && !small_number(s.substr(slash + 1), 32)) return false;
  return dotted_quad(s.substr(0, slash));
}

bool ipv6_value(std::string_view s) {
  const std::size_t zone = s.find('%');
  if (zone != std::string_view::npos) {
    return zone + 1 < s.size() && ipv6_address(s.substr(0, zone));
  }
  const std::size_t slash = s.find('/');
  if (slash != std::string_view::npos && !small_number(s.substr(slash + 1), 128)) return false;
  return ipv6_address(s.substr(0, slash));
}

bool mac_value(std::string_view s) {
  if (s.size() != 17) return false;
  for (std::size_t i = 0; i < 17; ++i) {
    const char c = s[i];
    if (i % 3 == 2 ? c != ':' : !((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

bool cpe23_search(std::string_view s) {
  for (std::size_t pos = s.find("cpe:2.3:"); pos != std::string_view::npos;
       pos = s.find("cpe:2.3:", pos + 1)) {
    if (cpe23_at(s.substr(pos + 8))) return true;
  }
  return false;
}

bool language_tag(std::string_view s) {
  // Rare (software "languages"), so the schema's pattern runs as written.
  static const std::regex kTag(
      "^([a-z]{2}(-[A-Z]{2})?(-[a-z]{4})?(-[A-Z]{2}|[0-9]{3})?(-[a-z0-9]{5,8}|[0-9][a-z0-9]{3})*"
      "(-[a-z0-9]{1,8})*|[a-z]{3})$");
  return std::regex_search(s.begin(), s.end(), kTag);
}

}  // namespace atio::stix::check
