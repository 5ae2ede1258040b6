#include "atio/cti/convert/gvm_stix_objects.h"

#include "atio/core/text.h"
#include "atio/cti/stix/ids.h"
#include "atio/cti/stix/object.h"
#include "atio/cti/stix/time.h"

namespace atio::convert::gvm {

namespace {

// One identity for the scanner in every bundle: stores that merge bundles
// see one producer instead of one per conversion.
constexpr std::string_view kScannerName = "Greenbone OpenVAS / GVM";

// "https://host/path" -> "host".
std::string_view url_host(std::string_view url) {
  std::size_t start = url.find("://");
  if (start == std::string_view::npos) return {};
  url.remove_prefix(start + 3);
  return url.substr(0, url.find_first_of("/:?#"));
}

bj::object ref_of(const NvtRef& r, const bj::storage_ptr& sp) {
  std::string type = ascii_lower(r.type);
  if (type == "url") {
    std::string_view host = url_host(r.id);
    if (!host.empty()) return stix::external_reference(host, {}, r.id, sp);
    // Some NVTs carry references that are not URLs ("URL:invalid"); keep the text.
    bj::object o = stix::external_reference("openvas-xref", {}, {}, sp);
    o.emplace("description", r.id);
    return o;
  }
  if (type == "cwe" || type == "capec") {
    std::string id(r.id);
    if (!id.empty() && id[0] >= '0' && id[0] <= '9') id = (type == "cwe" ? "CWE-" : "CAPEC-") + id;
    return stix::external_reference(type, id, {}, sp);
  }
  return stix::external_reference(type, r.id, {}, sp);
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

void add_unique(std::vector<std::string_view>* v, std::string_view s) {
  for (std::string_view e : *v) {
    if (e == s) return;
  }
  v->push_back(s);
}

std::string identity_id() {
  return "identity--" + stix::uuid_v5(stix::kStixNamespace, kScannerName);
}

bj::object make_identity(const Context& ctx) {
  bj::object o = stix::new_sdo("identity", ctx.now, ctx.sp);
  o["id"] = ctx.identity;
  o.emplace("name", kScannerName);
  o.emplace("identity_class", "system");
  return o;
}

bj::object make_vulnerability(const NvtEntry& e, const Context& ctx) {
  bj::object v = stix::new_sdo("vulnerability", ctx.now, ctx.sp);
  v.reserve(14);
  v["id"] = e.id;
  v.emplace("created_by_ref", ctx.identity);
  v.emplace("name", e.nvt.name.empty() ? e.nvt.oid : trim(e.nvt.name));
  std::string text = vulnerability_text(e);
  if (!text.empty()) v.emplace("description", text);

  bj::array refs(ctx.sp);
  refs.reserve(1 + e.nvt.cves.size() + e.nvt.refs.size());
  refs.push_back(stix::external_reference("openvas", e.nvt.oid, {}, ctx.sp));
  std::unordered_set<std::string_view> seen;
  for (std::string_view cve : e.nvt.cves) {
    if (seen.insert(cve).second) refs.push_back(stix::external_reference("cve", cve, {}, ctx.sp));
  }
  for (const NvtRef& r : e.nvt.refs) {
    if (seen.insert(r.id).second) refs.push_back(ref_of(r, ctx.sp));
  }
  v.emplace("external_references", std::move(refs));

  if (e.score) v.emplace("x_atio_cvss_score", *e.score);
  if (!e.nvt.cvss_vector.empty()) v.emplace("x_atio_cvss_vector", e.nvt.cvss_vector);
  Level level = level_of(e.score, e.threat);
  if (is_finding(level)) v.emplace("x_atio_severity", level_name(level));
  if (!e.nvt.family.empty()) v.emplace("x_atio_nvt_family", trim(e.nvt.family));
  return v;
}

void add_host(HostEntry& h, const HostInfo* info, const Context& ctx,
              std::unordered_map<std::string, std::string>* emitted, bj::array* out) {
  if (info != nullptr && !info->hostname.empty()) add_unique(&h.hostnames, trim(info->hostname));
  std::vector<std::string> parts;  // SCO ids
  auto sco = [&](std::string_view type, std::string_view value) {
    // Many hosts share a name or an address: each SCO is made once per bundle.
    std::string key(type);
    key += '\0';
    key += value;
    auto it = emitted->find(key);
    if (it == emitted->end()) {
      bj::object o = stix::new_sco(type, ctx.sp);
      o.emplace("value", value);
      it = emitted->emplace(std::move(key), stix::finish_sco(type, &o)).first;
      out->push_back(std::move(o));
    }
    parts.push_back(it->second);
  };
  if (h.kind == AddressKind::kIpv4) sco("ipv4-addr", h.address);
  if (h.kind == AddressKind::kIpv6) sco("ipv6-addr", h.address);
  for (std::string_view name : h.hostnames) {
    if (is_dns_name(name)) sco("domain-name", ascii_lower(name));
  }

  bj::object infra = stix::new_sdo("infrastructure", ctx.now, ctx.sp);
  infra.reserve(14);
  h.id = std::string(infra.at("id").as_string());
  infra.emplace("created_by_ref", ctx.identity);
  const std::string_view name = h.hostnames.empty() ? std::string_view(h.address) : h.hostnames[0];
  infra.emplace("name", name);
  bj::array types(ctx.sp);
  types.emplace_back("unknown");
  infra.emplace("infrastructure_types", std::move(types));
  bj::array aliases(ctx.sp);
  if (name != h.address) aliases.emplace_back(h.address);
  for (std::size_t i = 1; i < h.hostnames.size(); ++i) aliases.emplace_back(h.hostnames[i]);
  if (!aliases.empty()) infra.emplace("aliases", std::move(aliases));
  std::string description = "Host scanned by OpenVAS/GVM";
  if (info != nullptr && !info->os.empty()) {
    description += "; operating system: ";
    description += trim(info->os);
  }
  infra.emplace("description", description);
  stix::TimePoint start, end;
  if (info != nullptr && stix::parse_time(trim(info->start), &start)) {
    infra.emplace("first_seen", stix::format_time(start));
    if (stix::parse_time(trim(info->end), &end) && end >= start) {
      infra.emplace("last_seen", stix::format_time(end));
    }
  }
  out->push_back(std::move(infra));
  for (const std::string& part : parts) {
    bj::object rel = stix::new_relationship("consists-of", h.id, part, ctx.now, ctx.sp);
    rel.emplace("created_by_ref", ctx.identity);
    out->push_back(std::move(rel));
  }
}

bj::object make_has(const Finding& f, std::string_view source, std::string_view target,
                    const Context& ctx) {
  bj::object rel = stix::new_relationship("has", source, target, ctx.now, ctx.sp);
  rel.reserve(16);
  rel.emplace("created_by_ref", ctx.identity);
  if (!f.description.empty()) rel.emplace("description", f.description);
  if (!f.port.number.empty()) rel.emplace("x_atio_port", f.port.number);
  if (!f.port.label.empty()) rel.emplace("x_atio_port_label", f.port.label);
  if (!f.port.service.empty()) rel.emplace("x_atio_service", f.port.service);
  if (is_finding(f.level)) rel.emplace("x_atio_severity", level_name(f.level));
  if (f.severity) rel.emplace("x_atio_cvss_score", *f.severity);
  if (f.qod) rel.emplace("x_atio_qod", *f.qod);
  if (!f.result_id.empty()) rel.emplace("x_atio_result_id", f.result_id);
  return rel;
}

}  // namespace atio::convert::gvm
