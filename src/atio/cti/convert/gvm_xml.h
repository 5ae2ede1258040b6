// GVM / OpenVAS XML reports -> one STIX bundle per report.
//
// Reads every shape GVM and OpenVAS have written: the GMP 9 / GVM 22
// export (<report> wrapping a <report> with <results>), a GMP
// <get_reports_response> holding several reports, OpenVAS 6/7 (OMP)
// reports (<cve>/<bid>/<xref> comma lists, <risk_factor>, no <severity>),
// and bare <result> or <results> fragments (one report without scan data).
#pragma once

#include <string>
#include <string_view>

#include "atio/core/status.h"
#include "atio/cti/convert/converter.h"
#include "atio/cti/convert/gvm_model.h"

namespace atio::convert::gvm {

// Parses `buffer` in place (it is modified, and must stay alive until this
// returns) and writes one bundle per report to `out`. Each <result> is one
// record, located by its 0-based index in the input. kInvalidArgument naming
// `input_name` when the text is not well-formed XML or not a GVM report.
Status convert_xml(std::string& buffer, std::string_view input_name, const Options& options,
                   Output& out, Report& report);

}  // namespace atio::convert::gvm
