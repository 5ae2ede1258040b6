// Helpers shared by the API handlers: body parsing with limits, field checks
// that collect every problem, timestamps.
#pragma once

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "atio/core/json.h"
#include "atio/playbook/cacao/model.h"
#include "atio/server/api/context.h"
#include "atio/server/errors.h"
#include "atio/server/http.h"

namespace atio::server {

std::int64_t now_ms();
// RFC 3339 text, or null for 0 ("never").
bj::value timestamp_json(std::int64_t ms);

// Parses `text` as JSON within the limits. On failure returns the response
// to send: 413 (too large), 400 invalid_json (syntax or depth, naming where).
Result<bj::value> parse_json(std::string_view text, const ApiLimits& limits);
Response json_error_response(const Status& status);

// 400 invalid_parameter naming the query parameter (pointer /query/<name>).
Response query_error(const std::string& name, const std::string& message);
// Reads an optional integer query parameter within [min, max] into *out
// (left as it is when absent). False, with *error set, on a bad value.
bool integer_query(const Request& request, const std::string& name, std::int64_t min,
                   std::int64_t max, std::int64_t* out, Response* error);

// Reads an optional time query parameter (RFC 3339, or ms since the epoch)
// into *out (left as it is when absent). False, with *error set, on a bad value.
bool time_query(const Request& request, const std::string& name, std::int64_t* out,
                Response* error);

// Reads the paging of a log numbered by seq: `order` (asc, the default, or
// desc), `after` (asc: entries with a greater seq), `before` (desc: entries
// with a smaller seq) and `limit` (1 to max_limit; *page's limit when
// absent). False, with *error set naming the parameter, on a bad value.
bool seq_page_query(const Request& request, std::int64_t max_limit, store::SeqPage* page,
                    Response* error);

// Parses the request body as a JSON object; on failure sets *error.
// An empty body is an empty object when `empty_ok`.
bool parse_object_body(const Request& request, const ApiLimits& limits, bool empty_ok,
                       bj::object* out, Response* error);

// Reads optional fields of a request object, recording a FieldError (under
// `/<key>`) when a field has the wrong type.
class FieldReader {
 public:
  explicit FieldReader(const bj::object& o) : o_(o) {}
  // nullopt when absent (or null); records an error when `required`.
  std::optional<std::string> string(std::string_view key, bool required = false);
  std::optional<bool> boolean(std::string_view key);
  std::optional<std::int64_t> integer(std::string_view key);
  const bj::object* object(std::string_view key);
  // Records an error for every key not in `known` ("unknown property").
  void reject_unknown(std::initializer_list<std::string_view> known);
  void add(std::string_view key, std::string message);
  json::FieldErrors& errors() { return errors_; }

 private:
  const bj::object& o_;
  json::FieldErrors errors_;
};

// Normalises variable names: "severity" and "__severity__" both become
// "__severity__". Records errors under `pointer` for names that are empty or
// hold characters other than letters, digits, '_' and '-'.
bj::object normalise_variables(const bj::object& vars, const std::string& pointer,
                               json::FieldErrors* errors);

// Checks each value against `playbook`'s declared variables (type, constant),
// so a bad value is a 422 naming it rather than a failed execution.
void check_variables(const cacao::Playbook& playbook, const bj::object& vars,
                     const std::string& pointer, json::FieldErrors* errors);

}  // namespace atio::server
