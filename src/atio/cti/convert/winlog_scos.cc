#include "atio/cti/convert/winlog_scos.h"

#include <arpa/inet.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <optional>

#include "atio/cti/convert/winlog_rules.h"
#include "atio/cti/stix/object.h"
#include "atio/cti/stix/time.h"

namespace atio::convert::winlog {

namespace {

std::string upper(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  return out;
}

// ---- accounts ------------------------------------------------------------

struct AccountFields {
  std::string_view sid, name, domain;
};

// The NULL SID names nobody ("S-1-0-0" next to a name of "-").
std::optional<std::string> sid_of(const Event& e, std::string_view field) {
  auto sid = e.value(field);
  if (!sid || !sid->starts_with("S-1-") || *sid == "S-1-0-0") return std::nullopt;
  return sid;
}

// "CN=John Smith,OU=Staff,DC=corp" -> "John Smith".
std::string common_name(std::string_view dn) {
  dn.remove_prefix(3);
  std::string out;
  for (std::size_t i = 0; i < dn.size(); ++i) {
    if (dn[i] == '\\' && i + 1 < dn.size()) {
      out += dn[++i];
    } else if (dn[i] == ',') {
      break;
    } else {
      out += dn[i];
    }
  }
  return out;
}

std::string add_account(ScoSet& scos, const std::optional<std::string>& sid,
                        const std::optional<std::string>& name,
                        const std::optional<std::string>& domain, const Event& e,
                        const std::optional<std::string>& display = std::nullopt) {
  bj::object a;
  std::optional<std::string> login = name, shown = display;
  if (login && login->size() > 3 && upper(login->substr(0, 3)) == "CN=") {
    if (!shown) shown = common_name(*login);
    login.reset();
  }
  if (!sid && !login) return {};
  const auto type = account_type(domain.value_or(""), sid.value_or(""), e.computer);
  if (!type.empty()) a.emplace("account_type", type);
  if (sid) a.emplace("user_id", *sid);
  if (login) a.emplace("account_login", *login);
  if (shown) a.emplace("display_name", *shown);
  return scos.add("user-account", std::move(a));
}

// The Subject block Windows renders into the message, for shippers that drop
// the structured fields (NXLog keeps only the text of a 1102 record).
std::optional<std::string> message_line(std::string_view message, std::string_view label) {
  const auto subject = message.find("Subject:");
  if (subject == std::string_view::npos) return std::nullopt;
  const auto at = message.find(label, subject);
  if (at == std::string_view::npos) return std::nullopt;
  auto start = at + label.size();
  auto end = message.find_first_of("\r\n", start);
  std::string_view v = message.substr(start, end == std::string_view::npos ? end : end - start);
  while (!v.empty() && (v.front() == '\t' || v.front() == ' ')) v.remove_prefix(1);
  while (!v.empty() && (v.back() == '\t' || v.back() == ' ')) v.remove_suffix(1);
  if (v.empty() || v == "-") return std::nullopt;
  return std::string(v);
}

std::string add_accounts(const Event& e, ScoSet& scos) {
  std::string subject = add_account(scos, sid_of(e, "SubjectUserSid"), e.value("SubjectUserName"),
                                    e.value("SubjectDomainName"), e);
  if (subject.empty() && !e.data.contains("SubjectUserName")) {
    auto sid = message_line(e.message, "Security ID:");
    if (sid && (!sid->starts_with("S-1-") || *sid == "S-1-0-0")) sid.reset();
    auto domain = message_line(e.message, "Account Domain:");
    if (!domain) domain = message_line(e.message, "Domain Name:");
    subject = add_account(scos, sid, message_line(e.message, "Account Name:"), domain, e);
  }
  if (targets_group(e)) {
    add_account(scos, sid_of(e, "MemberSid"), e.value("MemberName"), std::nullopt, e);
  } else {
    auto sid = sid_of(e, "TargetUserSid");
    if (!sid) sid = sid_of(e, "TargetSid");
    add_account(scos, sid, e.value("TargetUserName"), e.value("TargetDomainName"), e,
                e.value("DisplayName"));
  }
  add_account(scos, std::nullopt, e.value("TargetOutboundUserName"),
              e.value("TargetOutboundDomainName"), e);
  std::string user = add_account(scos, sid_of(e, "UserID"), e.value("AccountName"),
                                 e.value("Domain"), e);
  add_account(scos, std::nullopt, e.value("ServiceAccount"), std::nullopt, e);
  return subject.empty() ? user : subject;
}

// ---- processes -------------------------------------------------------------

std::string add_file(ScoSet& scos, std::string_view path) {
  const auto slash = path.find_last_of("\\/");
  bj::object f;
  if (slash != std::string_view::npos && slash > 0) {
    bj::object dir;
    dir.emplace("path", path.substr(0, slash));
    f.emplace("name", path.substr(slash + 1));
    f.emplace("parent_directory_ref", scos.add("directory", std::move(dir)));
  } else {
    f.emplace("name", path);
  }
  return scos.add("file", std::move(f));
}

struct ProcessFields {
  std::optional<std::int64_t> pid;
  std::optional<std::string> image, command_line;
};

ProcessFields process_fields(const Event& e, std::string_view pid_field,
                             std::string_view image_field) {
  ProcessFields p;
  if (auto v = e.value(pid_field)) {
    if (auto n = parse_number(*v); n && *n > 0) p.pid = n;
  }
  if (!image_field.empty()) p.image = e.value(image_field);
  return p;
}

std::string add_process(ScoSet& scos, const ProcessFields& p, const std::string& parent = {},
                        const std::string& creator = {}) {
  if (!p.pid && !p.image && !p.command_line) return {};
  bj::object proc;
  if (p.pid) proc.emplace("pid", *p.pid);
  if (p.command_line) proc.emplace("command_line", *p.command_line);
  if (p.image) proc.emplace("image_ref", add_file(scos, *p.image));
  if (!parent.empty()) proc.emplace("parent_ref", parent);
  if (!creator.empty()) proc.emplace("creator_user_ref", creator);
  return scos.add("process", std::move(proc));
}

std::string_view service_start_type(std::string_view v) {
  if (v == "0" || v == "boot start") return "SERVICE_BOOT_START";
  if (v == "1" || v == "system start") return "SERVICE_SYSTEM_ALERT";
  if (v == "2" || v == "auto start") return "SERVICE_AUTO_START";
  if (v == "3" || v == "demand start") return "SERVICE_DEMAND_START";
  if (v == "4" || v == "disabled") return "SERVICE_DISABLED";
  return {};
}

std::string_view service_type(std::string_view v) {
  if (v == "0x1" || v == "kernel mode driver") return "SERVICE_KERNEL_DRIVER";
  if (v == "0x2" || v == "file system driver") return "SERVICE_FILE_SYSTEM_DRIVER";
  if (v == "0x10" || v == "user mode service") return "SERVICE_WIN32_OWN_PROCESS";
  if (v == "0x20") return "SERVICE_WIN32_SHARE_PROCESS";
  return {};
}

std::string add_service(const Event& e, ScoSet& scos) {
  auto image = e.value("ServiceFileName");
  if (!image) image = e.value("ImagePath");
  auto name = e.value("ServiceName");
  if (!image && !name) return {};
  bj::object ext;
  if (name) ext.emplace("service_name", *name);
  if (auto v = e.value("ServiceStartType").value_or(e.value("StartType").value_or(""));
      !service_start_type(v).empty()) {
    ext.emplace("start_type", service_start_type(v));
  }
  if (auto v = service_type(e.value("ServiceType").value_or("")); !v.empty()) {
    ext.emplace("service_type", v);
  }
  bj::object proc;
  if (image) proc.emplace("command_line", *image);
  proc.emplace("extensions", bj::object{{"windows-service-ext", std::move(ext)}});
  return scos.add("process", std::move(proc));
}

std::string add_processes(const Event& e, ScoSet& scos, const std::string& subject) {
  if (e.data.contains("NewProcessId") || e.data.contains("NewProcessName")) {
    const std::string parent =
        add_process(scos, process_fields(e, "ProcessId", "ParentProcessName"));
    ProcessFields child = process_fields(e, "NewProcessId", "NewProcessName");
    child.command_line = e.value("CommandLine");
    return add_process(scos, child, parent, subject);
  }
  std::string acting;
  if ((e.event_id == 4697 || e.event_id == 7045)) acting = add_service(e, scos);
  ProcessFields main = process_fields(e, e.data.contains("ProcessId") ? "ProcessId" : "ProcessID",
                                      e.data.contains("ProcessName") ? "ProcessName" : "Application");
  std::string id = add_process(scos, main);
  if (acting.empty()) acting = id;
  add_process(scos, process_fields(e, "CallerProcessId", "CallerProcessName"));
  const std::string parent = add_process(scos, process_fields(e, "ParentProcessId", ""));
  id = add_process(scos, process_fields(e, "ClientProcessId", ""), parent);
  if (acting.empty()) acting = id;
  return acting;
}

// ---- addresses -------------------------------------------------------------

struct Address {
  std::string type;  // ipv4-addr / ipv6-addr
  std::string value;
};

std::optional<Address> address_of(const Event& e, std::string_view field) {
  auto v = e.value(field);
  if (!v) return std::nullopt;
  std::string s = *v;
  if (s.size() > 2 && s.front() == '[' && s.back() == ']') s = s.substr(1, s.size() - 2);
  if (auto pct = s.find('%'); pct != std::string::npos) s.resize(pct);  // fe80::1%12
  unsigned char buf[16];
  std::string lower_s = s;
  std::transform(lower_s.begin(), lower_s.end(), lower_s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (lower_s.starts_with("::ffff:") && ::inet_pton(AF_INET, s.c_str() + 7, buf) == 1) {
    s = s.substr(7);
  }
  if (::inet_pton(AF_INET, s.c_str(), buf) == 1) {
    if (s == "0.0.0.0") return std::nullopt;
    return Address{"ipv4-addr", s};
  }
  if (::inet_pton(AF_INET6, s.c_str(), buf) == 1) {
    if (std::all_of(buf, buf + 16, [](unsigned char b) { return b == 0; })) return std::nullopt;
    return Address{"ipv6-addr", s};
  }
  return std::nullopt;
}

std::string add_address(ScoSet& scos, const std::optional<Address>& a) {
  if (!a) return {};
  return scos.add(a->type, bj::object{{"value", a->value}});
}

std::string_view protocol_name(std::string_view number) {
  if (number == "6") return "tcp";
  if (number == "17") return "udp";
  if (number == "1") return "icmp";
  if (number == "58") return "ipv6-icmp";
  if (number == "2") return "igmp";
  return {};
}

std::string add_traffic(const Event& e, ScoSet& scos, std::string_view src_field,
                        std::string_view src_port, std::string_view dst_field,
                        std::string_view dst_port) {
  const auto src = address_of(e, src_field);
  const auto dst = dst_field.empty() ? std::nullopt : address_of(e, dst_field);
  const std::string src_id = add_address(scos, src), dst_id = add_address(scos, dst);
  if (src_id.empty() && dst_id.empty()) return {};
  bj::object t;
  t.emplace("start", stix::format_time(e.time));
  if (!src_id.empty()) t.emplace("src_ref", src_id);
  if (!dst_id.empty()) t.emplace("dst_ref", dst_id);
  auto port = [&](std::string_view field, std::string_view key) {
    if (field.empty()) return;
    auto v = e.value(field);
    auto n = v ? parse_number(*v) : std::nullopt;
    if (n && *n > 0 && *n <= 65535) t.emplace(key, *n);
  };
  if (!src_id.empty()) port(src_port, "src_port");
  if (!dst_id.empty()) port(dst_port, "dst_port");
  bj::array protocols;
  protocols.emplace_back((src ? src->type : dst->type) == "ipv4-addr" ? "ipv4" : "ipv6");
  if (auto p = protocol_name(e.value("Protocol").value_or("")); !p.empty()) {
    protocols.emplace_back(p);
  }
  t.emplace("protocols", std::move(protocols));
  return scos.add("network-traffic", std::move(t));
}

}  // namespace

std::string ScoSet::add(std::string_view type, bj::object sco) {
  std::string id = stix::finish_sco(type, &sco);
  for (auto& v : objects_) {
    auto& existing = v.get_object();
    if (existing.at("id").get_string() != id) continue;
    for (auto& kv : sco) {
      if (!existing.contains(kv.key())) existing.emplace(kv.key(), std::move(kv.value()));
    }
    return id;
  }
  objects_.emplace_back(std::move(sco));
  return id;
}

std::vector<std::string> ScoSet::ids() const {
  std::vector<std::string> out;
  for (const auto& v : objects_) out.emplace_back(v.get_object().at("id").get_string());
  return out;
}

std::string_view account_type(std::string_view domain, std::string_view sid,
                              std::string_view computer) {
  for (std::string_view local : {"S-1-5-18", "S-1-5-19", "S-1-5-20"}) {
    if (sid == local) return "windows-local";
  }
  for (std::string_view local : {"S-1-5-32-", "S-1-5-80-", "S-1-5-90-", "S-1-5-96-"}) {
    if (sid.starts_with(local)) return "windows-local";
  }
  if (domain.empty()) return {};
  const std::string d = upper(domain);
  static constexpr std::array<std::string_view, 8> kLocalAuthorities = {
      "NT AUTHORITY", "BUILTIN",  "NT SERVICE",         "WORKGROUP",
      "WINDOW MANAGER", "FONT DRIVER HOST", "NT VIRTUAL MACHINE", "IIS APPPOOL"};
  for (auto a : kLocalAuthorities) {
    if (d == a) return "windows-local";
  }
  const std::string host = upper(computer.substr(0, computer.find('.')));
  if (!host.empty() && d == host) return "windows-local";
  return "windows-domain";
}

Roles add_observables(const Event& e, ScoSet& scos) {
  Roles roles;
  roles.user = add_accounts(e, scos);
  roles.process = add_processes(e, scos, roles.user);
  roles.network = add_traffic(e, scos, "SourceAddress", "SourcePort", "DestAddress", "DestPort");
  const std::string logon = add_traffic(e, scos, "IpAddress", "IpPort", "", "");
  if (roles.network.empty()) roles.network = logon;
  return roles;
}

}  // namespace atio::convert::winlog
