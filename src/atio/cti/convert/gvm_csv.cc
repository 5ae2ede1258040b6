#include "atio/cti/convert/gvm_csv.h"

#include <charconv>

#include "atio/cti/convert/gvm_fields.h"
#include "atio/cti/convert/gvm_stix.h"

namespace atio::convert::gvm {

namespace {

// The columns atio reads, by their header names.
struct Columns {
  int ip = -1, hostname = -1, port = -1, protocol = -1, cvss = -1, severity = -1, qod = -1,
      solution_type = -1, nvt_name = -1, summary = -1, specific = -1, oid = -1, cves = -1,
      task_name = -1, timestamp = -1, result_id = -1, impact = -1, solution = -1, affected = -1,
      insight = -1, bids = -1, certs = -1, other_refs = -1;
};

Columns columns_of(const std::vector<std::string_view>& header) {
  Columns c;
  const std::pair<std::string_view, int*> names[] = {{"IP", &c.ip},
                                                     {"Hostname", &c.hostname},
                                                     {"Port", &c.port},
                                                     {"Port Protocol", &c.protocol},
                                                     {"CVSS", &c.cvss},
                                                     {"Severity", &c.severity},
                                                     {"QoD", &c.qod},
                                                     {"Solution Type", &c.solution_type},
                                                     {"NVT Name", &c.nvt_name},
                                                     {"Summary", &c.summary},
                                                     {"Specific Result", &c.specific},
                                                     {"NVT OID", &c.oid},
                                                     {"CVEs", &c.cves},
                                                     {"Task Name", &c.task_name},
                                                     {"Timestamp", &c.timestamp},
                                                     {"Result ID", &c.result_id},
                                                     {"Impact", &c.impact},
                                                     {"Solution", &c.solution},
                                                     {"Affected Software/OS", &c.affected},
                                                     {"Vulnerability Insight", &c.insight},
                                                     {"BIDs", &c.bids},
                                                     {"CERTs", &c.certs},
                                                     {"Other References", &c.other_refs}};
  for (std::size_t i = 0; i < header.size(); ++i) {
    for (const auto& [name, slot] : names) {
      if (trim(header[i]) == name && *slot < 0) *slot = static_cast<int>(i);
    }
  }
  return c;
}

void read_row(const std::vector<std::string_view>& f, const Columns& c, Result* r) {
  auto get = [&](int i) { return i < 0 ? std::string_view() : trim(f[i]); };
  *r = Result();
  r->host = get(c.ip);
  r->hostname = get(c.hostname);
  r->port = get(c.port);
  r->protocol = get(c.protocol);
  r->severity = parse_score(get(c.cvss));
  r->threat = get(c.severity);
  std::string_view qod = get(c.qod);
  int q = 0;
  if (!qod.empty() && std::from_chars(qod.data(), qod.data() + qod.size(), q).ec == std::errc()) {
    r->qod = q;
  }
  r->description = get(c.specific);
  r->time = get(c.timestamp);
  r->id = get(c.result_id);
  Nvt& n = r->nvt;
  n.oid = get(c.oid);
  n.name = get(c.nvt_name);
  // The CSV export has one score per row: the result's, which is the NVT's
  // unless an override changed it.
  n.cvss_base = r->severity;
  n.threat = r->threat;
  n.summary = get(c.summary);
  n.insight = get(c.insight);
  n.impact = get(c.impact);
  n.affected = get(c.affected);
  n.solution = get(c.solution);
  n.solution_type = get(c.solution_type);
  add_cves(get(c.cves), &n);
  std::vector<std::string_view> items;
  split_list(get(c.bids), &items);
  for (std::string_view b : items) n.refs.push_back({"bid", b});
  items.clear();
  split_list(get(c.certs), &items);
  for (std::string_view cert : items) add_cert(cert, &n.refs);
  items.clear();
  split_list(get(c.other_refs), &items);
  for (std::string_view u : items) n.refs.push_back({"url", u});
}

}  // namespace

Status convert_csv(std::string& buffer, std::string_view input_name, const Options& options,
                   Output& out, Report& report) {
  CsvReader csv(buffer);
  std::vector<std::string_view> header, fields;
  std::size_t line = 0;
  bool unterminated = false;
  if (!csv.next(&header, &line, &unterminated)) {
    return Status(Code::kInvalidArgument, std::string(input_name) + ": empty input");
  }
  const Columns c = columns_of(header);
  if (c.ip < 0 || c.oid < 0) {
    return Status(Code::kInvalidArgument,
                  std::string(input_name) +
                      ": not a GVM report: neither XML nor a CSV results export (the first "
                      "line has no \"IP\" and \"NVT OID\" columns)");
  }
  StixBuilder builder(input_name, options, report);
  Scan scan;
  Result r;
  std::size_t index = 0;
  while (csv.next(&fields, &line, &unterminated)) {
    const Location at{line, index++};
    if (unterminated) {
      builder.fail(at, "unterminated quoted field", "the input ends inside quotes");
      break;
    }
    if (fields.size() != header.size()) {
      builder.fail(at, "wrong number of fields",
                   std::to_string(fields.size()) + " fields, the header has " +
                       std::to_string(header.size()));
      continue;
    }
    read_row(fields, c, &r);
    if (scan.name.empty() && c.task_name >= 0) scan.name = trim(fields[c.task_name]);
    builder.add(r, at);
  }
  return builder.write(scan, out);
}

}  // namespace atio::convert::gvm
