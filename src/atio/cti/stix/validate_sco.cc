// Property tables of the STIX Cyber-observable Objects (schemas/observables)
// and their cross-property rules. References between SCOs are plain strings
// to the schemas; their target types are rules of the STIX text (section 6).
#include "atio/core/json.h"
#include "atio/cti/stix/validate_check.h"
#include "atio/cti/stix/validate_sco_ext.h"

namespace atio::stix::check {

namespace {

using SV = std::string_view;

bool is_file_or_directory(SV t) { return t == "file" || t == "directory"; }
bool is_resolved_address(SV t) {
  return t == "ipv4-addr" || t == "ipv6-addr" || t == "domain-name";
}
bool is_user_account(SV t) { return t == "user-account"; }
bool is_email_addr(SV t) { return t == "email-addr"; }
bool is_artifact(SV t) { return t == "artifact"; }
bool is_directory(SV t) { return t == "directory"; }
bool is_sco_or_custom(SV t) {
  const Kind k = kind_of(t);
  return k == Kind::kSco || k == Kind::kCustom;
}
bool is_mac_addr(SV t) { return t == "mac-addr"; }
bool is_autonomous_system(SV t) { return t == "autonomous-system"; }
bool is_traffic_end(SV t) {
  return t == "ipv4-addr" || t == "ipv6-addr" || t == "mac-addr" || t == "domain-name";
}
bool is_network_traffic(SV t) { return t == "network-traffic"; }
bool is_file(SV t) { return t == "file"; }
bool is_process(SV t) { return t == "process"; }

constexpr RefRule kFileOrDirectory{nullptr, is_file_or_directory, "a file or a directory"};
constexpr RefRule kResolvedAddress{nullptr, is_resolved_address,
                                   "an ipv4-addr, an ipv6-addr or a domain-name"};
constexpr RefRule kUserAccount{nullptr, is_user_account, "a user-account"};
constexpr RefRule kEmailAddr{nullptr, is_email_addr, "an email-addr"};
constexpr RefRule kArtifact{nullptr, is_artifact, "an artifact"};
constexpr RefRule kDirectory{nullptr, is_directory, "a directory"};
constexpr RefRule kAnySco{nullptr, is_sco_or_custom, "an SCO"};
constexpr RefRule kMacAddr{nullptr, is_mac_addr, "a mac-addr"};
constexpr RefRule kAutonomousSystem{nullptr, is_autonomous_system, "an autonomous-system"};
constexpr RefRule kTrafficEnd{nullptr, is_traffic_end,
                              "an ipv4-addr, an ipv6-addr, a mac-addr or a domain-name"};
constexpr RefRule kNetworkTraffic{nullptr, is_network_traffic, "a network-traffic"};
constexpr RefRule kFile{nullptr, is_file, "a file"};
constexpr RefRule kProcess{nullptr, is_process, "a process"};

template <bool (*kMatch)(SV)>
void pattern_string(const bj::value& v, const Path& at, Ctx& ctx, SV what) {
  if (!v.is_string()) {
    ctx.error(at, "schema.type", "value must be a string");
  } else if (!kMatch(v.get_string())) {
    ctx.error(at, "schema.pattern", cat({"'", v.get_string(), "' is not ", what}));
  }
}

void ipv4(const bj::value& v, const Path& at, Ctx& ctx) {
  pattern_string<ipv4_value>(v, at, ctx, "an IPv4 address or CIDR block");
}
void ipv6(const bj::value& v, const Path& at, Ctx& ctx) {
  pattern_string<ipv6_value>(v, at, ctx, "an IPv6 address or CIDR block");
}
void mac(const bj::value& v, const Path& at, Ctx& ctx) {
  pattern_string<mac_value>(v, at, ctx, "a lowercase colon-separated MAC address");
}
void cpe(const bj::value& v, const Path& at, Ctx& ctx) {
  pattern_string<cpe23_search>(v, at, ctx, "a CPE 2.3 name");
}
bool encoding_name(SV s) {
  if (s.size() < 2 || s.size() > 250) return false;
  for (char c : s) {
    if (!(is_lower_alnum(c) || (c >= 'A' && c <= 'Z') || c == '/' || c == '.' || c == '+' ||
          c == '_' || c == ':' || c == '-')) {
      return false;
    }
  }
  return true;
}
void encoding(const bj::value& v, const Path& at, Ctx& ctx) {
  pattern_string<encoding_name>(v, at, ctx, "a character set name");
}
bool media_type(SV s) {
  static constexpr SV kTop[] = {"application", "audio",     "font", "image", "message",
                                "model",       "multipart", "text", "video"};
  for (SV t : kTop) {
    if (starts_with(s, t) && s.size() > t.size() + 1 && s[t.size()] == '/') {
      const char c = s[t.size() + 1];
      return is_lower_alnum(c) || (c >= 'A' && c <= 'Z') || c == '.' || c == '+' || c == '_' ||
             c == '-';
    }
  }
  return false;
}
void mime_type(const bj::value& v, const Path& at, Ctx& ctx) {
  pattern_string<media_type>(v, at, ctx, "a media type of a registered top-level type");
}
void languages(const bj::value& v, const Path& at, Ctx& ctx) {
  if (!v.is_array()) {
    ctx.error(at, "schema.type", "value must be a list of strings");
    return;
  }
  const auto& a = v.get_array();
  for (std::size_t i = 0; i < a.size(); ++i) {
    pattern_string<language_tag>(a[i], at / i, ctx, "a language tag");
  }
}
// "^HKLM|HKCC|HKCR|HKCU|HKU|hklm|hkcc|hkcr|hkcu|hku" must not match: keys
// start with the full hive name.
void registry_key(const bj::value& v, const Path& at, Ctx& ctx) {
  static constexpr SV kShort[] = {"HKLM", "HKCC", "HKCR", "HKCU", "HKU",
                                  "hklm", "hkcc", "hkcr", "hkcu", "hku"};
  if (!v.is_string()) {
    ctx.error(at, "schema.type", "value must be a string");
  } else if (search_alternation(v.get_string(), kShort, false)) {
    ctx.error(at, "schema.pattern", "registry keys use full hive names (HKEY_LOCAL_MACHINE)");
  }
}

constexpr Prop kRegistryValue[] = {
    {"name", string},
    {"data", string},
    {"data_type", vocab<&kWindowsRegistryDatatypeEnum>},
};
void registry_values(const bj::value& v, const Path& at, Ctx& ctx) {
  if (!v.is_array()) {
    ctx.error(at, "schema.type", "values must be a list");
    return;
  }
  const auto& a = v.get_array();
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (!a[i].is_object()) {
      ctx.error(at / i, "schema.type", "a registry value must be an object");
      continue;
    }
    const auto& o = a[i].get_object();
    check_members(o, kRegistryValue, at / i, ctx);
    require_any(o, {"name", "data", "data_type"}, at / i, ctx);
  }
}

constexpr Prop kX509Extensions[] = {
    {"basic_constraints", string},
    {"name_constraints", string},
    {"policy_constraints", string},
    {"key_usage", string},
    {"extended_key_usage", string},
    {"subject_key_identifier", string},
    {"authority_key_identifier", string},
    {"subject_alternative_name", string},
    {"issuer_alternative_name", string},
    {"subject_directory_attributes", string},
    {"crl_distribution_points", string},
    {"inhibit_any_policy", string},
    {"private_key_usage_period_not_before", timestamp},
    {"private_key_usage_period_not_after", timestamp},
    {"certificate_policies", string},
    {"policy_mappings", string},
};
void x509_extensions(const bj::value& v, const Path& at, Ctx& ctx) {
  if (!v.is_object()) {
    ctx.error(at, "schema.type", "x509_v3_extensions must be an object");
    return;
  }
  const std::uint64_t seen = check_members(v.get_object(), kX509Extensions, at, ctx);
  if (seen == 0) {
    ctx.error(at, "schema.required", "x509_v3_extensions needs at least one extension");
  }
}

constexpr Prop kArtifactProps[] = {
    {"mime_type", mime_type},
    {"payload_bin", binary},
    {"url", string},
    {"hashes", hashes},
    {"encryption_algorithm", vocab<&kEncryptionAlgorithmEnum>},
    {"decryption_key", string},
};
constexpr Prop kAutonomousSystemProps[] = {
    {"number", integer, kRequired},
    {"name", string},
    {"rir", string},
};
constexpr Prop kDirectoryProps[] = {
    {"path", string, kRequired}, {"path_enc", encoding},
    {"ctime", timestamp},        {"mtime", timestamp},
    {"atime", timestamp},        {"contains_refs", sco_refs<&kFileOrDirectory>},
};
constexpr Prop kDomainNameProps[] = {
    {"value", string, kRequired},
    {"resolves_to_refs", sco_refs<&kResolvedAddress>},
};
constexpr Prop kEmailAddrProps[] = {
    {"value", string, kRequired},
    {"display_name", string},
    {"belongs_to_ref", sco_ref<&kUserAccount>},
};
constexpr Prop kEmailMessageProps[] = {
    {"is_multipart", any},  // see email_message_extra
    {"date", timestamp},
    {"content_type", string},
    {"from_ref", sco_ref<&kEmailAddr>},
    {"sender_ref", sco_ref<&kEmailAddr>},
    {"to_refs", sco_refs<&kEmailAddr>},
    {"cc_refs", sco_refs<&kEmailAddr>},
    {"bcc_refs", sco_refs<&kEmailAddr>},
    {"message_id", string},
    {"subject", string},
    {"received_lines", string_list},
    {"additional_header_fields", email_header_fields},
    {"body", any},
    {"body_multipart", any},
    {"raw_email_ref", sco_ref<&kArtifact>},
};
constexpr Prop kFileProps[] = {
    {"extensions", file_extensions},
    {"hashes", hashes},
    {"size", integer_in<0, kUnbounded>},
    {"name", string},
    {"name_enc", encoding},
    {"magic_number_hex", hex},
    {"mime_type", string},
    {"ctime", timestamp},
    {"mtime", timestamp},
    {"atime", timestamp},
    {"parent_directory_ref", sco_ref<&kDirectory>},
    {"contains_refs", sco_refs<&kAnySco>},
    {"content_ref", sco_ref<&kArtifact>},
};
constexpr Prop kIpv4Props[] = {
    {"value", ipv4, kRequired},
    {"resolves_to_refs", sco_refs<&kMacAddr>},
    {"belongs_to_refs", sco_refs<&kAutonomousSystem>},
};
constexpr Prop kIpv6Props[] = {
    {"value", ipv6, kRequired},
    {"resolves_to_refs", sco_refs<&kMacAddr>},
    {"belongs_to_refs", sco_refs<&kAutonomousSystem>},
};
constexpr Prop kMacAddrProps[] = {{"value", mac, kRequired}};
constexpr Prop kMutexProps[] = {{"name", string, kRequired}};
constexpr Prop kNetworkTrafficProps[] = {
    {"extensions", network_traffic_extensions},
    {"start", timestamp},
    {"end", timestamp},
    {"is_active", any},  // see network_traffic_extra
    {"src_ref", sco_ref<&kTrafficEnd>},
    {"dst_ref", sco_ref<&kTrafficEnd>},
    {"src_port", integer_in<0, 65535>},
    {"dst_port", integer_in<0, 65535>},
    {"protocols", string_list, kRequired},
    {"src_byte_count", integer},
    {"dst_byte_count", integer},
    {"src_packets", integer},
    {"dst_packets", integer},
    {"ipfix", ipfix},
    {"src_payload_ref", sco_ref<&kArtifact>},
    {"dst_payload_ref", sco_ref<&kArtifact>},
    {"encapsulates_refs", sco_refs<&kNetworkTraffic>},
    {"encapsulated_by_ref", sco_ref<&kNetworkTraffic>},
};
constexpr Prop kProcessProps[] = {
    {"extensions", process_extensions},
    {"is_hidden", boolean},
    {"pid", integer},
    {"created_time", timestamp},
    {"cwd", string},
    {"command_line", string},
    {"environment_variables", dictionary},
    {"opened_connection_refs", sco_refs<&kNetworkTraffic>},
    {"creator_user_ref", sco_ref<&kUserAccount>},
    {"image_ref", sco_ref<&kFile>},
    {"parent_ref", sco_ref<&kProcess>},
    {"child_refs", sco_refs<&kProcess>},
};
constexpr Prop kSoftwareProps[] = {
    {"name", string, kRequired}, {"cpe", cpe},       {"swid", string},
    {"languages", languages},    {"vendor", string}, {"version", string},
};
constexpr Prop kUrlProps[] = {{"value", string, kRequired}};
constexpr Prop kUserAccountProps[] = {
    {"extensions", user_account_extensions},
    {"user_id", string},
    {"credential", string},
    {"account_login", string},
    {"account_type", vocab<&kAccountTypeOv>},
    {"display_name", string},
    {"is_service_account", boolean},
    {"is_privileged", boolean},
    {"can_escalate_privs", boolean},
    {"is_disabled", boolean},
    {"account_created", timestamp},
    {"account_expires", timestamp},
    {"credential_last_changed", timestamp},
    {"account_first_login", timestamp},
    {"account_last_login", timestamp},
};
constexpr Prop kWindowsRegistryKeyProps[] = {
    {"key", registry_key},          {"values", registry_values},
    {"modified_time", timestamp},   {"creator_user_ref", sco_ref<&kUserAccount>},
    {"number_of_subkeys", integer},
};
constexpr Prop kX509Props[] = {
    {"is_self_signed", boolean},
    {"hashes", hashes},
    {"version", string},
    {"serial_number", string},
    {"signature_algorithm", string},
    {"issuer", string},
    {"validity_not_before", timestamp},
    {"validity_not_after", timestamp},
    {"subject", string},
    {"subject_public_key_algorithm", string},
    {"subject_public_key_modulus", string},
    {"subject_public_key_exponent", integer},
    {"x509_v3_extensions", x509_extensions},
};

void artifact_extra(const bj::object& o, const Path& at, Ctx& ctx) {
  const bool payload = o.contains("payload_bin"), url = o.contains("url");
  if (!((payload && !url) || (url && o.contains("hashes") && !payload))) {
    ctx.error(at, "schema.artifact",
              "an artifact has payload_bin, or url with hashes, but not both");
  }
  if (o.contains("decryption_key") && !o.contains("encryption_algorithm")) {
    ctx.error(at / "decryption_key", "schema.artifact",
              "decryption_key needs encryption_algorithm");
  }
}

void email_message_extra(const bj::object& o, const Path& at, Ctx& ctx) {
  const auto it = o.find("is_multipart");
  if (it == o.end()) {
    ctx.error(at, "schema.required", "required property 'is_multipart' is missing");
    return;
  }
  if (!it->value().is_bool()) {
    ctx.error(at / "is_multipart", "schema.type", "value must be a boolean");
    return;
  }
  const auto body = o.find("body");
  const auto parts = o.find("body_multipart");
  if (it->value().get_bool()) {
    if (body != o.end()) {
      ctx.error(at / "body", "schema.email-body",
                "a multipart message has body_multipart, not body");
    }
    if (parts != o.end()) mime_parts(parts->value(), at / "body_multipart", ctx);
  } else {
    if (parts != o.end()) {
      ctx.error(at / "body_multipart", "schema.email-body",
                "body_multipart is only for multipart messages");
    }
    if (body != o.end() && !body->value().is_string()) {
      ctx.error(at / "body", "schema.type", "value must be a string");
    }
  }
}

void file_extra(const bj::object& o, const Path& at, Ctx& ctx) {
  require_any(o, {"hashes", "name"}, at, ctx);
}

void network_traffic_extra(const bj::object& o, const Path& at, Ctx& ctx) {
  require_any(o, {"src_ref", "dst_ref"}, at, ctx);
  const auto it = o.find("is_active");
  if (it != o.end()) {
    if (!it->value().is_bool()) {
      ctx.error(at / "is_active", "schema.type", "value must be a boolean");
    } else if (it->value().get_bool() && o.contains("end")) {
      ctx.error(at / "end", "schema.network-traffic", "active traffic (is_active) has no end");
    }
  }
  check_order(o, "start", "end", false, at, ctx);
}

void process_extra(const bj::object& o, const Path& at, Ctx& ctx) {
  require_any(o,
              {"extensions", "is_hidden", "pid", "name", "created", "cwd", "arguments",
               "command_line", "environment_variables", "opened_connection_refs",
               "creator_user_ref", "image_ref", "parent_ref", "child_refs"},
              at, ctx);
}

void user_account_extra(const bj::object& o, const Path& at, Ctx& ctx) {
  require_any(o,
              {"extensions", "user_id", "credential", "account_login", "account_type",
               "display_name", "is_service_account", "is_privileged", "can_escalate_privs",
               "is_disabled", "account_created", "account_expires", "credential_last_changed",
               "account_first_login", "account_last_login"},
              at, ctx);
}

void windows_registry_key_extra(const bj::object& o, const Path& at, Ctx& ctx) {
  require_any(o, {"key", "values", "modified", "creator_user_ref", "number_of_subkeys"}, at, ctx);
}

void x509_extra(const bj::object& o, const Path& at, Ctx& ctx) {
  require_any(
      o,
      {"is_self_signed", "hashes", "version", "serial_number", "signature_algorithm", "issuer",
       "validity_not_before", "validity_not_after", "subject", "subject_public_key_algorithm",
       "subject_public_key_modulus", "subject_public_key_exponent", "x509_v3_extensions"},
      at, ctx);
}

#define ATIO_TYPE(name, table, extra) \
  TypeRules { name, Base::kObservable, table, extra }
const TypeRules kRules[] = {
    ATIO_TYPE("artifact", kArtifactProps, artifact_extra),
    ATIO_TYPE("autonomous-system", kAutonomousSystemProps, nullptr),
    ATIO_TYPE("directory", kDirectoryProps, nullptr),
    ATIO_TYPE("domain-name", kDomainNameProps, nullptr),
    ATIO_TYPE("email-addr", kEmailAddrProps, nullptr),
    ATIO_TYPE("email-message", kEmailMessageProps, email_message_extra),
    ATIO_TYPE("file", kFileProps, file_extra),
    ATIO_TYPE("ipv4-addr", kIpv4Props, nullptr),
    ATIO_TYPE("ipv6-addr", kIpv6Props, nullptr),
    ATIO_TYPE("mac-addr", kMacAddrProps, nullptr),
    ATIO_TYPE("mutex", kMutexProps, nullptr),
    ATIO_TYPE("network-traffic", kNetworkTrafficProps, network_traffic_extra),
    ATIO_TYPE("process", kProcessProps, process_extra),
    ATIO_TYPE("software", kSoftwareProps, nullptr),
    ATIO_TYPE("url", kUrlProps, nullptr),
    ATIO_TYPE("user-account", kUserAccountProps, user_account_extra),
    ATIO_TYPE("windows-registry-key", kWindowsRegistryKeyProps, windows_registry_key_extra),
    ATIO_TYPE("x509-certificate", kX509Props, x509_extra),
};
#undef ATIO_TYPE

}  // namespace

const TypeRules* find_sco_rules(std::string_view type) {
  for (const auto& r : kRules) {
    if (r.type == type) return &r;
  }
  return nullptr;
}

void require_any(const bj::object& o, std::initializer_list<std::string_view> names, const Path& at,
                 Ctx& ctx) {
  for (SV n : names) {
    if (o.contains(n)) return;
  }
  std::string list;
  for (SV n : names) {
    if (!list.empty()) list += ", ";
    list += n;
  }
  ctx.error(at, "schema.required", cat({"at least one of ", list, " is required"}));
}

}  // namespace atio::stix::check
