#include "atio/cti/convert/gvm_stix.h"

#include <array>
#include <boost/json/array.hpp>
#include <boost/json/monotonic_resource.hpp>
#include <chrono>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "atio/cti/convert/gvm_fields.h"
#include "atio/cti/convert/gvm_stix_objects.h"
#include "atio/cti/stix/ids.h"
#include "atio/cti/stix/object.h"
#include "atio/cti/stix/time.h"

namespace atio::convert::gvm {

struct StixBuilder::State {
  std::string input;
  Options options;
  Report* report;
  std::string now;
  std::string identity_id;
  std::vector<NvtEntry> nvts;
  std::unordered_map<std::string_view, std::size_t> nvt_index;
  std::vector<HostEntry> hosts;
  std::unordered_map<std::string, std::size_t> host_index;         // by canonical address
  std::unordered_map<std::string_view, std::size_t> host_written;  // by the text in the input
  std::vector<Finding> findings;
  std::array<std::size_t, 5> by_level{};  // converted results, critical..log
  std::size_t skipped = 0, failed = 0;    // of this scan (an input may hold several)
  std::string_view latest_time;           // of the results, for reports without scan times

  std::size_t host_of(std::string_view address) {
    if (auto w = host_written.find(address); w != host_written.end()) return w->second;
    std::string canonical;
    AddressKind kind = classify_address(address, &canonical);
    if (kind == AddressKind::kOther) canonical.assign(trim(address));
    auto [it, inserted] = host_index.try_emplace(canonical, hosts.size());
    if (inserted) hosts.push_back({std::move(canonical), kind, {}, {}});
    host_written.emplace(address, it->second);
    return it->second;
  }
};

StixBuilder::StixBuilder(std::string_view input_name, const Options& options, Report& report)
    : s_(std::make_unique<State>()) {
  s_->input.assign(input_name);
  s_->options = options;
  s_->report = &report;
  s_->now = stix::format_time(std::chrono::system_clock::now());
  s_->identity_id = identity_id();
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

// What the report says about each host, by canonical address.
std::unordered_map<std::string, const HostInfo*> host_infos(const Scan& scan) {
  std::unordered_map<std::string, const HostInfo*> infos;
  for (const HostInfo& i : scan.hosts) {
    std::string canonical;
    if (classify_address(i.ip, &canonical) == AddressKind::kOther) canonical.assign(trim(i.ip));
    infos.emplace(std::move(canonical), &i);
  }
  return infos;
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

bj::object StixBuilder::finish(const Scan& scan, bj::storage_ptr sp) {
  State& s = *s_;
  const Context ctx{s.now, s.identity_id, std::move(sp)};
  bj::array objects(ctx.sp);
  objects.reserve(2 + s.nvts.size() + 4 * s.hosts.size() + s.findings.size());
  objects.emplace_back(bj::object(ctx.sp));  // the report, made last
  objects.push_back(make_identity(ctx));

  std::unordered_map<std::string, std::string> emitted;  // SCOs made
  const auto infos = host_infos(scan);
  for (HostEntry& h : s.hosts) {
    auto info = infos.find(h.address);
    add_host(h, info == infos.end() ? nullptr : info->second, ctx, &emitted, &objects);
  }
  std::size_t vulnerabilities = 0;
  for (const NvtEntry& e : s.nvts) {
    if (e.id.empty()) continue;  // every result of it was skipped
    objects.push_back(make_vulnerability(e, ctx));
    ++vulnerabilities;
  }
  for (const Finding& f : s.findings) {
    objects.push_back(make_has(f, s.hosts[f.host].id, s.nvts[f.nvt].id, ctx));
  }

  bj::object report = stix::new_sdo("report", s.now, ctx.sp);
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
  report.emplace("description", d);
  report.emplace("published", published_time(scan, s.latest_time, s.now));
  bj::array types(ctx.sp);
  types.emplace_back("vulnerability");
  report.emplace("report_types", std::move(types));
  bj::array refs(ctx.sp);
  refs.reserve(objects.size() - 1);
  for (std::size_t i = 1; i < objects.size(); ++i) refs.push_back(objects[i].as_object().at("id"));
  report.emplace("object_refs", std::move(refs));
  if (!scan.report_id.empty()) {
    bj::array ext(ctx.sp);
    ext.push_back(stix::external_reference("gvm", trim(scan.report_id), {}, ctx.sp));
    report.emplace("external_references", std::move(ext));
  }
  objects[0] = std::move(report);
  return stix::new_bundle(std::move(objects));
}

Status StixBuilder::write(const Scan& scan, Output& out) {
  // Built by bump allocation and dropped whole: no frees, no destructor walk.
  bj::monotonic_resource mr;
  ATIO_RETURN_IF_ERROR(out.write(finish(scan, bj::storage_ptr(&mr))));
  s_->report->count_output();
  return Status::ok();
}

}  // namespace atio::convert::gvm
