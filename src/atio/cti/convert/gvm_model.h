// What the GVM readers (gvm_xml.cc, gvm_csv.cc) hand to the STIX builder
// (gvm_stix.h): one scan, its results, the NVTs they name and what the
// report says about each host, in the words of the scanner.
//
// Every string is a view into the input buffer the reader parsed in place;
// the buffer outlives the builder, so nothing is copied until the STIX
// objects are made.
#pragma once

#include <optional>
#include <string_view>
#include <vector>

namespace atio::convert::gvm {

// Options of the gvm -> stix converter.
struct Options {
  // Keep informational (Log) results that name no CVE instead of skipping
  // them (they describe the host, e.g. "OS detection", not a weakness).
  bool include_log = false;
};

// One reference an NVT gives besides its CVEs: {"url", "https://..."},
// {"cwe", "CWE-79"}, {"cert-bund", "WID-SEC-2025-1850"}, {"bid", "6939"}.
struct NvtRef {
  std::string_view type;  // lower case as GVM writes it in GMP refs
  std::string_view id;
};

// A Network Vulnerability Test: what a finding is, the same for every host.
struct Nvt {
  std::string_view oid;
  std::string_view name;
  std::string_view family;
  std::optional<double> cvss_base;
  std::string_view cvss_vector;
  // What the threat field says when the NVT has no score ("High", "Log").
  std::string_view threat;
  std::string_view summary, insight, impact, affected, solution, solution_type;
  std::vector<std::string_view> cves;  // "CVE-2011-3389", in input order
  std::vector<NvtRef> refs;
};

// One result: an NVT that fired on one host (and port).
struct Result {
  std::string_view id;             // GVM result UUID, when given
  std::string_view host;           // the address as written (IP, sometimes a name)
  std::string_view hostname;       // when the scanner resolved one
  std::string_view port;           // "443/tcp", "http (80/tcp)", "general/tcp", CSV "443", or ""
  std::string_view protocol;       // CSV "Port Protocol" ("tcp"); empty in XML
  std::string_view threat;         // "High", "Medium", "Low", "Log", "False Positive", "Error"
  std::optional<double> severity;  // the result's score after overrides
  std::optional<int> qod;          // quality of detection, percent
  std::string_view description;    // what the NVT found on this host
  std::string_view time;           // creation time, when given
  Nvt nvt;  // filled by the reader only when the builder does not know nvt.oid yet
};

// What the report says about one host beyond its results.
struct HostInfo {
  std::string_view ip;
  std::string_view hostname;
  std::string_view os;  // best_os_txt, or the first "OS" detail that is not a CPE
  std::string_view start, end;
};

// The scan as a whole.
struct Scan {
  std::string_view report_id;
  std::string_view name;  // task name, else report name
  std::string_view scan_start, scan_end, created;
  std::vector<HostInfo> hosts;
};

}  // namespace atio::convert::gvm
