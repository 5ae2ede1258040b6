// GVM "CSV Results" exports -> one STIX bundle per file.
//
// The export has a header row naming its columns (25 or 26 in GVM 9-22:
// IP, Hostname, Port, Port Protocol, CVSS, Severity, QoD, NVT Name, Summary,
// Specific Result, NVT OID, CVEs, Task Name, Timestamp, Result ID, ...);
// columns are found by name, so added or reordered columns do not matter.
// Fields follow RFC 4180: quoted fields may hold commas, doubled quotes and
// line breaks.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "atio/core/status.h"
#include "atio/cti/convert/converter.h"
#include "atio/cti/convert/gvm_model.h"

namespace atio::convert::gvm {

// Splits RFC 4180 CSV held in a buffer, unquoting fields in place (the buffer
// is modified; fields are views into it).
class CsvReader {
 public:
  explicit CsvReader(std::string& buffer);

  // The next row and the 1-based line it starts on; false at the end. Blank
  // lines are passed over. A quoted field still open at the end of the input
  // ends the row there and sets `*unterminated`.
  bool next(std::vector<std::string_view>* fields, std::size_t* line, bool* unterminated);

 private:
  char* data_;
  std::size_t size_;
  std::size_t pos_ = 0;
  std::size_t line_ = 1;
};

// Converts the CSV results export in `buffer` (modified in place) into one
// bundle. Each data row is one record located by its line. kInvalidArgument
// naming `input_name` when the header lacks the IP or NVT OID column.
Status convert_csv(std::string& buffer, std::string_view input_name, const Options& options,
                   Output& out, Report& report);

}  // namespace atio::convert::gvm
