#include "atio/cti/convert/json_records.h"

#include <algorithm>
#include <cstring>

namespace atio::convert {

namespace {

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

}  // namespace

JsonRecords::JsonRecords(Input& in, std::size_t max_record_bytes)
    : in_(in), max_record_(max_record_bytes) {}

Status JsonRecords::fill() {
  if (eof_) return Status::ok();
  if (pos_ > 0) {
    buf_.erase(0, pos_);
    pos_ = 0;
  }
  const std::size_t chunk = 1 << 20;
  const std::size_t old = buf_.size();
  if (old > max_record_) {
    return Status(Code::kInvalidArgument, in_.name() + " line " + std::to_string(line_) +
                                              ": a record is larger than " +
                                              std::to_string(max_record_) + " bytes");
  }
  buf_.resize(old + chunk);
  auto n = in_.read(buf_.data() + old, chunk);
  if (!n.is_ok()) {
    buf_.resize(old);
    return n.status();
  }
  buf_.resize(old + *n);
  if (*n == 0) eof_ = true;
  return Status::ok();
}

Result<bool> JsonRecords::next(std::string_view* text, Location* at) {
  if (mode_ == Mode::kUnknown) {
    // The first non-blank byte decides: '[' is an array, otherwise values;
    // values are lines when the first one ends on its first line.
    for (;;) {
      while (pos_ < buf_.size() && is_space(buf_[pos_])) {
        if (buf_[pos_] == '\n') ++line_;
        ++pos_;
      }
      if (pos_ < buf_.size() || eof_) break;
      ATIO_RETURN_IF_ERROR(fill());
    }
    if (pos_ >= buf_.size()) return false;
    if (buf_[pos_] == '[') {
      mode_ = Mode::kArray;
      ++pos_;
    } else {
      std::string_view first;
      Location loc;
      mode_ = Mode::kValues;
      auto r = next_value(&first, &loc);
      if (!r.is_ok()) return r;
      const bool one_line = first.find('\n') == std::string_view::npos;
      mode_ = one_line ? Mode::kLines : Mode::kValues;
      *text = first;
      *at = loc;
      return *r;
    }
  }
  if (mode_ == Mode::kLines) return next_line(text, at);
  return next_value(text, at);
}

Result<bool> JsonRecords::next_line(std::string_view* text, Location* at) {
  for (;;) {
    // Skip blank lines.
    while (pos_ < buf_.size() && is_space(buf_[pos_])) {
      if (buf_[pos_] == '\n') ++line_;
      ++pos_;
    }
    if (pos_ >= buf_.size()) {
      if (eof_) return false;
      ATIO_RETURN_IF_ERROR(fill());
      continue;
    }
    const char* start = buf_.data() + pos_;
    const void* nl = std::memchr(start, '\n', buf_.size() - pos_);
    if (nl == nullptr && !eof_) {
      ATIO_RETURN_IF_ERROR(fill());
      continue;
    }
    const std::size_t len =
        nl ? static_cast<std::size_t>(static_cast<const char*>(nl) - start) : buf_.size() - pos_;
    std::size_t trimmed = len;
    while (trimmed > 0 && is_space(start[trimmed - 1])) --trimmed;
    *text = std::string_view(start, trimmed);
    *at = Location{line_, index_++};
    pos_ += len;
    return true;
  }
}

Result<bool> JsonRecords::next_value(std::string_view* text, Location* at) {
  for (;;) {
    // Between values: blanks, and in an array the commas and the closing bracket.
    while (pos_ < buf_.size() &&
           (is_space(buf_[pos_]) || (mode_ == Mode::kArray && buf_[pos_] == ','))) {
      if (buf_[pos_] == '\n') ++line_;
      ++pos_;
    }
    if (pos_ >= buf_.size()) {
      if (eof_) {
        if (mode_ == Mode::kArray && !array_closed_) {
          return Status(Code::kInvalidArgument,
                        in_.name() + " line " + std::to_string(line_) +
                            ": the input ends inside the top-level array (no closing ']')");
        }
        return false;
      }
      ATIO_RETURN_IF_ERROR(fill());
      continue;
    }
    if (mode_ == Mode::kArray && buf_[pos_] == ']') {
      array_closed_ = true;
      ++pos_;
      continue;
    }
    if (array_closed_) {
      return Status(Code::kInvalidArgument, in_.name() + " line " + std::to_string(line_) +
                                                ": unexpected data after the top-level array");
    }
    // Scan one value: track nesting outside strings.
    std::size_t i = pos_, depth = 0;
    bool in_string = false, escaped = false, done = false;
    for (;;) {
      for (; i < buf_.size(); ++i) {
        const char c = buf_[i];
        if (in_string) {
          if (c == '\n') {  // a raw newline cannot be in a string: a broken record
            done = true;
            break;
          }
          if (escaped) escaped = false;
          else if (c == '\\') escaped = true;
          else if (c == '"') in_string = false;
          continue;
        }
        if (c == '"') {
          in_string = true;
        } else if (c == '{' || c == '[') {
          ++depth;
        } else if (c == '}' || c == ']') {
          if (depth == 0) {  // the array's own ']' after a scalar element
            done = true;
            break;
          }
          if (--depth == 0) {
            ++i;
            done = true;
            break;
          }
        } else if (depth == 0 && (c == ',' || is_space(c))) {
          done = true;  // end of a scalar
          break;
        }
      }
      if (done || eof_) break;
      const std::size_t offset = i - pos_;
      ATIO_RETURN_IF_ERROR(fill());
      i = pos_ + offset;
    }
    *text = std::string_view(buf_.data() + pos_, i - pos_);
    *at = Location{line_, index_++};
    line_ += static_cast<std::size_t>(std::count(text->begin(), text->end(), '\n'));
    pos_ = i;
    return true;
  }
}

}  // namespace atio::convert
