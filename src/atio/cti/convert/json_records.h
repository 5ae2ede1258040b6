// Splits a JSON input into records without holding the whole input: NDJSON
// (one value per line, a broken line is one bad record and the next line
// starts afresh), a top-level JSON array (its elements, streamed), or
// pretty-printed values one after another. Memory is bounded by the largest
// record, not the input.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "atio/core/status.h"
#include "atio/cti/convert/input.h"
#include "atio/cti/convert/report.h"

namespace atio::convert {

class JsonRecords {
 public:
  explicit JsonRecords(Input& in, std::size_t max_record_bytes = 64u << 20);

  // The next record's text and where it starts. Returns false at the end.
  // A record that is not well-formed JSON is still returned (its parse
  // reports the error); an array cut off in the middle ends the input with
  // an error (kInvalidArgument naming the line). Text stays valid until the
  // next call.
  Result<bool> next(std::string_view* text, Location* at);

 private:
  enum class Mode { kUnknown, kLines, kArray, kValues };

  Status fill();  // reads more input, keeping [pos_, end) at the front
  Result<bool> next_line(std::string_view* text, Location* at);
  Result<bool> next_value(std::string_view* text, Location* at);

  Input& in_;
  std::size_t max_record_;
  std::string buf_;
  std::size_t pos_ = 0;      // first unread byte in buf_
  std::size_t line_ = 1;     // line of buf_[pos_]
  std::size_t index_ = 0;    // records returned so far
  bool eof_ = false;
  bool array_closed_ = false;
  Mode mode_ = Mode::kUnknown;
};

}  // namespace atio::convert
