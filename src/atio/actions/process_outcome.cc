#include "atio/actions/process_outcome.h"

#include <unistd.h>

#include <boost/json/parse.hpp>

#include <cerrno>
#include <optional>

#include "atio/actions/http/utf8.h"
#include "atio/core/base64.h"

namespace atio::actions {

namespace {

std::string last_line(const std::string& text) {
  std::size_t end = text.find_last_not_of("\r\n \t");
  if (end == std::string::npos) return "";
  std::size_t start = text.rfind('\n', end);
  start = start == std::string::npos ? 0 : start + 1;
  std::string line = text.substr(start, end + 1 - start);
  if (line.size() > 300) line = line.substr(0, 300) + "...";
  return line;
}

}  // namespace

std::string as_text(const std::string& bytes) {
  if (valid_utf8(bytes)) return bytes;
  std::string out;
  std::size_t i = 0;
  while (i < bytes.size()) {
    std::size_t len = 1;
    auto c = static_cast<unsigned char>(bytes[i]);
    if (c >= 0xF0) len = 4;
    else if (c >= 0xE0) len = 3;
    else if (c >= 0xC0) len = 2;
    std::string_view piece(bytes.data() + i, std::min(len, bytes.size() - i));
    if (valid_utf8(piece) && piece.size() == len) {
      out.append(piece);
      i += len;
    } else {
      out.append("\xEF\xBF\xBD");
      ++i;
    }
  }
  return out;
}

std::string read_spooled(int fd, std::uint64_t from, std::uint64_t size) {
  std::string out(static_cast<std::size_t>(size), '\0');
  std::size_t got = 0;
  while (got < out.size()) {
    ssize_t n = ::pread(fd, out.data() + got, out.size() - got, static_cast<off_t>(from + got));
    if (n <= 0) {
      if (n < 0 && errno == EINTR) continue;
      break;
    }
    got += static_cast<std::size_t>(n);
  }
  out.resize(got);
  return out;
}

Outcome process_outcome(ProcessResult r, const std::vector<std::string>& out_args,
                        std::size_t inline_output_bytes, const std::string& failure) {
  Outcome o;
  bool ran = r.exit_code >= 0;
  if (ran) o.outputs["exit_code"] = r.exit_code;
  o.outputs["elapsed_ms"] = static_cast<double>(r.elapsed.count()) / 1000.0;
  if (r.stderr_bytes > 0) {
    o.outputs["stderr"] = as_text(r.stderr_tail);
    if (r.stderr_bytes > r.stderr_tail.size()) {
      o.outputs["stderr_bytes"] = static_cast<std::uint64_t>(r.stderr_bytes);
    }
  }

  std::string out;
  bool in_file = false;
  std::optional<boost::json::value> parsed;
  if (r.stdout_file && r.stdout_bytes > inline_output_bytes) {
    in_file = true;
    o.outputs["stdout_bytes"] = static_cast<std::uint64_t>(r.stdout_bytes);
    o.files.push_back({"stdout", std::move(r.stdout_file), "application/octet-stream"});
  } else if (ran || r.stdout_bytes > 0) {
    if (r.stdout_file) out = read_spooled(r.stdout_file.get(), 0, r.stdout_bytes);
    if (valid_utf8(out)) {
      o.outputs["stdout"] = out;
      boost::system::error_code ec;
      auto v = out.empty() ? boost::json::value() : boost::json::parse(out, ec);
      if (!out.empty() && !ec) {
        o.outputs["json"] = v;
        parsed = std::move(v);
      }
    } else {
      o.outputs["stdout_b64"] = base64_encode(out);
    }
  }

  if (!r.status.is_ok()) {
    o.status = std::move(r.status);
    return o;
  }
  if (r.exit_code != 0) {
    std::string line = last_line(as_text(r.stderr_tail));
    o.status = Status(Code::kFailed, failure + (line.empty() ? "" : ": " + line));
    return o;
  }
  if (in_file || out.empty() || out_args.empty()) return o;

  if (parsed && parsed->is_object()) {
    bool any = false;
    for (const auto& name : out_args) {
      if (const auto* v = parsed->get_object().if_contains(name)) {
        o.out_args[name] = *v;
        any = true;
      }
    }
    if (any) return o;
  }
  if (parsed) {
    o.out_args[out_args[0]] = std::move(*parsed);
  } else {
    std::string text = as_text(out);
    if (!text.empty() && text.back() == '\n') text.pop_back();
    if (!text.empty() && text.back() == '\r') text.pop_back();
    o.out_args[out_args[0]] = text;
  }
  return o;
}

}  // namespace atio::actions
