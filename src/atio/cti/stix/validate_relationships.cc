// The relationship types the STIX 2.1 spec defines per source and target
// type (the "Relationships" tables of sections 4 and 6). Others are allowed
// but warned about.
#include "atio/cti/stix/validate_check.h"

namespace atio::stix::check {

namespace {

using SV = std::string_view;

// Relationship types of the spec's "Relationships" tables (sections 4 and 6).
struct Edge {
  SV source;
  SV type;
  SV target;
};
constexpr SV kAnySco = "*sco";
constexpr Edge kEdges[] = {
    {"attack-pattern", "delivers", "malware"},
    {"attack-pattern", "targets", "identity"},
    {"attack-pattern", "targets", "location"},
    {"attack-pattern", "targets", "vulnerability"},
    {"attack-pattern", "uses", "malware"},
    {"attack-pattern", "uses", "tool"},
    {"campaign", "attributed-to", "intrusion-set"},
    {"campaign", "attributed-to", "threat-actor"},
    {"campaign", "compromises", "infrastructure"},
    {"campaign", "originates-from", "location"},
    {"campaign", "targets", "identity"},
    {"campaign", "targets", "location"},
    {"campaign", "targets", "vulnerability"},
    {"campaign", "uses", "attack-pattern"},
    {"campaign", "uses", "infrastructure"},
    {"campaign", "uses", "malware"},
    {"campaign", "uses", "tool"},
    {"course-of-action", "investigates", "indicator"},
    {"course-of-action", "mitigates", "attack-pattern"},
    {"course-of-action", "mitigates", "indicator"},
    {"course-of-action", "mitigates", "malware"},
    {"course-of-action", "mitigates", "tool"},
    {"course-of-action", "mitigates", "vulnerability"},
    {"course-of-action", "remediates", "malware"},
    {"course-of-action", "remediates", "vulnerability"},
    {"identity", "located-at", "location"},
    {"indicator", "based-on", "observed-data"},
    {"indicator", "indicates", "attack-pattern"},
    {"indicator", "indicates", "campaign"},
    {"indicator", "indicates", "infrastructure"},
    {"indicator", "indicates", "intrusion-set"},
    {"indicator", "indicates", "malware"},
    {"indicator", "indicates", "threat-actor"},
    {"indicator", "indicates", "tool"},
    {"infrastructure", "communicates-with", "infrastructure"},
    {"infrastructure", "communicates-with", "ipv4-addr"},
    {"infrastructure", "communicates-with", "ipv6-addr"},
    {"infrastructure", "communicates-with", "domain-name"},
    {"infrastructure", "communicates-with", "url"},
    {"infrastructure", "consists-of", "infrastructure"},
    {"infrastructure", "consists-of", "observed-data"},
    {"infrastructure", "consists-of", kAnySco},
    {"infrastructure", "controls", "infrastructure"},
    {"infrastructure", "controls", "malware"},
    {"infrastructure", "delivers", "malware"},
    {"infrastructure", "has", "vulnerability"},
    {"infrastructure", "hosts", "tool"},
    {"infrastructure", "hosts", "malware"},
    {"infrastructure", "located-at", "location"},
    {"infrastructure", "uses", "infrastructure"},
    {"intrusion-set", "attributed-to", "threat-actor"},
    {"intrusion-set", "compromises", "infrastructure"},
    {"intrusion-set", "hosts", "infrastructure"},
    {"intrusion-set", "originates-from", "location"},
    {"intrusion-set", "owns", "infrastructure"},
    {"intrusion-set", "targets", "identity"},
    {"intrusion-set", "targets", "location"},
    {"intrusion-set", "targets", "vulnerability"},
    {"intrusion-set", "uses", "attack-pattern"},
    {"intrusion-set", "uses", "infrastructure"},
    {"intrusion-set", "uses", "malware"},
    {"intrusion-set", "uses", "tool"},
    {"malware", "authored-by", "threat-actor"},
    {"malware", "authored-by", "intrusion-set"},
    {"malware", "beacons-to", "infrastructure"},
    {"malware", "exfiltrates-to", "infrastructure"},
    {"malware", "communicates-with", "ipv4-addr"},
    {"malware", "communicates-with", "ipv6-addr"},
    {"malware", "communicates-with", "domain-name"},
    {"malware", "communicates-with", "url"},
    {"malware", "controls", "malware"},
    {"malware", "downloads", "malware"},
    {"malware", "downloads", "file"},
    {"malware", "downloads", "tool"},
    {"malware", "drops", "malware"},
    {"malware", "drops", "file"},
    {"malware", "drops", "tool"},
    {"malware", "exploits", "vulnerability"},
    {"malware", "originates-from", "location"},
    {"malware", "targets", "identity"},
    {"malware", "targets", "infrastructure"},
    {"malware", "targets", "location"},
    {"malware", "targets", "vulnerability"},
    {"malware", "uses", "attack-pattern"},
    {"malware", "uses", "infrastructure"},
    {"malware", "uses", "malware"},
    {"malware", "uses", "tool"},
    {"malware", "variant-of", "malware"},
    {"malware-analysis", "characterizes", "malware"},
    {"malware-analysis", "analysis-of", "malware"},
    {"malware-analysis", "static-analysis-of", "malware"},
    {"malware-analysis", "dynamic-analysis-of", "malware"},
    {"threat-actor", "attributed-to", "identity"},
    {"threat-actor", "compromises", "infrastructure"},
    {"threat-actor", "hosts", "infrastructure"},
    {"threat-actor", "impersonates", "identity"},
    {"threat-actor", "located-at", "location"},
    {"threat-actor", "owns", "infrastructure"},
    {"threat-actor", "targets", "identity"},
    {"threat-actor", "targets", "location"},
    {"threat-actor", "targets", "vulnerability"},
    {"threat-actor", "uses", "attack-pattern"},
    {"threat-actor", "uses", "infrastructure"},
    {"threat-actor", "uses", "malware"},
    {"threat-actor", "uses", "tool"},
    {"tool", "delivers", "malware"},
    {"tool", "drops", "malware"},
    {"tool", "has", "vulnerability"},
    {"tool", "targets", "identity"},
    {"tool", "targets", "infrastructure"},
    {"tool", "targets", "location"},
    {"tool", "targets", "vulnerability"},
    {"tool", "uses", "infrastructure"},
    {"domain-name", "resolves-to", "domain-name"},
    {"domain-name", "resolves-to", "ipv4-addr"},
    {"domain-name", "resolves-to", "ipv6-addr"},
    {"ipv4-addr", "resolves-to", "mac-addr"},
    {"ipv4-addr", "belongs-to", "autonomous-system"},
    {"ipv6-addr", "resolves-to", "mac-addr"},
    {"ipv6-addr", "belongs-to", "autonomous-system"},
};

}  // namespace

bool known_relationship(std::string_view source, std::string_view relationship_type,
                        std::string_view target) {
  if (relationship_type == "related-to" || relationship_type == "derived-from" ||
      relationship_type == "duplicate-of") {
    return true;
  }
  const bool target_sco = kind_of(target) == Kind::kSco;
  for (const Edge& e : kEdges) {
    if (e.source == source && e.type == relationship_type &&
        (e.target == target || (e.target == kAnySco && target_sco))) {
      return true;
    }
  }
  return false;
}

}  // namespace atio::stix::check
