#include "atio/server/api/common.h"

#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <chrono>
#include <cstdint>

#include "atio/core/ids.h"
#include "atio/cti/stix/time.h"
#include "atio/engine/variables.h"

namespace atio::server {

std::int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

bj::value timestamp_json(std::int64_t ms) {
  if (ms == 0) return nullptr;
  return bj::value(format_timestamp(std::chrono::system_clock::time_point(std::chrono::milliseconds(ms))));
}

Result<bj::value> parse_json(std::string_view text, const ApiLimits& limits) {
  json::ParseLimits pl;
  pl.max_bytes = limits.max_body_bytes;
  pl.max_depth = limits.max_json_depth;
  return json::parse(text, pl);
}

Response json_error_response(const Status& status) {
  if (status.code() == Code::kPayloadTooLarge) {
    return error_response(413, "payload_too_large", status.message());
  }
  return error_response(400, "invalid_json", "the request body is not valid JSON",
                        {{"", status.message()}});
}

Response query_error(const std::string& name, const std::string& message) {
  return error_response(400, "invalid_parameter", "query parameter " + name + " " + message,
                        {{"/query/" + name, message}});
}

bool integer_query(const Request& request, const std::string& name, std::int64_t min,
                   std::int64_t max, std::int64_t* out, Response* error) {
  auto text = request.query_param(name);
  if (!text) return true;
  char* end = nullptr;
  errno = 0;
  long long v = std::strtoll(text->c_str(), &end, 10);
  if (text->empty() || *end != '\0' || errno == ERANGE || v < min || v > max) {
    *error = query_error(name, "must be an integer from " + std::to_string(min) + " to " +
                                   std::to_string(max));
    return false;
  }
  *out = v;
  return true;
}

bool parse_object_body(const Request& request, const ApiLimits& limits, bool empty_ok,
                       bj::object* out, Response* error) {
  std::string_view body = request.body;
  if (empty_ok && body.find_first_not_of(" \t\r\n") == std::string_view::npos) {
    *out = {};
    return true;
  }
  auto v = parse_json(body, limits);
  if (!v.is_ok()) {
    *error = json_error_response(v.status());
    return false;
  }
  if (!v->is_object()) {
    *error = unprocessable("invalid_request", "the request body must be a JSON object",
                           {{"", "must be a JSON object"}});
    return false;
  }
  *out = std::move(v->get_object());
  return true;
}

std::optional<std::string> FieldReader::string(std::string_view key, bool required) {
  auto it = o_.find(key);
  if (it == o_.end() || it->value().is_null()) {
    if (required) add(key, "is required");
    return std::nullopt;
  }
  if (!it->value().is_string()) {
    add(key, "must be a string");
    return std::nullopt;
  }
  return std::string(it->value().get_string());
}

std::optional<bool> FieldReader::boolean(std::string_view key) {
  auto it = o_.find(key);
  if (it == o_.end() || it->value().is_null()) return std::nullopt;
  if (!it->value().is_bool()) {
    add(key, "must be true or false");
    return std::nullopt;
  }
  return it->value().get_bool();
}

std::optional<std::int64_t> FieldReader::integer(std::string_view key) {
  auto it = o_.find(key);
  if (it == o_.end() || it->value().is_null()) return std::nullopt;
  const bj::value& v = it->value();
  if (v.is_int64()) return v.get_int64();
  if (v.is_uint64() && v.get_uint64() <= static_cast<std::uint64_t>(INT64_MAX)) {
    return static_cast<std::int64_t>(v.get_uint64());
  }
  if (v.is_double() && v.get_double() == static_cast<double>(static_cast<std::int64_t>(v.get_double()))) {
    return static_cast<std::int64_t>(v.get_double());
  }
  add(key, "must be an integer");
  return std::nullopt;
}

const bj::object* FieldReader::object(std::string_view key) {
  auto it = o_.find(key);
  if (it == o_.end() || it->value().is_null()) return nullptr;
  if (!it->value().is_object()) {
    add(key, "must be a JSON object");
    return nullptr;
  }
  return &it->value().get_object();
}

void FieldReader::reject_unknown(std::initializer_list<std::string_view> known) {
  for (const auto& kv : o_) {
    bool ok = false;
    for (auto k : known) ok = ok || kv.key() == k;
    if (!ok) add(kv.key(), "is not a known property");
  }
}

void FieldReader::add(std::string_view key, std::string message) {
  errors_.push_back({json::pointer_join("", key), std::move(message)});
}

bj::object normalise_variables(const bj::object& vars, const std::string& pointer,
                               json::FieldErrors* errors) {
  bj::object out;
  for (const auto& kv : vars) {
    std::string name(kv.key());
    std::string bare = name;
    if (bare.size() > 4 && bare.rfind("__", 0) == 0 && bare.compare(bare.size() - 2, 2, "__") == 0) {
      bare = bare.substr(2, bare.size() - 4);
    }
    bool ok = !bare.empty();
    for (char c : bare) ok = ok && (std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-');
    if (!ok) {
      errors->push_back({json::pointer_join(pointer, name),
                         "is not a variable name (letters, digits, '_' and '-', optionally "
                         "wrapped in __)"});
      continue;
    }
    out["__" + bare + "__"] = kv.value();
  }
  return out;
}

void check_variables(const cacao::Playbook& playbook, const bj::object& vars,
                     const std::string& pointer, json::FieldErrors* errors) {
  for (const auto& kv : vars) {
    const std::string at = json::pointer_join(pointer, kv.key());
    auto it = playbook.playbook_variables.find(std::string(kv.key()));
    if (it != playbook.playbook_variables.end() && it->second.constant) {
      errors->push_back({at, "is a constant of the playbook and cannot be set"});
      continue;
    }
    auto scope = engine::VariableScope::create(playbook.playbook_variables,
                                               bj::object{{kv.key(), kv.value()}});
    if (!scope.is_ok()) errors->push_back({at, scope.status().message()});
  }
}

bool time_query(const Request& request, const std::string& name, std::int64_t* out,
                Response* error) {
  auto v = request.query_param(name);
  if (!v || v->empty()) return true;
  if (v->find_first_not_of("0123456789") == std::string::npos && v->size() < 17) {
    *out = std::stoll(*v);
    return true;
  }
  stix::TimePoint t;
  if (!stix::parse_time(*v, &t)) {
    *error = query_error(
        name, "must be an RFC 3339 time (years 1678 to 2262) or milliseconds since the epoch");
    return false;
  }
  *out = std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
  return true;
}

bool seq_page_query(const Request& request, std::int64_t max_limit, store::SeqPage* page,
                    Response* error) {
  const std::string order = request.query_param("order").value_or("asc");
  if (order != "asc" && order != "desc" && !order.empty()) {
    *error = query_error("order", "must be asc (oldest first) or desc (newest first)");
    return false;
  }
  page->newest_first = order == "desc";
  if (!integer_query(request, "after", 0, INT64_MAX, &page->after_seq, error) ||
      !integer_query(request, "before", 0, INT64_MAX, &page->before_seq, error) ||
      !integer_query(request, "limit", 1, max_limit, &page->limit, error)) {
    return false;
  }
  if (page->newest_first && page->after_seq != 0) {
    *error = query_error("after", "pages newest first (order=desc) go on with before, not after");
    return false;
  }
  if (!page->newest_first && page->before_seq != 0) {
    *error = query_error("before", "is for pages newest first (order=desc)");
    return false;
  }
  return true;
}

}  // namespace atio::server
