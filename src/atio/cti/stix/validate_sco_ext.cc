// Predefined SCO extensions (file, network-traffic, process, user-account)
// and the observable dictionaries with schemas of their own.
#include "atio/cti/stix/validate_sco_ext.h"

namespace atio::stix::check {

namespace {

using SV = std::string_view;

bool is_file(SV t) { return t == "file"; }
bool is_file_or_directory(SV t) { return t == "file" || t == "directory"; }
bool is_artifact(SV t) { return t == "artifact"; }
bool is_artifact_or_file(SV t) { return t == "artifact" || t == "file"; }
constexpr RefRule kFile{nullptr, is_file, "a file"};
constexpr RefRule kFileOrDirectory{nullptr, is_file_or_directory, "a file or a directory"};
constexpr RefRule kArtifact{nullptr, is_artifact, "an artifact"};
constexpr RefRule kArtifactOrFile{nullptr, is_artifact_or_file, "an artifact or a file"};

bool is_upper(char c) { return c >= 'A' && c <= 'Z'; }

// Lists of objects. Items the schema leaves untyped (no "type": "object",
// `typed` false) are objects by the text only.
template <std::span<const Prop> (*kProps)()>
void object_items(const bj::value& v, const Path& at, Ctx& ctx, bool min1, bool typed) {
  if (!v.is_array()) {
    ctx.error(at, "schema.type", "value must be a list");
    return;
  }
  const auto& a = v.get_array();
  if (min1 && a.empty()) ctx.error(at, "schema.min-items", "list must not be empty");
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (!a[i].is_object()) {
      ctx.error(at / i, typed ? "schema.type" : "spec.property-format",
                "list entries must be objects");
    } else {
      check_members(a[i].get_object(), kProps(), at / i, ctx);
    }
  }
}

// A dictionary whose values must satisfy `value_ok` (named `what`).
void typed_dictionary(const bj::value& v, const Path& at, Ctx& ctx,
                      bool (*value_ok)(const bj::value&), SV what) {
  dictionary(v, at, ctx);
  if (!v.is_object()) return;
  for (const auto& kv : v.get_object()) {
    if (!kv.value().is_null() && !value_ok(kv.value())) {
      ctx.error(at / kv.key(), "schema.type", cat({"value must be ", what}));
    }
  }
}

bool string_or_integer(const bj::value& v) { return v.is_string() || is_integer(v); }
bool string_value(const bj::value& v) { return v.is_string(); }
bool string_array(const bj::value& v) {
  if (!v.is_array()) return false;
  for (const auto& e : v.get_array()) {
    if (!e.is_string()) return false;
  }
  return true;
}

// ---- file -------------------------------------------------------------------

constexpr Prop kAlternateDataStream[] = {
    {"name", string, kRequired},
    {"hashes", hashes},
    {"size", integer_in<0, kUnbounded>},
};
std::span<const Prop> alternate_data_stream() { return kAlternateDataStream; }
void alternate_data_streams(const bj::value& v, const Path& at, Ctx& ctx) {
  object_items<alternate_data_stream>(v, at, ctx, false, false);
}
constexpr Prop kNtfs[] = {{"sid", string}, {"alternate_data_streams", alternate_data_streams}};
void ntfs_ext(const bj::object& o, const Path& at, Ctx& ctx) {
  check_members(o, kNtfs, at, ctx);
  require_any(o, {"sid", "alternate_data_streams"}, at, ctx);
}

// ^[A-Z][a-zA-Z0-9_-]+$ keys, string or integer values.
void exif_tags(const bj::value& v, const Path& at, Ctx& ctx) {
  typed_dictionary(v, at, ctx, string_or_integer, "a string or an integer");
  if (!v.is_object()) return;
  for (const auto& kv : v.get_object()) {
    const SV k = kv.key();
    bool ok = k.size() >= 2 && is_upper(k[0]);
    for (char c : k.substr(ok ? 1 : 0)) {
      ok = ok && (is_lower_alnum(c) || is_upper(c) || c == '_' || c == '-');
    }
    if (!ok) {
      ctx.error(at / k, "schema.additional-property",
                cat({"EXIF tag name '", k, "' must start with an uppercase letter"}));
    }
  }
}
constexpr Prop kRaster[] = {
    {"image_height", integer},
    {"image_width", integer},
    {"bits_per_pixel", integer},
    {"exif_tags", exif_tags},
};
void raster_image_ext(const bj::object& o, const Path& at, Ctx& ctx) {
  check_members(o, kRaster, at, ctx);
  require_any(
      o,
      {"image_height", "image_width", "bits_per_pixel", "image_compression_algorithm", "exif_tags"},
      at, ctx);
}

void document_info(const bj::value& v, const Path& at, Ctx& ctx) {
  typed_dictionary(v, at, ctx, string_value, "a string");
}
constexpr Prop kPdf[] = {
    {"version", string}, {"is_optimized", boolean}, {"document_info_dict", document_info},
    {"pdfid0", string},  {"pdfid1", string},
};
void pdf_ext(const bj::object& o, const Path& at, Ctx& ctx) {
  check_members(o, kPdf, at, ctx);
  require_any(o, {"version", "is_optimized", "document_info_dict", "pdfid0", "pdfid1"}, at, ctx);
}

constexpr Prop kArchive[] = {
    {"contains_refs", sco_refs<&kFileOrDirectory>, kRequired},
    {"comment", string},
};
void archive_ext(const bj::object& o, const Path& at, Ctx& ctx) {
  check_members(o, kArchive, at, ctx);
}

void pe_timestamp(const bj::value& v, const Path& at, Ctx& ctx) {
  timestamp(v, at, ctx);
  if (v.is_string() && timestamp_shape(v.get_string()) && v.get_string().size() != 20) {
    ctx.error(at, "schema.pattern", "time_date_stamp has whole seconds (no fraction)");
  }
}
constexpr Prop kOptionalHeader[] = {
    {"magic_hex", hex},
    {"major_linker_version", integer},
    {"minor_linker_version", integer},
    {"size_of_code", integer_in<0, kUnbounded>},
    {"size_of_initialized_data", integer_in<0, kUnbounded>},
    {"size_of_uninitialized_data", integer_in<0, kUnbounded>},
    {"address_of_entry_point", integer},
    {"base_of_code", integer},
    {"base_of_data", integer},
    {"image_base", integer},
    {"section_alignment", integer},
    {"file_alignment", integer},
    {"major_os_version", integer},
    {"minor_os_version", integer},
    {"major_image_version", integer},
    {"minor_image_version", integer},
    {"major_subsystem_version", integer},
    {"minor_subsystem_version", integer},
    {"win32_version_value_hex", hex},
    {"size_of_image", integer_in<0, kUnbounded>},
    {"size_of_headers", integer_in<0, kUnbounded>},
    {"checksum_hex", hex},
    {"subsystem_hex", hex},
    {"dll_characteristics_hex", hex},
    {"size_of_stack_reserve", integer_in<0, kUnbounded>},
    {"size_of_stack_commit", integer_in<0, kUnbounded>},
    {"size_of_heap_reserve", integer_in<0, kUnbounded>},
    {"size_of_heap_commit", integer_in<0, kUnbounded>},
    {"loader_flags_hex", hex},
    {"number_of_rva_and_sizes", integer},
    {"hashes", hashes},
};
void optional_header(const bj::value& v, const Path& at, Ctx& ctx) {
  if (!v.is_object()) {
    ctx.error(at, "schema.type", "optional_header must be an object");
    return;
  }
  if (v.get_object().empty()) ctx.error(at, "schema.min-properties", "must not be empty");
  check_members(v.get_object(), kOptionalHeader, at, ctx, Others::kClosed);
}
constexpr Prop kSection[] = {
    {"name", string, kRequired},
    {"size", integer_in<0, kUnbounded>},
    {"entropy", number},
    {"hashes", hashes},
};
std::span<const Prop> section() { return kSection; }
void sections(const bj::value& v, const Path& at, Ctx& ctx) {
  object_items<section>(v, at, ctx, true, true);
}
constexpr Prop kPeBinary[] = {
    {"pe_type", vocab<&kWindowsPebinaryTypeOv>, kRequired},
    {"imphash", string},
    {"machine_hex", hex},
    {"number_of_sections", integer_in<0, kUnbounded>},
    {"time_date_stamp", pe_timestamp},
    {"pointer_to_symbol_table_hex", hex},
    {"number_of_symbols", integer_in<0, kUnbounded>},
    {"size_of_optional_header", integer_in<0, kUnbounded>},
    {"characteristics_hex", hex},
    {"file_header_hashes", hashes},
    {"optional_header", optional_header},
    {"sections", sections},
};
void windows_pebinary_ext(const bj::object& o, const Path& at, Ctx& ctx) {
  check_members(o, kPeBinary, at, ctx);
  require_any(o,
              {"imphash", "machine_hex", "number_of_sections", "time_date_stamp",
               "pointer_to_symbol_table_hex", "number_of_symbols", "size_of_optional_header",
               "characteristics_hex", "file_header_hashes", "optional_header", "sections"},
              at, ctx);
}

// ---- network-traffic --------------------------------------------------------

void request_header(const bj::value& v, const Path& at, Ctx& ctx) {
  typed_dictionary(v, at, ctx, string_array, "a list of strings");
  if (!v.is_object()) return;
  for (const auto& kv : v.get_object()) {
    if (kv.key().empty()) {
      ctx.error(at / kv.key(), "schema.additional-property", "header names are not empty");
    }
  }
}
constexpr Prop kHttpRequest[] = {
    {"request_method", string, kRequired}, {"request_value", string, kRequired},
    {"request_version", string},           {"request_header", request_header},
    {"message_body_length", integer},      {"message_body_data_ref", sco_ref<&kArtifact>},
};
void http_request_ext(const bj::object& o, const Path& at, Ctx& ctx) {
  check_members(o, kHttpRequest, at, ctx);
}

constexpr Prop kIcmp[] = {
    {"icmp_type_hex", hex, kRequired},
    {"icmp_code_hex", hex, kRequired},
};
void icmp_ext(const bj::object& o, const Path& at, Ctx& ctx) { check_members(o, kIcmp, at, ctx); }

// ^(SO|ICMP|ICMP6|IP|IPV6|MCAST|TCP|IRLMP)(_[A-Z]+)+$
bool socket_option_name(SV k) {
  static constexpr SV kLevels[] = {"SO", "ICMP", "ICMP6", "IP", "IPV6", "MCAST", "TCP", "IRLMP"};
  for (SV level : kLevels) {
    if (!starts_with(k, level)) continue;
    SV rest = k.substr(level.size());
    bool ok = !rest.empty();
    while (ok && !rest.empty()) {
      std::size_t n = 1;
      while (n < rest.size() && is_upper(rest[n])) ++n;
      ok = rest[0] == '_' && n > 1;
      rest.remove_prefix(n);
    }
    if (ok) return true;
  }
  return false;
}
void socket_options(const bj::value& v, const Path& at, Ctx& ctx) {
  typed_dictionary(v, at, ctx, is_integer, "an integer");
  if (!v.is_object()) return;
  for (const auto& kv : v.get_object()) {
    if (!socket_option_name(kv.key())) {
      ctx.error(at / kv.key(), "schema.additional-property",
                cat({"'", kv.key(), "' is not a socket option name (SO_..., TCP_..., ...)"}));
    }
  }
}
constexpr Prop kSocket[] = {
    {"address_family", vocab<&kSocketAddressFamilyEnum>, kRequired},
    {"is_blocking", boolean},
    {"is_listening", boolean},
    {"options", socket_options},
    {"socket_type", vocab<&kSocketTypeEnum>},
    {"socket_descriptor", integer_in<0, kUnbounded>},
    {"socket_handle", integer},
};
void socket_ext(const bj::object& o, const Path& at, Ctx& ctx) {
  check_members(o, kSocket, at, ctx);
}

constexpr Prop kTcp[] = {{"src_flags_hex", hex}, {"dst_flags_hex", hex}};
void tcp_ext(const bj::object& o, const Path& at, Ctx& ctx) {
  check_members(o, kTcp, at, ctx);
  require_any(o, {"src_flags_hex", "dst_flags_hex"}, at, ctx);
}

// ---- process ----------------------------------------------------------------

void startup_info(const bj::value& v, const Path& at, Ctx& ctx) {
  static constexpr SV kStrings[] = {"lpDesktop",   "lpTitle",   "dwFillAttribute", "dwFlags",
                                    "wShowWindow", "hStdInput", "hStdOutput",      "hStdError"};
  static constexpr SV kNulls[] = {"lpReserved", "lpReserved2"};
  static constexpr SV kIntegers[] = {"cb",      "dwX",           "dwY",          "dwXSize",
                                     "dwYSize", "dwXCountChars", "dwYCountChars"};
  dictionary(v, at, ctx);
  if (!v.is_object()) return;
  for (const auto& kv : v.get_object()) {
    const SV k = kv.key();
    const bj::value& value = kv.value();
    const Path child = at / k;
    bool matched = false;
    if (search_alternation(k, kStrings)) {
      matched = true;
      if (!value.is_string()) ctx.error(child, "schema.type", "value must be a string");
    }
    if (search_alternation(k, kNulls)) {
      // The schema asks for null here, which its dictionary rule forbids.
      matched = true;
      if (!value.is_null()) ctx.error(child, "schema.type", "value must be null");
    }
    if (search_alternation(k, kIntegers)) {
      matched = true;
      if (!is_integer(value)) ctx.error(child, "schema.type", "value must be an integer");
    }
    if (k == "cbReserved2") {
      matched = true;
      if (is_integer(value) && as_double(value) != 0) {
        ctx.error(child, "schema.range", "cbReserved2 must be 0");
      }
    }
    if (!matched) {
      ctx.error(child, "schema.additional-property",
                cat({"'", k, "' is not a STARTUPINFO member"}));
    }
  }
}
constexpr Prop kWindowsProcess[] = {
    {"aslr_enabled", boolean},
    {"dep_enabled", boolean},
    {"priority", string},
    {"owner_sid", string},
    {"window_title", string},
    {"startup_info", startup_info},
    {"integrity_level", vocab<&kWindowsIntegrityLevelEnum>},
};
void windows_process_ext(const bj::object& o, const Path& at, Ctx& ctx) {
  check_members(o, kWindowsProcess, at, ctx);
  require_any(
      o, {"aslr_enabled", "dep_enabled", "priority", "owner_sid", "window_title", "startup_info"},
      at, ctx);
}

constexpr Prop kWindowsService[] = {
    {"service_name", string},
    {"descriptions", string_list_min1},
    {"display_name", string},
    {"group_name", string},
    {"start_type", vocab<&kServiceStartTypeEnum>},
    {"service_dll_refs", sco_refs<&kFile>},
    {"service_type", vocab<&kServiceTypeEnum>},
    {"service_status", vocab<&kServiceStatusEnum>},
};
void windows_service_ext(const bj::object& o, const Path& at, Ctx& ctx) {
  check_members(o, kWindowsService, at, ctx);
  require_any(o,
              {"service_name", "descriptions", "display_name", "group_name", "start_type",
               "service_dll_refs", "service_type", "service_status"},
              at, ctx);
}

// ---- user-account -----------------------------------------------------------

constexpr Prop kUnixAccount[] = {
    {"gid", number},
    {"groups", string_list_min1},
    {"home_dir", string},
    {"shell", string},
};
void unix_account_ext(const bj::object& o, const Path& at, Ctx& ctx) {
  check_members(o, kUnixAccount, at, ctx);
  require_any(o, {"gid", "groups", "home_dir", "shell"}, at, ctx);
}

// ---- the extension dictionaries -------------------------------------------------

struct KnownExtension {
  SV name;
  void (*check)(const bj::object& o, const Path& at, Ctx& ctx);
};

// core.json's rules, then the type's: known extensions by their schema, any
// other by dictionary.json (additionalProperties).
void sco_extensions(const bj::value& v, const Path& at, Ctx& ctx,
                    std::initializer_list<KnownExtension> known) {
  extensions(v, at, ctx);
  if (!v.is_object()) return;
  for (const auto& kv : v.get_object()) {
    if (!kv.value().is_object()) continue;  // reported by extensions()
    const Path child = at / kv.key();
    bool found = false;
    for (const auto& k : known) {
      if (k.name == kv.key()) {
        k.check(kv.value().get_object(), child, ctx);
        found = true;
      }
    }
    if (!found) {
      for (const auto& member : kv.value().get_object()) {
        bool ok = member.key().size() <= 250;
        for (char c : member.key()) {
          ok = ok && (is_lower_alnum(c) || is_upper(c) || c == '_' || c == '-');
        }
        if (!ok) {
          ctx.error(child / member.key(), "schema.dictionary-key",
                    "extension property names are a-z, A-Z, 0-9, '-' and '_'");
        }
      }
    }
  }
}

constexpr Prop kMimePart[] = {
    {"body", string},
    {"body_raw_ref", sco_ref<&kArtifactOrFile>},
    {"content_type", string},
    {"content_disposition", string},
};

}  // namespace

void file_extensions(const bj::value& v, const Path& at, Ctx& ctx) {
  sco_extensions(v, at, ctx,
                 {{"ntfs-ext", ntfs_ext},
                  {"raster-image-ext", raster_image_ext},
                  {"pdf-ext", pdf_ext},
                  {"archive-ext", archive_ext},
                  {"windows-pebinary-ext", windows_pebinary_ext}});
}

void network_traffic_extensions(const bj::value& v, const Path& at, Ctx& ctx) {
  sco_extensions(v, at, ctx,
                 {{"http-request-ext", http_request_ext},
                  {"icmp-ext", icmp_ext},
                  {"socket-ext", socket_ext},
                  {"tcp-ext", tcp_ext}});
}

void process_extensions(const bj::value& v, const Path& at, Ctx& ctx) {
  sco_extensions(
      v, at, ctx,
      {{"windows-process-ext", windows_process_ext}, {"windows-service-ext", windows_service_ext}});
}

void user_account_extensions(const bj::value& v, const Path& at, Ctx& ctx) {
  sco_extensions(v, at, ctx, {{"unix-account-ext", unix_account_ext}});
}

void email_header_fields(const bj::value& v, const Path& at, Ctx& ctx) {
  static constexpr SV kProperties[] = {"date",     "received_lines", "content_type",
                                       "from_ref", "sender_ref",     "to_refs",
                                       "cc_refs",  "bcc_refs",       "subject"};
  dictionary(v, at, ctx);
  if (!v.is_object()) return;
  bool all_properties = !v.get_object().empty();
  for (const auto& kv : v.get_object()) {
    all_properties = all_properties && search_alternation(kv.key(), kProperties);
    const bj::value& value = kv.value();
    bool ok = value.is_string();
    if (value.is_array()) ok = value.get_array().size() >= 2 && string_array(value);
    if (!ok && !value.is_null()) {
      ctx.error(at / kv.key(), "schema.type",
                "a header is a string or a list of at least two strings");
    }
  }
  if (all_properties) {
    ctx.error(at, "schema.email-header",
              "additional_header_fields holds only headers email-message has as properties");
  }
}

void mime_parts(const bj::value& v, const Path& at, Ctx& ctx) {
  if (!v.is_array()) {
    ctx.error(at, "schema.type", "body_multipart must be a list");
    return;
  }
  const auto& a = v.get_array();
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (!a[i].is_object()) {
      ctx.error(at / i, "schema.type", "a MIME part must be an object");
      continue;
    }
    const auto& o = a[i].get_object();
    check_members(o, kMimePart, at / i, ctx);
    if (o.contains("body") == o.contains("body_raw_ref")) {
      ctx.error(at / i, "schema.email-body", "a MIME part has exactly one of body, body_raw_ref");
    }
  }
}

void ipfix(const bj::value& v, const Path& at, Ctx& ctx) {
  typed_dictionary(v, at, ctx, string_or_integer, "a string or an integer");
}

}  // namespace atio::stix::check
