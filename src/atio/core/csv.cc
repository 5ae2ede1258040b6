#include "atio/core/csv.h"

namespace atio {

CsvReader::CsvReader(std::string& buffer) : data_(buffer.data()), size_(buffer.size()) {
  if (size_ >= 3 && buffer.compare(0, 3, "\xEF\xBB\xBF") == 0) pos_ = 3;  // UTF-8 BOM
}

bool CsvReader::next(std::vector<std::string_view>* fields, std::size_t* line, bool* unterminated) {
  fields->clear();
  *unterminated = false;
  // Blank lines between rows (and the final newline) are no rows.
  while (pos_ < size_ && (data_[pos_] == '\n' || data_[pos_] == '\r')) {
    if (data_[pos_] == '\n') ++line_;
    ++pos_;
  }
  if (pos_ >= size_) return false;
  *line = line_;
  for (;;) {
    // One field: quoted parts are unescaped by copying down to `w`.
    std::size_t start = pos_, w = pos_;
    bool quoted = false;
    while (pos_ < size_) {
      char c = data_[pos_];
      if (quoted) {
        if (c == '"') {
          if (pos_ + 1 < size_ && data_[pos_ + 1] == '"') {
            data_[w++] = '"';
            pos_ += 2;
          } else {
            quoted = false;
            ++pos_;
          }
          continue;
        }
        if (c == '\n') ++line_;
        data_[w++] = c;
        ++pos_;
        continue;
      }
      if (c == ',' || c == '\n' || c == '\r') break;
      if (c == '"') {
        quoted = true;
        ++pos_;
        continue;
      }
      data_[w++] = c;
      ++pos_;
    }
    fields->emplace_back(data_ + start, w - start);
    if (quoted) {
      *unterminated = true;
      return true;
    }
    if (pos_ >= size_) return true;
    char c = data_[pos_++];
    if (c == ',') continue;
    if (c == '\r' && pos_ < size_ && data_[pos_] == '\n') ++pos_;
    ++line_;
    return true;
  }
}

}  // namespace atio
