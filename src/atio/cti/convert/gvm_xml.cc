#include "atio/cti/convert/gvm_xml.h"

#include <charconv>
#include <cstring>
#include <pugixml.hpp>

#include "atio/cti/convert/gvm_fields.h"
#include "atio/cti/convert/gvm_stix.h"

namespace atio::convert::gvm {

namespace {

using pugi::xml_node;

bool is(const xml_node& n, const char* name) { return std::strcmp(n.name(), name) == 0; }

std::string_view text_of(const xml_node& n) { return n.child_value(); }

std::optional<int> parse_int(std::string_view s) {
  s = trim(s);
  int v = 0;
  auto r = std::from_chars(s.data(), s.data() + s.size(), v);
  if (s.empty() || r.ec != std::errc() || r.ptr != s.data() + s.size()) return std::nullopt;
  return v;
}

// OMP xrefs: "URL:http://..., OSVDB:1234, CERT:...".
void add_xrefs(std::string_view list, std::vector<NvtRef>* refs) {
  std::vector<std::string_view> items;
  split_list(list, &items);
  for (std::string_view item : items) {
    std::size_t colon = item.find(':');
    if (colon != std::string_view::npos && colon > 0 && item.substr(colon, 3) != "://") {
      std::string_view prefix = item.substr(0, colon);
      refs->push_back(
          {prefix == "URL" ? std::string_view("url") : prefix, trim(item.substr(colon + 1))});
    } else {
      refs->push_back({"url", item});
    }
  }
}

void read_nvt(const xml_node& nvt, Nvt* out) {
  std::string_view tags, solution;
  for (xml_node c : nvt.children()) {
    const char* n = c.name();
    if (std::strcmp(n, "name") == 0) {
      out->name = text_of(c);
    } else if (std::strcmp(n, "family") == 0) {
      out->family = text_of(c);
    } else if (std::strcmp(n, "cvss_base") == 0) {
      if (!out->cvss_base) out->cvss_base = parse_score(text_of(c));
    } else if (std::strcmp(n, "severities") == 0) {
      // GVM 22: <severities score="9.8"><severity><value>CVSS:3.1/...</value>.
      if (!out->cvss_base) out->cvss_base = parse_score(c.attribute("score").value());
      std::string_view vector = c.child("severity").child_value("value");
      if (!trim(vector).empty()) out->cvss_vector = trim(vector);
    } else if (std::strcmp(n, "risk_factor") == 0) {
      out->threat = text_of(c);
    } else if (std::strcmp(n, "cve") == 0) {
      add_cves(text_of(c), out);
    } else if (std::strcmp(n, "bid") == 0) {
      std::vector<std::string_view> bids;
      split_list(text_of(c), &bids);
      for (std::string_view b : bids) out->refs.push_back({"bid", b});
    } else if (std::strcmp(n, "xref") == 0) {
      add_xrefs(text_of(c), &out->refs);
    } else if (std::strcmp(n, "cert") == 0) {
      for (xml_node ref : c.children("cert_ref")) {
        out->refs.push_back({ref.attribute("type").value(), ref.attribute("id").value()});
      }
    } else if (std::strcmp(n, "refs") == 0) {
      for (xml_node ref : c.children("ref")) {
        std::string_view type = ref.attribute("type").value();
        std::string_view id = trim(ref.attribute("id").value());
        if (id.empty()) continue;
        if (type == "cve" || type == "CVE")
          add_cves(id, out);
        else
          out->refs.push_back({type, id});
      }
    } else if (std::strcmp(n, "tags") == 0) {
      tags = text_of(c);
    } else if (std::strcmp(n, "solution") == 0) {
      solution = text_of(c);
    }
  }
  parse_tags(tags, out);
  if (out->solution.empty()) out->solution = trim(solution);
}

void read_result(const xml_node& result, StixBuilder& builder, Result* r) {
  *r = Result();
  r->id = result.attribute("id").value();
  xml_node nvt;
  for (xml_node c : result.children()) {
    const char* n = c.name();
    switch (n[0]) {
      case 'h':
        if (std::strcmp(n, "host") == 0) {
          r->host = text_of(c);
          r->hostname = c.child_value("hostname");
        }
        break;
      case 'p':
        if (std::strcmp(n, "port") == 0) r->port = text_of(c);
        break;
      case 'n':
        if (std::strcmp(n, "nvt") == 0) nvt = c;
        break;
      case 't':
        if (std::strcmp(n, "threat") == 0) r->threat = text_of(c);
        break;
      case 's':
        if (std::strcmp(n, "severity") == 0) r->severity = parse_score(text_of(c));
        break;
      case 'q':
        if (std::strcmp(n, "qod") == 0) r->qod = parse_int(c.child_value("value"));
        break;
      case 'd':
        if (std::strcmp(n, "description") == 0) r->description = text_of(c);
        break;
      case 'c':
        if (std::strcmp(n, "creation_time") == 0) r->time = text_of(c);
        break;
      default:
        break;
    }
  }
  r->nvt.oid = nvt.attribute("oid").value();
  r->nvt.name = nvt.child_value("name");
  if (!builder.knows_nvt(r->nvt.oid)) read_nvt(nvt, &r->nvt);
}

void read_host_info(const xml_node& host, HostInfo* info) {
  info->ip = host.child_value("ip");
  info->start = host.child_value("start");
  info->end = host.child_value("end");
  std::string_view os_detail;
  for (xml_node d : host.children("detail")) {
    std::string_view name = d.child_value("name");
    std::string_view value = trim(d.child_value("value"));
    if (name == "hostname" && info->hostname.empty())
      info->hostname = value;
    else if (name == "best_os_txt")
      info->os = value;
    else if (name == "OS" && os_detail.empty() && value.substr(0, 4) != "cpe:")
      os_detail = value;
  }
  if (info->os.empty()) info->os = os_detail;
}

// Converts the results under `results` (a <results> element, or a lone
// <result> when `single`) as one scan.
Status convert_scan(const xml_node& results, bool single, Scan& scan, std::string_view name,
                    const Options& options, Output& out, Report& report, std::size_t* index) {
  StixBuilder builder(name, options, report);
  Result r;
  auto one = [&](const xml_node& result) {
    read_result(result, builder, &r);
    builder.add(r, Location{0, (*index)++});
  };
  if (single) {
    one(results);
  } else {
    for (xml_node result : results.children("result")) one(result);
  }
  return builder.write(scan, out);
}

Status convert_report(const xml_node& outer, std::string_view name, const Options& options,
                      Output& out, Report& report, std::size_t* index) {
  // GMP exports wrap the report in a <report> that names its task and format.
  xml_node inner = outer.child("report");
  if (!inner) inner = outer;
  xml_node results = inner.child("results");
  if (!results && !inner.child("gmp") && !inner.child("omp") && !outer.attribute("format_id")) {
    return Status(Code::kInvalidArgument,
                  std::string(name) + ": not a GVM report: <report> has no <results>");
  }
  Scan scan;
  scan.report_id = inner.attribute("id").value();
  if (scan.report_id.empty()) scan.report_id = outer.attribute("id").value();
  for (const xml_node& n : {inner, outer}) {
    if (scan.name.empty()) scan.name = trim(n.child("task").child_value("name"));
  }
  if (scan.name.empty()) scan.name = trim(outer.child_value("name"));
  scan.scan_start = inner.child_value("scan_start");
  scan.scan_end = inner.child_value("scan_end");
  scan.created = outer.child_value("creation_time");
  if (trim(scan.created).empty()) scan.created = inner.child_value("timestamp");
  for (xml_node host : inner.children("host")) {
    read_host_info(host, &scan.hosts.emplace_back());
  }
  return convert_scan(results, false, scan, name, options, out, report, index);
}

}  // namespace

Status convert_xml(std::string& buffer, std::string_view input_name, const Options& options,
                   Output& out, Report& report) {
  pugi::xml_document doc;
  const unsigned flags = pugi::parse_default | pugi::parse_trim_pcdata;
  pugi::xml_parse_result parsed =
      doc.load_buffer_inplace(buffer.data(), buffer.size(), flags, pugi::encoding_auto);
  if (!parsed) {
    return Status(Code::kInvalidArgument,
                  std::string(input_name) + ": not well-formed XML at byte " +
                      std::to_string(parsed.offset) + ": " + parsed.description());
  }
  const xml_node root = doc.document_element();
  std::size_t index = 0;
  if (is(root, "report")) return convert_report(root, input_name, options, out, report, &index);
  if (is(root, "get_reports_response")) {
    if (!root.child("report")) {
      return Status(Code::kInvalidArgument,
                    std::string(input_name) + ": <get_reports_response> holds no <report>");
    }
    for (xml_node r : root.children("report")) {
      ATIO_RETURN_IF_ERROR(convert_report(r, input_name, options, out, report, &index));
    }
    return Status::ok();
  }
  if (is(root, "result") || is(root, "results")) {
    Scan scan;
    return convert_scan(root, is(root, "result"), scan, input_name, options, out, report, &index);
  }
  return Status(Code::kInvalidArgument,
                std::string(input_name) + ": not a GVM report: the root element is <" +
                    root.name() + "> (expected <report>, <get_reports_response> or <result>)");
}

}  // namespace atio::convert::gvm
