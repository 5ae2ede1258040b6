// STIX 2.1 vocabularies (section 10) and the closed enumerations of the OASIS
// schemas.
#include "atio/cti/stix/validate_check.h"

namespace atio::stix::check {

namespace {

using SV = std::string_view;

constexpr SV kAccountType[] = {"unix",    "windows-local", "windows-domain", "ldap",     "tacacs",
                               "radius",  "nis",           "openid",         "facebook", "skype",
                               "twitter", "kavi"};
constexpr SV kAttackMotivation[] = {"accidental",    "coercion",
                                    "dominance",     "ideology",
                                    "notoriety",     "organizational-gain",
                                    "personal-gain", "personal-satisfaction",
                                    "revenge",       "unpredictable"};
constexpr SV kAttackResourceLevel[] = {"individual", "club",         "contest",
                                       "team",       "organization", "government"};
constexpr SV kGroupingContext[] = {"suspicious-activity", "malware-analysis", "unspecified"};
constexpr SV kHashAlgorithm[] = {"MD5",      "SHA-1",    "SHA-256", "SHA-512",
                                 "SHA3-256", "SHA3-512", "SSDEEP",  "TLSH"};
constexpr SV kIdentityClass[] = {"individual",   "group", "system",
                                 "organization", "class", "unknown"};
constexpr SV kImplementationLanguage[] = {
    "applescript", "bash",  "c",           "c++",        "c#",           "go",         "java",
    "javascript",  "lua",   "objective-c", "perl",       "php",          "powershell", "python",
    "ruby",        "scala", "swift",       "typescript", "visual-basic", "x86-32",     "x86-64"};
constexpr SV kIndicatorType[] = {"anomalous-activity", "anonymization", "benign", "compromised",
                                 "malicious-activity", "attribution",   "unknown"};
constexpr SV kIndustrySector[] = {"agriculture",
                                  "aerospace",
                                  "automotive",
                                  "chemical",
                                  "commercial",
                                  "communications",
                                  "construction",
                                  "defense",
                                  "education",
                                  "energy",
                                  "entertainment",
                                  "financial-services",
                                  "government",
                                  "emergency-services",
                                  "government-local",
                                  "government-national",
                                  "government-public-services",
                                  "government-regional",
                                  "healthcare",
                                  "hospitality-leisure",
                                  "infrastructure",
                                  "dams",
                                  "nuclear",
                                  "water",
                                  "insurance",
                                  "manufacturing",
                                  "mining",
                                  "non-profit",
                                  "pharmaceuticals",
                                  "retail",
                                  "technology",
                                  "telecommunications",
                                  "transportation",
                                  "utilities"};
constexpr SV kInfrastructureType[] = {
    "amplification",   "anonymization",        "botnet",   "command-and-control", "exfiltration",
    "hosting-malware", "hosting-target-lists", "phishing", "reconnaissance",      "staging",
    "unknown"};
constexpr SV kMalwareCapabilities[] = {"accesses-remote-machines",
                                       "anti-debugging",
                                       "anti-disassembly",
                                       "anti-emulation",
                                       "anti-memory-forensics",
                                       "anti-sandbox",
                                       "anti-vm",
                                       "captures-input-peripherals",
                                       "captures-output-peripherals",
                                       "captures-system-state-data",
                                       "cleans-traces-of-infection",
                                       "commits-fraud",
                                       "communicates-with-c2",
                                       "compromises-data-availability",
                                       "compromises-data-integrity",
                                       "compromises-system-availability",
                                       "controls-local-machine",
                                       "degrades-security-software",
                                       "degrades-system-updates",
                                       "determines-c2-server",
                                       "emails-spam",
                                       "escalates-privileges",
                                       "evades-av",
                                       "exfiltrates-data",
                                       "fingerprints-host",
                                       "hides-artifacts",
                                       "hides-executing-code",
                                       "infects-files",
                                       "infects-remote-machines",
                                       "installs-other-components",
                                       "persists-after-system-reboot",
                                       "prevents-artifact-access",
                                       "prevents-artifact-deletion",
                                       "probes-network-environment",
                                       "self-modifies",
                                       "steals-authentication-credentials",
                                       "violates-system-operational-integrity"};
constexpr SV kMalwareResult[] = {"malicious", "suspicious", "benign", "unknown"};
constexpr SV kMalwareType[] = {"adware",
                               "backdoor",
                               "bot",
                               "bootkit",
                               "ddos",
                               "downloader",
                               "dropper",
                               "exploit-kit",
                               "keylogger",
                               "ransomware",
                               "remote-access-trojan",
                               "resource-exploitation",
                               "rogue-security-software",
                               "rootkit",
                               "screen-capture",
                               "spyware",
                               "trojan",
                               "unknown",
                               "virus",
                               "webshell",
                               "wiper",
                               "worm"};
constexpr SV kPatternType[] = {"stix", "pcre", "sigma", "snort", "suricata", "yara"};
constexpr SV kProcessorArchitecture[] = {"alpha",   "arm",   "ia-64", "mips",
                                         "powerpc", "sparc", "x86",   "x86-64"};
constexpr SV kRegion[] = {"africa",
                          "eastern-africa",
                          "middle-africa",
                          "northern-africa",
                          "southern-africa",
                          "western-africa",
                          "americas",
                          "caribbean",
                          "central-america",
                          "latin-america-caribbean",
                          "northern-america",
                          "south-america",
                          "asia",
                          "central-asia",
                          "eastern-asia",
                          "southern-asia",
                          "south-eastern-asia",
                          "western-asia",
                          "europe",
                          "eastern-europe",
                          "northern-europe",
                          "southern-europe",
                          "western-europe",
                          "oceania",
                          "antarctica",
                          "australia-new-zealand",
                          "melanesia",
                          "micronesia",
                          "polynesia"};
constexpr SV kReportType[] = {"attack-pattern", "campaign", "identity",      "indicator",
                              "intrusion-set",  "malware",  "observed-data", "threat-actor",
                              "threat-report",  "tool",     "vulnerability"};
constexpr SV kThreatActorRole[] = {"agent",
                                   "director",
                                   "independent",
                                   "infrastructure-architect",
                                   "infrastructure-operator",
                                   "malware-author",
                                   "sponsor"};
constexpr SV kThreatActorSophistication[] = {"none",   "minimal",   "intermediate", "advanced",
                                             "expert", "innovator", "strategic"};
constexpr SV kThreatActorType[] = {"activist",
                                   "competitor",
                                   "crime-syndicate",
                                   "criminal",
                                   "hacker",
                                   "insider-accidental",
                                   "insider-disgruntled",
                                   "nation-state",
                                   "sensationalist",
                                   "spy",
                                   "terrorist",
                                   "unknown"};
constexpr SV kToolType[] = {
    "denial-of-service",       "exploitation",  "information-gathering",  "network-capture",
    "credential-exploitation", "remote-access", "vulnerability-scanning", "unknown"};
constexpr SV kWindowsPebinaryType[] = {"dll", "exe", "sys"};

constexpr SV kOpinion[] = {"strongly-disagree", "disagree", "neutral", "agree", "strongly-agree"};
constexpr SV kEncryptionAlgorithm[] = {"AES-256-GCM", "ChaCha20-Poly1305", "mime-type-indicated"};
constexpr SV kExtensionType[] = {"new-sdo", "new-sco", "new-sro", "property-extension",
                                 "toplevel-property-extension"};
constexpr SV kWindowsRegistryDatatype[] = {"REG_NONE",
                                           "REG_SZ",
                                           "REG_EXPAND_SZ",
                                           "REG_BINARY",
                                           "REG_DWORD",
                                           "REG_DWORD_BIG_ENDIAN",
                                           "REG_DWORD_LITTLE_ENDIAN",
                                           "REG_LINK",
                                           "REG_MULTI_SZ",
                                           "REG_RESOURCE_LIST",
                                           "REG_FULL_RESOURCE_DESCRIPTION",
                                           "REG_RESOURCE_REQUIREMENTS_LIST",
                                           "REG_QWORD",
                                           "REG_INVALID_TYPE"};
constexpr SV kSocketAddressFamily[] = {"AF_UNSPEC",  "AF_INET",  "AF_IPX",  "AF_APPLETALK",
                                       "AF_NETBIOS", "AF_INET6", "AF_IRDA", "AF_BTH"};
constexpr SV kSocketType[] = {"SOCK_STREAM", "SOCK_DGRAM", "SOCK_RAW", "SOCK_RDM",
                              "SOCK_SEQPACKET"};
constexpr SV kWindowsIntegrityLevel[] = {"low", "medium", "high", "system"};
constexpr SV kServiceStartType[] = {"SERVICE_AUTO_START", "SERVICE_BOOT_START",
                                    "SERVICE_DEMAND_START", "SERVICE_DISABLED",
                                    "SERVICE_SYSTEM_ALERT"};
constexpr SV kServiceType[] = {"SERVICE_KERNEL_DRIVER", "SERVICE_FILE_SYSTEM_DRIVER",
                               "SERVICE_WIN32_OWN_PROCESS", "SERVICE_WIN32_SHARE_PROCESS"};
constexpr SV kServiceStatus[] = {
    "SERVICE_CONTINUE_PENDING", "SERVICE_PAUSE_PENDING", "SERVICE_PAUSED", "SERVICE_RUNNING",
    "SERVICE_START_PENDING",    "SERVICE_STOP_PENDING",  "SERVICE_STOPPED"};

}  // namespace

#define ATIO_VOCAB(var, name, values, closed) \
  const Vocab var { name, values, closed }
ATIO_VOCAB(kAccountTypeOv, "account-type-ov", kAccountType, false);
ATIO_VOCAB(kAttackMotivationOv, "attack-motivation-ov", kAttackMotivation, false);
ATIO_VOCAB(kAttackResourceLevelOv, "attack-resource-level-ov", kAttackResourceLevel, false);
ATIO_VOCAB(kGroupingContextOv, "grouping-context-ov", kGroupingContext, false);
ATIO_VOCAB(kHashAlgorithmOv, "hashing-algorithm-ov", kHashAlgorithm, false);
ATIO_VOCAB(kIdentityClassOv, "identity-class-ov", kIdentityClass, false);
ATIO_VOCAB(kImplementationLanguageOv, "implementation-language-ov", kImplementationLanguage, false);
ATIO_VOCAB(kIndicatorTypeOv, "indicator-type-ov", kIndicatorType, false);
ATIO_VOCAB(kIndustrySectorOv, "industry-sector-ov", kIndustrySector, false);
ATIO_VOCAB(kInfrastructureTypeOv, "infrastructure-type-ov", kInfrastructureType, false);
ATIO_VOCAB(kMalwareCapabilitiesOv, "malware-capabilities-ov", kMalwareCapabilities, false);
ATIO_VOCAB(kMalwareResultOv, "malware-result-ov", kMalwareResult, false);
ATIO_VOCAB(kMalwareTypeOv, "malware-type-ov", kMalwareType, false);
ATIO_VOCAB(kPatternTypeOv, "pattern-type-ov", kPatternType, false);
ATIO_VOCAB(kProcessorArchitectureOv, "processor-architecture-ov", kProcessorArchitecture, false);
ATIO_VOCAB(kRegionOv, "region-ov", kRegion, false);
ATIO_VOCAB(kReportTypeOv, "report-type-ov", kReportType, false);
ATIO_VOCAB(kThreatActorRoleOv, "threat-actor-role-ov", kThreatActorRole, false);
ATIO_VOCAB(kThreatActorSophisticationOv, "threat-actor-sophistication-ov",
           kThreatActorSophistication, false);
ATIO_VOCAB(kThreatActorTypeOv, "threat-actor-type-ov", kThreatActorType, false);
ATIO_VOCAB(kToolTypeOv, "tool-type-ov", kToolType, false);
ATIO_VOCAB(kWindowsPebinaryTypeOv, "windows-pebinary-type-ov", kWindowsPebinaryType, false);
ATIO_VOCAB(kOpinionEnum, "opinion-enum", kOpinion, true);
ATIO_VOCAB(kEncryptionAlgorithmEnum, "encryption-algorithm-enum", kEncryptionAlgorithm, true);
ATIO_VOCAB(kExtensionTypeEnum, "extension-type-enum", kExtensionType, true);
ATIO_VOCAB(kWindowsRegistryDatatypeEnum, "windows-registry-datatype-enum", kWindowsRegistryDatatype,
           true);
ATIO_VOCAB(kSocketAddressFamilyEnum, "network-socket-address-family-enum", kSocketAddressFamily,
           true);
ATIO_VOCAB(kSocketTypeEnum, "network-socket-type-enum", kSocketType, true);
ATIO_VOCAB(kWindowsIntegrityLevelEnum, "windows-integrity-level-enum", kWindowsIntegrityLevel,
           true);
ATIO_VOCAB(kServiceStartTypeEnum, "windows-service-start-type-enum", kServiceStartType, true);
ATIO_VOCAB(kServiceTypeEnum, "windows-service-type-enum", kServiceType, true);
ATIO_VOCAB(kServiceStatusEnum, "windows-service-status-enum", kServiceStatus, true);
#undef ATIO_VOCAB

bool in_vocab(const Vocab& vocab, std::string_view value) {
  for (SV v : vocab.values) {
    if (v == value) return true;
  }
  return false;
}

void check_vocab(const bj::value& v, const Path& at, Ctx& ctx, const Vocab& vocab) {
  if (!v.is_string()) {
    ctx.error(at, "schema.type", "value must be a string");
  } else if (!in_vocab(vocab, v.get_string())) {
    if (vocab.closed) {
      ctx.error(at, "schema.enum", cat({"'", v.get_string(), "' is not in ", vocab.name}));
    } else {
      ctx.warning(at, "spec.vocabulary", cat({"'", v.get_string(), "' is not in ", vocab.name}));
    }
  }
}

void check_vocab_list(const bj::value& v, const Path& at, Ctx& ctx, const Vocab& vocab) {
  if (!v.is_array()) {
    ctx.error(at, "schema.type", "value must be a list of strings");
    return;
  }
  const auto& a = v.get_array();
  if (a.empty()) ctx.error(at, "schema.min-items", "list must not be empty");
  for (std::size_t i = 0; i < a.size(); ++i) check_vocab(a[i], at / i, ctx, vocab);
}

}  // namespace atio::stix::check
