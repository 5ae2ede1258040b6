// Reading the small text fields of GVM reports the same way whether they
// came from XML or CSV: scores and threat levels, comma lists of CVEs and
// references, NVT tags ("summary=...|insight=..."), ports and addresses.
// Pure functions over string views; nothing here allocates except where a
// normalised form has to differ from the input (addresses, ports).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "atio/cti/convert/gvm_model.h"

namespace atio::convert::gvm {

std::string_view trim(std::string_view s);

// "9.8", " 10.0 " -> the number; nullopt when empty or not a number.
std::optional<double> parse_score(std::string_view s);

// How serious a result or an NVT is. GVM writes a score (CVSS base, or the
// result's severity after overrides) and a threat word derived from it; the
// negative scores are GVM's markers for results that are not findings.
enum class Level { kCritical, kHigh, kMedium, kLow, kLog, kFalsePositive, kError, kUnknown };

// The mapping (x_atio_severity), on the CVSS v3.x qualitative rating scale
// that GVM 22+ also uses, with GVM's "Log" for a score of 0:
//   9.0-10.0 critical, 7.0-8.9 high, 4.0-6.9 medium, 0.1-3.9 low, 0.0 log;
//   -1 false positive, -2 debug (log), -3 error.
Level level_from_score(double score);
// "Critical", "High", "Medium", "Low", "Log", "Debug", "False Positive",
// "Error" (any case); kUnknown otherwise (also for "").
Level level_from_threat(std::string_view threat);
// The score decides when there is one (GVM derives the threat word from it);
// the threat word only when there is none.
Level level_of(std::optional<double> score, std::string_view threat);
// "critical", "high", "medium", "low", "log", "false positive", "error", "unknown".
const char* level_name(Level level);
// True for the levels that are findings (critical..log).
bool is_finding(Level level);

// Splits a comma list, trimming each item and leaving out empty items and
// GVM's placeholders (NOCVE, NOBID, NOXREF).
void split_list(std::string_view list, std::vector<std::string_view>* out);

// Appends the CVE ids of a comma list ("CVE-2011-3563, CVE-2012-0499") to
// nvt->cves. An item that is not a CVE id (CVE-YYYY-NNNN...) is kept as a
// reference of type "openvas-cve" instead: a "cve" external reference must
// hold a well-formed id.
void add_cves(std::string_view list, Nvt* nvt);
bool is_cve_id(std::string_view id);

// Fills summary, insight, impact, affected, solution, solution_type and
// cvss_vector (when still empty) of `nvt` from GVM's tag string
// "key=value|key=value". A '|' belongs to the value unless a "key=" follows.
void parse_tags(std::string_view tags, Nvt* nvt);

// Adds one reference of a CSV "CERTs" list, telling CERT-Bund from DFN-CERT
// ids by their prefix.
void add_cert(std::string_view id, std::vector<NvtRef>* refs);

// The port of a result in one form: "443/tcp" for "443/tcp", "https (443/tcp)"
// and CSV port 443 with protocol tcp. `label` keeps what names no port number
// ("general/tcp", "general/icmp"); `service` the name GVM put before it.
struct Port {
  std::string number;  // "443/tcp", or "" when no port number is named
  std::string_view service;
  std::string_view label;
};
Port parse_port(std::string_view port, std::string_view protocol);

enum class AddressKind { kIpv4, kIpv6, kOther };
// What a host address is; for IP addresses `canonical` gets the canonical
// text form (RFC 5952 for IPv6) so one host always gives one SCO id.
AddressKind classify_address(std::string_view address, std::string* canonical);

// True when `name` is a syntactically valid DNS name (RFC 1034/1123 labels,
// not all-numeric): what a domain-name SCO may hold.
bool is_dns_name(std::string_view name);

}  // namespace atio::convert::gvm
