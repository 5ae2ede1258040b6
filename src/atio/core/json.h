// JSON helpers over Boost.JSON: parsing with limits, JSON pointers, and the
// field-error list that validators and the API report to users.
#pragma once

#include <boost/json/value.hpp>
#include <boost/json/object.hpp>
#include <boost/json/array.hpp>
#include <boost/json/string.hpp>

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "atio/core/status.h"

namespace atio::json {

namespace bj = boost::json;

struct ParseLimits {
  std::size_t max_bytes = 10 * 1024 * 1024;  // 10 MiB
  std::size_t max_depth = 64;
};

// Parses one JSON document. Errors name the byte offset, line and column.
Result<bj::value> parse(std::string_view text, const ParseLimits& limits = {});

// Reads and parses a file; errors name the file.
Result<bj::value> parse_file(const std::string& path, const ParseLimits& limits = {});

// Compact serialisation.
std::string dump(const bj::value& v);
// Indented serialisation for humans (2 spaces).
std::string pretty(const bj::value& v);

// Escapes one reference token for a JSON pointer (RFC 6901: ~ -> ~0, / -> ~1).
std::string escape_token(std::string_view token);
// Joins a parent pointer and a token: pointer_join("/workflow", "a/b") == "/workflow/a~1b".
std::string pointer_join(std::string_view parent, std::string_view token);
std::string pointer_join(std::string_view parent, std::size_t index);

// A problem with one field of a document: where (JSON pointer) and what rule.
struct FieldError {
  std::string pointer;  // "" means the whole document
  std::string message;  // one sentence naming the rule that failed
};
using FieldErrors = std::vector<FieldError>;

// {"errors":[{"pointer":..., "message":...}, ...]}
bj::array to_json(const FieldErrors& errors);
// "pointer: message" lines, for the CLI.
std::string to_text(const FieldErrors& errors);

// Typed accessors that return nullptr when absent or of another type.
const bj::string* get_string(const bj::object& o, std::string_view key);
const bj::object* get_object(const bj::object& o, std::string_view key);
const bj::array* get_array(const bj::object& o, std::string_view key);

}  // namespace atio::json
