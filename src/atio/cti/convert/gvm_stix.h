// The STIX side of the GVM converter, shared by the XML and CSV readers:
// takes the results of one scan, accounts for each in the Report, and makes
// one bundle:
//
//   report          one per scan; object_refs = every other object
//   identity        the scanner (created_by_ref of every SDO and SRO); a
//                   fixed id, so that stores see one GVM identity
//   vulnerability   one per distinct NVT with a converted result: name,
//                   description (summary, insight, impact, affected,
//                   solution), external_references (openvas OID, cve, cwe,
//                   capec, urls, cert-bund, dfn-cert, bid), x_atio_cvss_score,
//                   x_atio_cvss_vector, x_atio_severity
//   infrastructure  one per host (name = hostname, else the address;
//                   aliases = the other names), consists-of its ipv4-addr /
//                   ipv6-addr / domain-name SCOs (deterministic ids)
//   relationship    infrastructure --has--> vulnerability, one per result,
//                   with x_atio_port ("443/tcp"), x_atio_severity of that
//                   result, x_atio_qod, x_atio_result_id, and the result's
//                   own text as description
//
// Which results become findings (documented for users in the same words):
//   - the level comes from the result's score when it has one, else from its
//     threat word, else from the NVT (gvm_fields.h has the scale);
//   - "False Positive" results are skipped ("false positive");
//   - "Error" results are skipped ("scanner error, not a finding");
//   - Log results whose NVT names no CVE are skipped ("informational result
//     without a vulnerability"), unless Options::include_log;
//   - a result without a host or an NVT OID fails.
#pragma once

#include <boost/json/object.hpp>
#include <boost/json/storage_ptr.hpp>
#include <memory>
#include <string>
#include <string_view>

#include "atio/core/status.h"
#include "atio/cti/convert/converter.h"
#include "atio/cti/convert/gvm_model.h"
#include "atio/cti/convert/report.h"

namespace atio::convert::gvm {

class StixBuilder {
 public:
  StixBuilder(std::string_view input_name, const Options& options, Report& report);
  ~StixBuilder();
  StixBuilder(const StixBuilder&) = delete;
  StixBuilder& operator=(const StixBuilder&) = delete;

  // True when a result naming this NVT was added already: the reader may
  // then leave Result::nvt empty but for its oid.
  bool knows_nvt(std::string_view oid) const;

  // Counts the result as read, then as converted, skipped or failed (at `at`).
  // REQUIRES: the strings of `result` stay valid until finish().
  void add(const Result& result, const Location& at);
  // Counts a record the reader could not make a result of as read and failed.
  void fail(const Location& at, std::string_view kind, std::string_view detail);

  // The bundle of everything added, with the report SDO for `scan`, made in
  // `sp` (the caller drops the storage once the bundle is written).
  boost::json::object finish(const Scan& scan, boost::json::storage_ptr sp = {});

  // Makes the bundle in a monotonic buffer, writes it to `out` (which copies
  // what it keeps, converter.h) and counts it as an output document.
  Status write(const Scan& scan, Output& out);

 private:
  struct State;
  std::unique_ptr<State> s_;
};

}  // namespace atio::convert::gvm
