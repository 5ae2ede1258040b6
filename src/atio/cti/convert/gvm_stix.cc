#include "atio/cti/convert/gvm_stix.h"

#include <array>
#include <boost/json/array.hpp>
#include <chrono>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "atio/cti/convert/gvm_fields.h"
#include "atio/cti/stix/ids.h"
#include "atio/cti/stix/object.h"
#include "atio/cti/stix/time.h"

namespace atio::convert::gvm {

namespace bj = boost::json;

namespace {

// One identity for the scanner in every bundle: stores that merge bundles
// see one producer instead of one per conversion.
constexpr std::string_view kScannerName = "Greenbone OpenVAS / GVM";

struct NvtEntry {
  Nvt nvt;
  std::optional<double> score;     // the NVT's, else the first converted result's
  std::string_view threat;         // used when there is no score at all
  std::string_view fallback_text;  // old reports keep the NVT text in the result
  std::string id;                  // set when the first result is converted
};

struct HostEntry {
  std::string address;  // canonical IP, or the host as written
  AddressKind kind = AddressKind::kOther;
  std::vector<std::string_view> hostnames;
  std::string id;
};

struct Finding {
  std::size_t host, nvt;
  Port port;
  Level level;
  std::optional<double> severity;
  std::optional<int> qod;
  std::string_view description, result_id;
};

void add_unique(std::vector<std::string_view>* v, std::string_view s) {
  for (std::string_view e : *v) {
    if (e == s) return;
  }
  v->push_back(s);
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

// "https://host/path" -> "host".
std::string_view url_host(std::string_view url) {
  std::size_t start = url.find("://");
  if (start == std::string_view::npos) return {};
  url.remove_prefix(start + 3);
  return url.substr(0, url.find_first_of("/:?#"));
}

bj::object ref_of(const NvtRef& r) {
  std::string type = lower(r.type);
  if (type == "url") {
    std::string_view host = url_host(r.id);
    if (!host.empty()) return stix::external_reference(host, {}, r.id);
    // Some NVTs carry references that are not URLs ("URL:invalid"); keep the text.
    bj::object o = stix::external_reference("openvas-xref", {});
    o.emplace("description", r.id);
    return o;
  }
  if (type == "cwe" || type == "capec") {
    std::string id(r.id);
    if (!id.empty() && id[0] >= '0' && id[0] <= '9') id = (type == "cwe" ? "CWE-" : "CAPEC-") + id;
    return stix::external_reference(type, id);
  }
  return stix::external_reference(type, r.id);
}

std::string vulnerability_text(const NvtEntry& e) {
  std::string text;
  auto section = [&](std::string_view title, std::string_view body) {
    if (body.empty()) return;
    if (!text.empty()) text += "\n\n";
    if (!title.empty()) {
      text += title;
      text += ": ";
    }
    text += body;
  };
  const Nvt& n = e.nvt;
  section({}, n.summary);
  section("Insight", n.insight);
  section("Impact", n.impact);
  section("Affected", n.affected);
  section("Solution", n.solution);
  if (text.empty()) text = trim(e.fallback_text);
  return text;
}

}  // namespace

struct StixBuilder::State {
  std::string input;
  Options options;
  Report* report;
  std::string now;
  std::string identity_id;
  std::vector<NvtEntry> nvts;
  std::unordered_map<std::string_view, std::size_t> nvt_index;
  std::vector<HostEntry> hosts;
  std::unordered_map<std::string, std::size_t> host_index;
  std::vector<Finding> findings;
  std::array<std::size_t, 5> by_level{};  // converted results, critical..log
  std::size_t skipped = 0, failed = 0;    // of this scan (an input may hold several)
  std::string_view latest_time;           // of the results, for reports without scan times

  std::size_t host_of(std::string_view address) {
    std::string canonical;
    AddressKind kind = classify_address(address, &canonical);
    if (kind == AddressKind::kOther) canonical.assign(trim(address));
    auto [it, inserted] = host_index.try_emplace(canonical, hosts.size());
    if (inserted) hosts.push_back({std::move(canonical), kind, {}, {}});
    return it->second;
  }
};

StixBuilder::StixBuilder(std::string_view input_name, const Options& options, Report& report)
    : s_(std::make_unique<State>()) {
  s_->input.assign(input_name);
  s_->options = options;
  s_->report = &report;
  s_->now = stix::format_time(std::chrono::system_clock::now());
  s_->identity_id = "identity--" + stix::uuid_v5(stix::kStixNamespace, kScannerName);
}

StixBuilder::~StixBuilder() = default;

bool StixBuilder::knows_nvt(std::string_view oid) const {
  return s_->nvt_index.count(trim(oid)) != 0;
}

void StixBuilder::fail(const Location& at, std::string_view kind, std::string_view detail) {
  s_->report->count_read();
  ++s_->failed;
  s_->report->fail(s_->input, at, kind, detail);
}

void StixBuilder::add(const Result& r, const Location& at) {
  State& s = *s_;
  Report& report = *s.report;
  report.count_read();
  const std::string_view host = trim(r.host);
  const std::string_view oid = trim(r.nvt.oid);
  auto fail = [&](std::string_view kind, std::string_view detail) {
    ++s.failed;
    report.fail(s.input, at, kind, detail);
  };
  auto skip = [&](std::string_view kind, std::string_view detail) {
    ++s.skipped;
    report.skip(s.input, at, kind, detail);
  };
  if (host.empty()) return fail("result without a host", trim(r.nvt.name));
  if (oid.empty()) return fail("result without an NVT OID", trim(r.nvt.name));

  auto [it, inserted] = s.nvt_index.try_emplace(oid, s.nvts.size());
  if (inserted) {
    s.nvts.push_back({r.nvt, r.nvt.cvss_base, r.nvt.threat, {}, {}});
    s.nvts.back().nvt.oid = oid;
  }
  NvtEntry& nvt = s.nvts[it->second];

  Level level = level_of(r.severity, r.threat);
  if (level == Level::kUnknown) level = level_of(nvt.score, nvt.threat);
  // Port scanner results name no NVT ("Open port."): their text says what they are.
  std::string_view name = trim(nvt.nvt.name);
  if (name.empty()) name = trim(r.description).substr(0, 200);
  if (level == Level::kFalsePositive) return skip("false positive", name);
  if (level == Level::kError) {
    return skip("scanner error, not a finding", trim(r.description).substr(0, 200));
  }
  if (level == Level::kLog && nvt.nvt.cves.empty() && !s.options.include_log) {
    return skip("informational result without a vulnerability", name);
  }

  if (nvt.id.empty()) {
    nvt.id = stix::random_id("vulnerability");
    if (!nvt.score) nvt.score = r.severity;
    if (nvt.threat.empty()) nvt.threat = r.threat;
    nvt.fallback_text = r.description;
  }
  const std::size_t h = s.host_of(host);
  if (!r.hostname.empty()) add_unique(&s.hosts[h].hostnames, trim(r.hostname));
  if (r.time > s.latest_time) s.latest_time = r.time;
  s.findings.push_back({h, it->second, parse_port(r.port, r.protocol), level, r.severity, r.qod,
                        trim(r.description), trim(r.id)});
  if (static_cast<std::size_t>(level) < s.by_level.size()) ++s.by_level[static_cast<int>(level)];
  report.count_converted();
}

namespace {

bj::object make_vulnerability(const NvtEntry& e, const std::string& now,
                              const std::string& identity) {
  bj::object v;
  v.reserve(14);
  v.emplace("type", "vulnerability");
  v.emplace("spec_version", "2.1");
  v.emplace("id", e.id);
  v.emplace("created", now);
  v.emplace("modified", now);
  v.emplace("created_by_ref", identity);
  v.emplace("name", e.nvt.name.empty() ? e.nvt.oid : trim(e.nvt.name));
  std::string text = vulnerability_text(e);
  if (!text.empty()) v.emplace("description", std::move(text));

  bj::array refs;
  refs.reserve(1 + e.nvt.cves.size() + e.nvt.refs.size());
  refs.push_back(stix::external_reference("openvas", e.nvt.oid));
  std::unordered_set<std::string_view> seen;
  for (std::string_view cve : e.nvt.cves) {
    if (seen.insert(cve).second) refs.push_back(stix::external_reference("cve", cve));
  }
  for (const NvtRef& r : e.nvt.refs) {
    if (seen.insert(r.id).second) refs.push_back(ref_of(r));
  }
  v.emplace("external_references", std::move(refs));

  if (e.score) v.emplace("x_atio_cvss_score", *e.score);
  if (!e.nvt.cvss_vector.empty()) v.emplace("x_atio_cvss_vector", e.nvt.cvss_vector);
  Level level = level_of(e.score, e.threat);
  if (is_finding(level)) v.emplace("x_atio_severity", level_name(level));
  if (!e.nvt.family.empty()) v.emplace("x_atio_nvt_family", trim(e.nvt.family));
  return v;
}

const HostInfo* info_of(const Scan& scan, const HostEntry& h) {
  for (const HostInfo& i : scan.hosts) {
    std::string canonical;
    if (classify_address(i.ip, &canonical) == AddressKind::kOther) canonical.assign(trim(i.ip));
    if (canonical == h.address) return &i;
  }
  return nullptr;
}

// The infrastructure of one host, its SCOs (those not in `emitted` yet) and
// the consists-of relationships, appended to `out`.
void add_host(HostEntry& h, const HostInfo* info, const std::string& now,
              const std::string& identity, std::unordered_set<std::string>* emitted,
              bj::array* out) {
  if (info != nullptr && !info->hostname.empty()) add_unique(&h.hostnames, trim(info->hostname));
  std::vector<std::string> parts;  // SCO ids
  auto sco = [&](std::string_view type, std::string_view value) {
    bj::object o;
    o.emplace("value", value);
    std::string id = stix::finish_sco(type, &o);
    if (emitted->insert(id).second) out->push_back(std::move(o));
    parts.push_back(std::move(id));
  };
  if (h.kind == AddressKind::kIpv4) sco("ipv4-addr", h.address);
  if (h.kind == AddressKind::kIpv6) sco("ipv6-addr", h.address);
  for (std::string_view name : h.hostnames) {
    if (is_dns_name(name)) sco("domain-name", lower(name));
  }

  bj::object infra = stix::new_sdo("infrastructure", now);
  h.id = std::string(infra.at("id").as_string());
  infra.emplace("created_by_ref", identity);
  const std::string_view name = h.hostnames.empty() ? std::string_view(h.address) : h.hostnames[0];
  infra.emplace("name", name);
  infra.emplace("infrastructure_types", bj::array{"unknown"});
  bj::array aliases;
  if (name != h.address) aliases.push_back(bj::string(h.address));
  for (std::size_t i = 1; i < h.hostnames.size(); ++i)
    aliases.push_back(bj::string(h.hostnames[i]));
  if (!aliases.empty()) infra.emplace("aliases", std::move(aliases));
  std::string description = "Host scanned by OpenVAS/GVM";
  if (info != nullptr && !info->os.empty()) {
    description += "; operating system: ";
    description += trim(info->os);
  }
  infra.emplace("description", std::move(description));
  stix::TimePoint start, end;
  if (info != nullptr && stix::parse_time(trim(info->start), &start)) {
    infra.emplace("first_seen", stix::format_time(start));
    if (stix::parse_time(trim(info->end), &end) && end >= start) {
      infra.emplace("last_seen", stix::format_time(end));
    }
  }
  out->push_back(std::move(infra));
  for (const std::string& part : parts) {
    bj::object rel = stix::new_relationship("consists-of", h.id, part, now);
    rel.emplace("created_by_ref", identity);
    out->push_back(std::move(rel));
  }
}

bj::object make_has(const Finding& f, const std::string& source, const std::string& target,
                    const std::string& now, const std::string& identity) {
  bj::object rel = stix::new_relationship("has", source, target, now);
  rel.emplace("created_by_ref", identity);
  if (!f.description.empty()) rel.emplace("description", f.description);
  if (!f.port.number.empty()) rel.emplace("x_atio_port", f.port.number);
  if (!f.port.label.empty()) rel.emplace("x_atio_port_label", f.port.label);
  if (!f.port.service.empty()) rel.emplace("x_atio_service", f.port.service);
  rel.emplace("x_atio_severity", level_name(f.level));
  if (f.severity) rel.emplace("x_atio_cvss_score", *f.severity);
  if (f.qod) rel.emplace("x_atio_qod", *f.qod);
  if (!f.result_id.empty()) rel.emplace("x_atio_result_id", f.result_id);
  return rel;
}

// Scan end, else scan start, else the report's creation, else the latest
// result, else now: a report SDO must have a publication time.
std::string published_time(const Scan& scan, std::string_view latest_result,
                           const std::string& now) {
  for (std::string_view t : {scan.scan_end, scan.scan_start, scan.created, latest_result}) {
    stix::TimePoint tp;
    if (stix::parse_time(trim(t), &tp)) return stix::format_time(tp);
  }
  return now;
}

}  // namespace

bj::object StixBuilder::finish(const Scan& scan) {
  State& s = *s_;
  bj::array objects;
  objects.reserve(2 + s.nvts.size() + 4 * s.hosts.size() + s.findings.size());
  objects.push_back(bj::object());  // the report, made last
  bj::object identity = stix::new_sdo("identity", s.now);
  identity["id"] = s.identity_id;
  identity.emplace("name", kScannerName);
  identity.emplace("identity_class", "system");
  objects.push_back(std::move(identity));

  std::unordered_set<std::string> emitted;
  for (HostEntry& h : s.hosts)
    add_host(h, info_of(scan, h), s.now, s.identity_id, &emitted, &objects);
  std::size_t vulnerabilities = 0;
  for (const NvtEntry& e : s.nvts) {
    if (e.id.empty()) continue;  // every result of it was skipped
    objects.push_back(make_vulnerability(e, s.now, s.identity_id));
    ++vulnerabilities;
  }
  for (const Finding& f : s.findings) {
    objects.push_back(make_has(f, s.hosts[f.host].id, s.nvts[f.nvt].id, s.now, s.identity_id));
  }

  bj::object report = stix::new_sdo("report", s.now);
  report.emplace("created_by_ref", s.identity_id);
  std::string name(trim(scan.name));
  if (name.empty() && !scan.report_id.empty()) name = "GVM report " + std::string(scan.report_id);
  if (name.empty()) name = "GVM results from " + s.input;
  report.emplace("name", name);
  std::string d = "OpenVAS/GVM scan: " + std::to_string(s.findings.size()) + " findings on " +
                  std::to_string(s.hosts.size()) + " hosts, " + std::to_string(vulnerabilities) +
                  " distinct vulnerabilities (NVTs); findings by severity:";
  for (std::size_t i = 0; i < s.by_level.size(); ++i) {
    d += (i ? ", " : " ") + std::to_string(s.by_level[i]) + " " + level_name(static_cast<Level>(i));
  }
  d += "; " + std::to_string(s.skipped) + " results skipped, " + std::to_string(s.failed) +
       " failed (see the conversion report).";
  report.emplace("description", std::move(d));
  report.emplace("published", published_time(scan, s.latest_time, s.now));
  report.emplace("report_types", bj::array{"vulnerability"});
  bj::array refs;
  refs.reserve(objects.size() - 1);
  for (std::size_t i = 1; i < objects.size(); ++i) refs.push_back(objects[i].as_object().at("id"));
  report.emplace("object_refs", std::move(refs));
  if (!scan.report_id.empty()) {
    report.emplace("external_references",
                   bj::array{stix::external_reference("gvm", trim(scan.report_id))});
  }
  objects[0] = std::move(report);
  return stix::new_bundle(std::move(objects));
}

}  // namespace atio::convert::gvm
