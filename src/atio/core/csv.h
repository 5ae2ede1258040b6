// RFC 4180 CSV: used by the GVM results export and the asset import.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace atio {

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

}  // namespace atio
