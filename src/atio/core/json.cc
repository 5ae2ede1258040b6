#include "atio/core/json.h"
#include "atio/core/json_write.h"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/parser.hpp>
#include <boost/json/error.hpp>

#include <fstream>
#include <sstream>

namespace atio::json {

namespace {

// Line and column (1-based) of a byte offset, for error messages.
std::string where(std::string_view text, std::size_t offset) {
  std::size_t line = 1, col = 1;
  for (std::size_t i = 0; i < offset && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++line;
      col = 1;
    } else {
      ++col;
    }
  }
  return "line " + std::to_string(line) + ", column " + std::to_string(col);
}

void pretty_into(std::string& out, const bj::value& v, int indent) {
  auto pad = [&](int n) { out.append(static_cast<std::size_t>(n) * 2, ' '); };
  switch (v.kind()) {
    case bj::kind::object: {
      const auto& o = v.get_object();
      if (o.empty()) { out += "{}"; return; }
      out += "{\n";
      bool first = true;
      for (const auto& kv : o) {
        if (!first) out += ",\n";
        first = false;
        pad(indent + 1);
        out += bj::serialize(bj::value(kv.key()));
        out += ": ";
        pretty_into(out, kv.value(), indent + 1);
      }
      out += "\n";
      pad(indent);
      out += "}";
      return;
    }
    case bj::kind::array: {
      const auto& a = v.get_array();
      if (a.empty()) { out += "[]"; return; }
      out += "[\n";
      for (std::size_t i = 0; i < a.size(); ++i) {
        if (i) out += ",\n";
        pad(indent + 1);
        pretty_into(out, a[i], indent + 1);
      }
      out += "\n";
      pad(indent);
      out += "]";
      return;
    }
    default:
      out += bj::serialize(v);
  }
}

}  // namespace

Result<bj::value> parse(std::string_view text, const ParseLimits& limits) {
  if (text.size() > limits.max_bytes) {
    return Status(Code::kPayloadTooLarge,
                  "document is " + std::to_string(text.size()) + " bytes, over the limit of " +
                      std::to_string(limits.max_bytes));
  }
  bj::parse_options opts;
  opts.max_depth = limits.max_depth;
  bj::parser p(bj::storage_ptr(), opts);
  boost::system::error_code ec;
  std::size_t n = p.write(text.data(), text.size(), ec);
  if (ec) {
    if (ec == bj::error::too_deep) {
      return Status(Code::kInvalidArgument, "JSON nesting is deeper than the limit of " +
                                                std::to_string(limits.max_depth) + " at " +
                                                where(text, n));
    }
    return Status(Code::kInvalidArgument, "invalid JSON at " + where(text, n) + ": " + ec.message());
  }
  return p.release();
}

Result<bj::value> parse_file(const std::string& path, const ParseLimits& limits) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status(Code::kIo, "cannot open " + path);
  std::ostringstream ss;
  ss << in.rdbuf();
  auto r = parse(ss.str(), limits);
  if (!r) return r.status().with_context(path);
  return r;
}

std::string dump(const bj::value& v) {
  std::string out;
  dump_append(v, &out);
  return out;
}

std::string pretty(const bj::value& v) {
  std::string out;
  pretty_into(out, v, 0);
  return out;
}

std::string escape_token(std::string_view token) {
  std::string out;
  out.reserve(token.size());
  for (char c : token) {
    if (c == '~') out += "~0";
    else if (c == '/') out += "~1";
    else out += c;
  }
  return out;
}

std::string pointer_join(std::string_view parent, std::string_view token) {
  std::string out(parent);
  out += '/';
  out += escape_token(token);
  return out;
}

std::string pointer_join(std::string_view parent, std::size_t index) {
  std::string out(parent);
  out += '/';
  out += std::to_string(index);
  return out;
}

bj::array to_json(const FieldErrors& errors) {
  bj::array a;
  a.reserve(errors.size());
  for (const auto& e : errors) {
    a.push_back(bj::object{{"pointer", e.pointer}, {"message", e.message}});
  }
  return a;
}

std::string to_text(const FieldErrors& errors) {
  std::string out;
  for (const auto& e : errors) {
    out += e.pointer.empty() ? "(document)" : e.pointer;
    out += ": ";
    out += e.message;
    out += '\n';
  }
  return out;
}

const bj::string* get_string(const bj::object& o, std::string_view key) {
  auto it = o.find(key);
  return it != o.end() && it->value().is_string() ? &it->value().get_string() : nullptr;
}

const bj::object* get_object(const bj::object& o, std::string_view key) {
  auto it = o.find(key);
  return it != o.end() && it->value().is_object() ? &it->value().get_object() : nullptr;
}

const bj::array* get_array(const bj::object& o, std::string_view key) {
  auto it = o.find(key);
  return it != o.end() && it->value().is_array() ? &it->value().get_array() : nullptr;
}

}  // namespace atio::json
