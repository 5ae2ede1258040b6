// agent-target/*.json and authentication-info/*.json.
#include <string>

#include "atio/playbook/cacao/schema_checker.h"

namespace atio::cacao::schema {

namespace {

constexpr std::string_view kAgentTypes[] = {
    "group",        "http-api", "individual", "linux", "location", "net-address",
    "organization", "sector",   "security-category", "ssh"};

constexpr std::string_view kAuthTypes[] = {"http-basic", "oauth2", "user-auth"};

// The `address` dictionary of http-api, linux, net-address and ssh. `vlan` items
// are "integer" in http-api and ssh, "number" in linux and net-address.
void check_address(Checker& c, const bj::value& v, const std::string& ptr, bool integer_vlan) {
  static const Pattern kUrlKey("^url$"), kMacKey("^l2mac$"), kIpv4Key("^ipv4$"),
      kIpv6Key("^ipv6$"), kVlanKey("^vlan$"), kDnameKey("^dname$");
  static const Pattern kUrl(
      R"([(http(s)?):/(www.)?a-zA-Z0-9@:%._+~#=]{2,256}\.[a-z]{2,6}\b([-a-zA-Z0-9@:%_+.~#?&//=]*))");
  static const Pattern kMac("^[a-fA-F0-9]{2}(:[a-fA-F0-9]{2}){5}$");
  static const Pattern kIpv4(
      R"((\b25[0-5]|\b2[0-4][0-9]|\b[01]?[0-9][0-9]?)(\.(25[0-5]|2[0-4][0-9]|[01]?[0-9][0-9]?)){3}$)");
  static const Pattern kIpv6(
      R"((([0-9a-fA-F]{1,4}:){7,7}[0-9a-fA-F]{1,4}|([0-9a-fA-F]{1,4}:){1,7}:|([0-9a-fA-F]{1,4}:){1,6}:[0-9a-fA-F]{1,4}|([0-9a-fA-F]{1,4}:){1,5}(:[0-9a-fA-F]{1,4}){1,2}|([0-9a-fA-F]{1,4}:){1,4}(:[0-9a-fA-F]{1,4}){1,3}|([0-9a-fA-F]{1,4}:){1,3}(:[0-9a-fA-F]{1,4}){1,4}|([0-9a-fA-F]{1,4}:){1,2}(:[0-9a-fA-F]{1,4}){1,5}|[0-9a-fA-F]{1,4}:((:[0-9a-fA-F]{1,4}){1,6})|:((:[0-9a-fA-F]{1,4}){1,7}|:)|fe80:(:[0-9a-fA-F]{0,4}){0,4}%[0-9a-zA-Z]{1,}|::(ffff(:0{1,4}){0,1}:){0,1}((25[0-5]|(2[0-4]|1{0,1}[0-9]){0,1}[0-9])\.){3,3}(25[0-5]|(2[0-4]|1{0,1}[0-9]){0,1}[0-9])|([0-9a-fA-F]{1,4}:){1,4}:((25[0-5]|(2[0-4]|1{0,1}[0-9]){0,1}[0-9])\.){3,3}(25[0-5]|(2[0-4]|1{0,1}[0-9]){0,1}[0-9]))$)");

  const bj::object* o = c.object(v, ptr);
  if (o == nullptr) return;
  for (const auto& kv : *o) {
    const std::string p = json::pointer_join(ptr, kv.key());
    const Pattern* item_pattern = nullptr;
    const char* what = nullptr;
    bool vlan = false;
    if (kUrlKey.search(kv.key())) {
      item_pattern = &kUrl, what = "a URL";
    } else if (kMacKey.search(kv.key())) {
      item_pattern = &kMac, what = "a MAC address (xx:xx:xx:xx:xx:xx)";
    } else if (kIpv4Key.search(kv.key())) {
      item_pattern = &kIpv4, what = "an IPv4 address";
    } else if (kIpv6Key.search(kv.key())) {
      item_pattern = &kIpv6, what = "an IPv6 address";
    } else if (kVlanKey.search(kv.key())) {
      vlan = true;
    } else if (!kDnameKey.search(kv.key())) {
      continue;  // other keys are not checked by the schema
    }
    const bj::array* items = c.array(kv.value(), p);
    if (items == nullptr) continue;
    for (std::size_t i = 0; i < items->size(); ++i) {
      const bj::value& item = (*items)[i];
      const std::string ip = json::pointer_join(p, i);
      if (vlan) {
        if (integer_vlan) {
          c.integer(item, ip, 0.0, 4095.0);
        } else {
          c.number(item, ip, 0.0, 4095.0);
        }
      } else if (c.string(item, ip) && item_pattern != nullptr &&
                 !item_pattern->search(item.get_string())) {
        c.fail(ip, std::string("must be ") + what);
      }
    }
  }
}

void check_agent_target(Checker& c, std::string_view type, const bj::value& v,
                        const std::string& ptr) {
  const bj::object* o = c.object(v, ptr);
  if (o == nullptr) return;
  const std::string owner = "an agent or target";
  c.required(*o, ptr, {"type", "name"}, owner);
  c.member(*o, ptr, "type", [&](const bj::value& m, const std::string& p) {
    if (c.string(m, p) && m.get_string() != type) {
      c.fail(p, "must be '" + std::string(type) + "' for an agent or target whose id starts with '" +
                    std::string(type) + "--'");
    }
  });
  c.member(*o, ptr, "name", [&](const bj::value& m, const std::string& p) { c.string(m, p); });
  c.member(*o, ptr, "description", [&](const bj::value& m, const std::string& p) { c.string(m, p); });
  c.member(*o, ptr, "location", [&](const bj::value& m, const std::string& p) { c.civic_location(m, p); });
  c.member(*o, ptr, "agent_target_extensions",
           [&](const bj::value& m, const std::string& p) { c.extensions(m, p); });

  auto categories = [&] {
    c.member(*o, ptr, "category", [&](const bj::value& m, const std::string& p) { c.string_list(m, p, 1); });
  };
  auto network = [&](bool integer_vlan, bool has_port) {
    c.required(*o, ptr, {"address"}, "a " + std::string(type) + " agent or target");
    c.member(*o, ptr, "address",
             [&](const bj::value& m, const std::string& p) { check_address(c, m, p, integer_vlan); });
    if (has_port) c.member(*o, ptr, "port", [&](const bj::value& m, const std::string& p) { c.string(m, p); });
    c.member(*o, ptr, "authentication_info",
             [&](const bj::value& m, const std::string& p) { c.identifier(m, p); });
    categories();
  };

  if (type == "group" || type == "individual" || type == "organization") {
    c.member(*o, ptr, "contact", [&](const bj::value& m, const std::string& p) { c.contact(m, p); });
  } else if (type == "http-api" || type == "ssh") {
    network(/*integer_vlan=*/true, /*has_port=*/true);
  } else if (type == "linux") {
    network(/*integer_vlan=*/false, /*has_port=*/true);
  } else if (type == "net-address") {
    network(/*integer_vlan=*/false, /*has_port=*/false);
  } else if (type == "location") {
    c.member(*o, ptr, "logical", [&](const bj::value& m, const std::string& p) { c.string_list(m, p, 1); });
  } else if (type == "sector") {
    c.required(*o, ptr, {"sector"}, "a sector agent or target");
    c.member(*o, ptr, "sector", [&](const bj::value& m, const std::string& p) { c.string(m, p); });
  } else if (type == "security-category") {
    c.required(*o, ptr, {"category"}, "a security-category agent or target");
    categories();
  }
}

void check_auth_info(Checker& c, std::string_view type, const bj::value& v, const std::string& ptr) {
  const bj::object* o = c.object(v, ptr);
  if (o == nullptr) return;
  c.required(*o, ptr, {"type"}, "authentication information");
  c.member(*o, ptr, "type", [&](const bj::value& m, const std::string& p) {
    if (c.string(m, p) && m.get_string() != type) {
      c.fail(p, "must be '" + std::string(type) + "' for authentication information whose id starts with '" +
                    std::string(type) + "--'");
    }
  });
  c.member(*o, ptr, "name", [&](const bj::value& m, const std::string& p) { c.string(m, p); });
  c.member(*o, ptr, "description", [&](const bj::value& m, const std::string& p) { c.string(m, p); });
  c.member(*o, ptr, "authentication_info_extensions",
           [&](const bj::value& m, const std::string& p) { c.extensions(m, p); });
  c.member(*o, ptr, "kms", [&](const bj::value& m, const std::string& p) { c.boolean(m, p); });
  auto strings = [&](std::initializer_list<std::string_view> keys) {
    for (std::string_view k : keys) {
      c.member(*o, ptr, k, [&](const bj::value& m, const std::string& p) { c.string(m, p); });
    }
  };
  if (type == "http-basic") {
    strings({"user_id", "password", "kms_key_identifier"});
  } else if (type == "oauth2") {
    c.required(*o, ptr, {"oauth_header", "token"}, "oauth2 authentication information");
    strings({"oauth_header", "token", "kms_key_identifier"});
  } else if (type == "user-auth") {
    strings({"username", "password", "kms_key_identifier"});
  }
}

}  // namespace

void check_agent_targets(Checker& c, const bj::value& defs, const std::string& ptr) {
  c.min_properties(defs, ptr, 1);
  const bj::object* o = c.object(defs, ptr);
  if (o == nullptr) return;
  for (const auto& kv : *o) {
    for (std::string_view type : kAgentTypes) {
      if (is_keyed_id(type, kv.key())) {
        check_agent_target(c, type, kv.value(), json::pointer_join(ptr, kv.key()));
        break;
      }
    }
  }
}

void check_auth_infos(Checker& c, const bj::value& defs, const std::string& ptr) {
  c.min_properties(defs, ptr, 1);
  const bj::object* o = c.object(defs, ptr);
  if (o == nullptr) return;
  for (const auto& kv : *o) {
    for (std::string_view type : kAuthTypes) {
      if (is_keyed_id(type, kv.key())) {
        check_auth_info(c, type, kv.value(), json::pointer_join(ptr, kv.key()));
        break;
      }
    }
  }
}

}  // namespace atio::cacao::schema
