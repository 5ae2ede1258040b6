#include "atio/cti/convert/writer.h"

#include <cerrno>
#include <cstring>

#include "atio/core/json.h"
#include "atio/core/json_write.h"

namespace atio::convert {

JsonLinesWriter::JsonLinesWriter(std::FILE* file, std::string name, bool pretty)
    : file_(file), name_(std::move(name)), pretty_(pretty) {
  buf_.reserve(1 << 20);
}

JsonLinesWriter::~JsonLinesWriter() { (void)flush(); }

Status JsonLinesWriter::write(bj::object&& document) {
  if (pretty_) {
    buf_ += json::pretty(document);
  } else {
    json::dump_append(document, &buf_);
  }
  buf_.push_back('\n');
  if (buf_.size() >= (1 << 20)) return flush();
  return Status::ok();
}

Status JsonLinesWriter::write_json(std::string_view text) {
  if (pretty_) return Output::write_json(text);
  buf_.append(text);
  buf_.push_back('\n');
  if (buf_.size() >= (1 << 20)) return flush();
  return Status::ok();
}

Status JsonLinesWriter::flush() {
  if (buf_.empty()) return Status::ok();
  const std::size_t n = std::fwrite(buf_.data(), 1, buf_.size(), file_);
  buf_.clear();
  if (n == 0 || std::fflush(file_) != 0) {
    return Status(Code::kIo, name_ + ": " + std::strerror(errno));
  }
  return Status::ok();
}

}  // namespace atio::convert
