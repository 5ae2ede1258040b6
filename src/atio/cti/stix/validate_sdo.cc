// Property tables of the STIX Domain Objects and Relationship Objects
// (schemas/sdos/*.json, schemas/sros/*.json) and their cross-property rules.
#include "atio/core/json.h"
#include "atio/cti/stix/pattern_validate.h"
#include "atio/cti/stix/validate_check.h"

namespace atio::stix::check {

namespace {

using SV = std::string_view;

bool is_software(SV t) { return t == "software"; }
bool is_observed_data(SV t) { return t == "observed-data"; }
bool is_identity_or_location(SV t) { return t == "identity" || t == "location"; }
bool is_analysis_sample(SV t) { return t == "artifact" || t == "file" || t == "network-traffic"; }
bool is_file_or_artifact(SV t) { return t == "file" || t == "artifact"; }
bool is_sco_or_custom(SV t) {
  const Kind k = kind_of(t);
  return k == Kind::kSco || k == Kind::kCustom;
}
bool not_sro_or_meta(SV t) {
  return t != "relationship" && t != "sighting" && t != "bundle" && t != "marking-definition" &&
         t != "language-content";
}
// SDOs and SCOs, spec-defined or custom.
bool sdo_or_sco(SV t) {
  const Kind k = kind_of(t);
  return k == Kind::kSdo || k == Kind::kSco || k == Kind::kCustom;
}
// SDOs, spec-defined or custom.
bool sdo(SV t) {
  const Kind k = kind_of(t);
  return k == Kind::kSdo || k == Kind::kCustom;
}

constexpr RefRule kSoftware{is_software, nullptr, "a software object"};
constexpr RefRule kAnalysisSample{is_analysis_sample, nullptr,
                                  "an artifact, a file or a network-traffic object"};
constexpr RefRule kFileOrArtifact{nullptr, is_file_or_artifact, "a file or an artifact"};
constexpr RefRule kAnalysisSco{nullptr, is_sco_or_custom, "an SCO"};
constexpr RefRule kObservedData{is_observed_data, nullptr, "an observed-data object"};
constexpr RefRule kIdentityOrLocation{is_identity_or_location, nullptr,
                                      "an identity or a location"};
constexpr RefRule kRelationshipEnd{not_sro_or_meta, sdo_or_sco, "an SDO or an SCO"};
constexpr RefRule kSightingOf{not_sro_or_meta, sdo, "an SDO"};

void seen_order(const bj::object& o, const Path& at, Ctx& ctx) {
  check_order(o, "first_seen", "last_seen", false, at, ctx);
}

// observed-data object_refs: the anyOf of observed-data.json (an id that is
// not an SDO's, or anything starting with an SCO or SRO type and "--").
// Returns the type of the identifier ("" when it is none).
SV observed_ref(const bj::value& v, const Path& at, Ctx& ctx) {
  if (!v.is_string()) {
    ctx.error(at, "schema.type", "reference must be a string");
    return {};
  }
  const SV s = v.get_string();
  SV type;
  const bool is_id = parse_identifier(s, &type);
  // The schema's two regular expressions: "^(<SDO type>)" (any prefix) and
  // "^(<SCO type>|relationship|sighting)--" (artifact missing from its list).
  bool sdo_prefix = false;
  for (SV p : sdo_types()) {
    if (!s.empty() && p[0] == s[0] && starts_with(s, p)) {
      sdo_prefix = true;
      break;
    }
  }
  // No type name contains "--", so the prefix before the first "--" is the
  // only candidate.
  const SV head = s.substr(0, s.find("--"));
  const Kind head_kind = head.size() < s.size() ? kind_of(head) : Kind::kCustom;
  const bool sco_prefix =
      (head_kind == Kind::kSco && head != "artifact") || head_kind == Kind::kSro;
  if (!((is_id && !sdo_prefix) || sco_prefix)) {
    ctx.error(at, "schema.ref-type", "observed-data object_refs must point to SCOs or SROs");
  } else if (!is_id) {
    ctx.error(at, "spec.identifier", cat({"'", s, "' is not a STIX identifier (type--UUID)"}));
  } else if (const Kind k = kind_of(type); k == Kind::kMeta || k == Kind::kBundle) {
    ctx.error(at, "spec.ref-type", "observed-data object_refs must point to SCOs or SROs");
  }
  return is_id ? type : SV();
}

void observed_refs(const bj::value& v, const Path& at, Ctx& ctx) {
  if (!v.is_array()) {
    ctx.error(at, "schema.type", "value must be a list of identifiers");
    return;
  }
  const auto& a = v.get_array();
  if (a.empty()) ctx.error(at, "schema.min-items", "list must not be empty");
  bool has_sco = false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    const SV type = observed_ref(a[i], at / i, ctx);
    if (!type.empty()) has_sco = has_sco || (type != "relationship" && type != "sighting");
  }
  if (!a.empty() && !has_sco) {
    ctx.error(at, "spec.observed-sco", "observed-data object_refs must contain an SCO");
  }
}

// observed-data "objects" (deprecated): a dictionary of SCOs that refer to each
// other by key.
void observed_objects(const bj::value& v, const Path& at, Ctx& ctx) {
  if (!v.is_object()) {
    ctx.error(at, "schema.type", "objects must be an object");
    return;
  }
  const auto& o = v.get_object();
  if (o.empty()) ctx.error(at, "schema.min-properties", "objects must not be empty");
  ctx.warning(at, "spec.deprecated", "observed-data 'objects' is deprecated; use object_refs");
  const SV outer_type = ctx.type;
  const bool outer_custom = ctx.custom;
  ctx.embedded = true;
  for (const auto& kv : o) {
    const Path child = at / kv.key();
    if (!kv.value().is_object()) {
      ctx.error(child, "schema.type", "an observed object must be an object");
      continue;
    }
    const auto& sco = kv.value().get_object();
    const auto* type = json::get_string(sco, "type");
    ctx.type = type ? SV(*type) : SV();
    const TypeRules* rules = type ? find_sco_rules(*type) : nullptr;
    ctx.custom = rules == nullptr;
    if (rules == nullptr && type != nullptr) {
      // The schema's "^artifact|directory|...|url$" rejects custom types
      // whose name contains a predefined SCO type name.
      static constexpr SV kNames[] = {"artifact",
                                      "directory",
                                      "file",
                                      "mutex",
                                      "process",
                                      "software",
                                      "user-account",
                                      "windows-registry-key",
                                      "x509-certificate",
                                      "autonomous-system",
                                      "domain-name",
                                      "email-addr",
                                      "email-message",
                                      "ipv4-addr",
                                      "ipv6-addr",
                                      "mac-addr",
                                      "network-traffic",
                                      "url"};
      if (search_alternation(*type, kNames)) {
        ctx.error(
            child / "type", "schema.type-name",
            cat({"custom observable type '", SV(*type), "' contains a predefined SCO type name"}));
      }
    }
    check_object_body(sco, rules, child, ctx);
  }
  ctx.embedded = false;
  ctx.type = outer_type;
  ctx.custom = outer_custom;
}

// ^[a-z0-9\-]+$
void relationship_type(const bj::value& v, const Path& at, Ctx& ctx) {
  if (!v.is_string()) {
    ctx.error(at, "schema.type", "value must be a string");
    return;
  }
  const SV s = v.get_string();
  bool ok = !s.empty();
  for (char c : s) ok = ok && (is_lower_alnum(c) || c == '-');
  if (!ok) {
    ctx.error(at, "schema.relationship-type",
              "relationship_type must be made of a-z, 0-9 and hyphens");
  }
}

constexpr Prop kAttackPattern[] = {
    {"name", string, kRequired},
    {"description", string},
    {"aliases", string_list},
    {"kill_chain_phases", kill_chain_phases},
};
constexpr Prop kCampaign[] = {
    {"name", string, kRequired}, {"description", string},  {"aliases", string_list_min1},
    {"first_seen", timestamp},   {"last_seen", timestamp}, {"objective", string},
};
constexpr Prop kCourseOfAction[] = {
    {"name", string, kRequired},
    {"description", string},
};
constexpr Prop kGrouping[] = {
    {"name", string},
    {"description", string},
    {"context", vocab<&kGroupingContextOv>, kRequired},
    {"object_refs", identifier_list, kRequired},
};
constexpr Prop kIdentity[] = {
    {"name", string, kRequired},
    {"description", string},
    {"roles", string_list_min1},
    {"identity_class", vocab<&kIdentityClassOv>},
    {"sectors", vocab_list<&kIndustrySectorOv>},
    {"contact_information", string},
};
constexpr Prop kIncident[] = {
    {"name", string, kRequired},
    {"description", string},
    {"kill_chain_phases", spec_typed<kill_chain_phases>},
};
constexpr Prop kIndicator[] = {
    {"name", string},
    {"description", string},
    {"indicator_types", vocab_list<&kIndicatorTypeOv>},
    {"pattern", string, kRequired},
    {"pattern_type", vocab<&kPatternTypeOv>, kRequired},
    {"pattern_version", string},
    {"valid_from", timestamp, kRequired},
    {"valid_until", timestamp},
    {"kill_chain_phases", kill_chain_phases},
};
constexpr Prop kInfrastructure[] = {
    {"name", string, kRequired},
    {"description", string},
    {"infrastructure_types", vocab_list<&kInfrastructureTypeOv>},
    {"aliases", string_list_min1},
    {"kill_chain_phases", kill_chain_phases},
    {"first_seen", timestamp},
    {"last_seen", timestamp},
};
constexpr Prop kIntrusionSet[] = {
    {"name", string, kRequired},
    {"description", string},
    {"aliases", string_list_min1},
    {"first_seen", timestamp},
    {"last_seen", timestamp},
    {"goals", string_list_min1},
    {"resource_level", vocab<&kAttackResourceLevelOv>},
    {"primary_motivation", vocab<&kAttackMotivationOv>},
    {"secondary_motivations", vocab_list<&kAttackMotivationOv>},
};
constexpr Prop kLocation[] = {
    {"name", string},
    {"description", string},
    {"latitude", number_in<-90, 90>},
    {"longitude", number_in<-180, 180>},
    {"precision", number},
    {"region", vocab<&kRegionOv>},
    {"country", string},
    {"administrative_area", string},
    {"city", string},
    {"street_address", string},
    {"postal_code", string},
};
constexpr Prop kMalware[] = {
    {"name", string},
    {"description", string},
    {"malware_types", vocab_list<&kMalwareTypeOv>},
    {"is_family", boolean, kRequired},
    {"aliases", string_list_min1},
    {"kill_chain_phases", kill_chain_phases},
    {"first_seen", timestamp},
    {"last_seen", timestamp},
    {"operating_system_refs", id_refs<&kSoftware>},
    {"architecture_execution_envs", vocab_list<&kProcessorArchitectureOv>},
    {"implementation_languages", vocab_list<&kImplementationLanguageOv>},
    {"capabilities", vocab_list<&kMalwareCapabilitiesOv>},
    {"sample_refs", sco_refs<&kFileOrArtifact>},
};
constexpr Prop kMalwareAnalysis[] = {
    {"product", string, kRequired},
    {"version", string},
    {"host_vm_ref", id_ref<&kSoftware>},
    {"operating_system_ref", id_ref<&kSoftware>},
    {"installed_software_refs", id_refs<&kSoftware>},
    {"configuration_version", string},
    {"modules", string_list_min1},
    {"analysis_engine_version", string},
    {"analysis_definition_version", string},
    {"submitted", timestamp},
    {"analysis_started", timestamp},
    {"analysis_ended", timestamp},
    {"result_name", string},
    {"result", vocab<&kMalwareResultOv>},
    {"analysis_sco_refs", id_refs<&kAnalysisSco>},
    {"sample_ref", id_ref<&kAnalysisSample>},
};
constexpr Prop kNote[] = {
    {"abstract", string},
    {"content", string, kRequired},
    {"authors", string_list_min1},
    {"object_refs", identifier_list, kRequired},
};
constexpr Prop kObservedDataProps[] = {
    {"first_observed", timestamp, kRequired},
    {"last_observed", timestamp, kRequired},
    {"number_observed", integer_in<1, 999999999>, kRequired},
    {"objects", observed_objects},
    {"object_refs", observed_refs},
};
constexpr Prop kOpinion[] = {
    {"explanation", string},
    {"authors", string_list_min1},
    {"object_refs", identifier_list, kRequired},
    {"opinion", vocab<&kOpinionEnum>, kRequired},
};
constexpr Prop kReport[] = {
    {"name", string, kRequired},
    {"description", string},
    {"report_types", vocab_list<&kReportTypeOv>},
    {"published", timestamp, kRequired},
    {"object_refs", identifier_list, kRequired},
};
constexpr Prop kThreatActor[] = {
    {"name", string, kRequired},
    {"description", string},
    {"threat_actor_types", vocab_list<&kThreatActorTypeOv>},
    {"aliases", string_list_min1},
    {"first_seen", timestamp},
    {"last_seen", timestamp},
    {"roles", vocab_list<&kThreatActorRoleOv>},
    {"goals", string_list_min1},
    {"sophistication", vocab<&kThreatActorSophisticationOv>},
    {"resource_level", vocab<&kAttackResourceLevelOv>},
    {"primary_motivation", vocab<&kAttackMotivationOv>},
    {"secondary_motivations", vocab_list<&kAttackMotivationOv>},
    {"personal_motivations", vocab_list<&kAttackMotivationOv>},
};
constexpr Prop kTool[] = {
    {"name", string, kRequired},
    {"description", string},
    {"tool_types", vocab_list<&kToolTypeOv>},
    {"aliases", string_list_min1},
    {"kill_chain_phases", kill_chain_phases},
    {"tool_version", string},
};
constexpr Prop kVulnerability[] = {
    {"name", string, kRequired},
    {"description", string},
};
constexpr Prop kRelationship[] = {
    {"relationship_type", relationship_type, kRequired},
    {"description", string},
    {"source_ref", id_ref<&kRelationshipEnd>, kRequired},
    {"target_ref", id_ref<&kRelationshipEnd>, kRequired},
    {"start_time", timestamp},
    {"stop_time", timestamp},
};
constexpr Prop kSighting[] = {
    {"description", spec_typed<string>},  // not in sighting.json
    {"first_seen", timestamp},
    {"last_seen", timestamp},
    {"count", integer_in<0, 999999999>},
    {"sighting_of_ref", id_ref<&kSightingOf>, kRequired},
    {"observed_data_refs", id_refs<&kObservedData>},
    {"where_sighted_refs", id_refs<&kIdentityOrLocation>},
    {"summary", boolean},
};

void indicator_extra(const bj::object& o, const Path& at, Ctx& ctx) {
  check_order(o, "valid_from", "valid_until", true, at, ctx);
  // A STIX pattern must be a valid one (syntax and the rules of part 9).
  const auto type = o.find("pattern_type");
  const auto pattern = o.find("pattern");
  if (type == o.end() || pattern == o.end() || !type->value().is_string() ||
      type->value().get_string() != "stix" || !pattern->value().is_string()) {
    return;
  }
  const auto problems = pattern_problems(pattern->value().get_string());
  for (const auto& p : problems) ctx.error(at / "pattern", "spec.pattern", p.to_string());
}

void location_extra(const bj::object& o, const Path& at, Ctx& ctx) {
  const bool lat = o.contains("latitude"), lon = o.contains("longitude");
  if (!o.contains("region") && !o.contains("country") && !(lat && lon)) {
    ctx.error(at, "schema.location",
              "a location needs a region, a country, or latitude and longitude");
  }
  if (lat != lon) {
    ctx.error(at, "schema.location", "latitude and longitude go together");
  }
  if (o.contains("precision") && !(lat && lon)) {
    ctx.error(at / "precision", "schema.location", "precision needs latitude and longitude");
  }
}

void malware_extra(const bj::object& o, const Path& at, Ctx& ctx) {
  const auto it = o.find("is_family");
  if (it != o.end() && it->value().is_bool() && it->value().get_bool() && !o.contains("name")) {
    ctx.error(at, "schema.required", "a malware family (is_family true) needs a name");
  }
  seen_order(o, at, ctx);
}

void malware_analysis_extra(const bj::object& o, const Path& at, Ctx& ctx) {
  if (!o.contains("result") && !o.contains("analysis_sco_refs")) {
    ctx.error(at, "schema.required", "a malware-analysis needs a result or analysis_sco_refs");
  }
}

void observed_data_extra(const bj::object& o, const Path& at, Ctx& ctx) {
  const bool objects = o.contains("objects"), refs = o.contains("object_refs");
  if (objects == refs) {
    ctx.error(at, "schema.observed-data",
              "observed-data has exactly one of object_refs and objects");
  }
  check_order(o, "first_observed", "last_observed", false, at, ctx);
}

void relationship_extra(const bj::object& o, const Path& at, Ctx& ctx) {
  check_order(o, "start_time", "stop_time", true, at, ctx);
  const auto* type = json::get_string(o, "relationship_type");
  const auto* source = json::get_string(o, "source_ref");
  const auto* target = json::get_string(o, "target_ref");
  SV source_type, target_type;
  if (type == nullptr || source == nullptr || target == nullptr ||
      !parse_identifier(*source, &source_type) || !parse_identifier(*target, &target_type)) {
    return;
  }
  if (kind_of(source_type) == Kind::kCustom || kind_of(target_type) == Kind::kCustom) return;
  if (!known_relationship(source_type, *type, target_type)) {
    ctx.warning(at / "relationship_type", "spec.relationship-type",
                cat({"the spec defines no '", SV(*type), "' relationship from ", source_type,
                     " to ", target_type}));
  }
}

#define ATIO_TYPE(name, table, extra) \
  TypeRules { name, Base::kCore, table, extra }
const TypeRules kRules[] = {
    ATIO_TYPE("attack-pattern", kAttackPattern, nullptr),
    ATIO_TYPE("campaign", kCampaign, seen_order),
    ATIO_TYPE("course-of-action", kCourseOfAction, nullptr),
    ATIO_TYPE("grouping", kGrouping, nullptr),
    ATIO_TYPE("identity", kIdentity, nullptr),
    ATIO_TYPE("incident", kIncident, nullptr),
    ATIO_TYPE("indicator", kIndicator, indicator_extra),
    ATIO_TYPE("infrastructure", kInfrastructure, seen_order),
    ATIO_TYPE("intrusion-set", kIntrusionSet, seen_order),
    ATIO_TYPE("location", kLocation, location_extra),
    ATIO_TYPE("malware", kMalware, malware_extra),
    ATIO_TYPE("malware-analysis", kMalwareAnalysis, malware_analysis_extra),
    ATIO_TYPE("note", kNote, nullptr),
    ATIO_TYPE("observed-data", kObservedDataProps, observed_data_extra),
    ATIO_TYPE("opinion", kOpinion, nullptr),
    ATIO_TYPE("report", kReport, nullptr),
    ATIO_TYPE("threat-actor", kThreatActor, seen_order),
    ATIO_TYPE("tool", kTool, nullptr),
    ATIO_TYPE("vulnerability", kVulnerability, nullptr),
    ATIO_TYPE("relationship", kRelationship, relationship_extra),
    ATIO_TYPE("sighting", kSighting, seen_order),
};
#undef ATIO_TYPE

}  // namespace

const TypeRules* find_sdo_rules(std::string_view type) {
  for (const auto& r : kRules) {
    if (r.type == type) return &r;
  }
  return nullptr;
}

}  // namespace atio::stix::check
