// Internal to atio_cacao: the building blocks of check_schema().
//
// The OASIS CACAO 2.0 schemas (draft-07) written out as code, one function per
// schema file, so that every error names the rule in a sentence. The verdict
// must equal a draft-07 validator's on the official schemas (the tests check
// it against Python jsonschema), so the code follows the schemas' exact logic,
// including what draft-07 does NOT check:
//   - `unevaluatedProperties` is a 2019-09 keyword: extra properties are allowed;
//   - `patternProperties` only validates keys that match a pattern: a workflow
//     key "step-1" or a variable "x" is not checked at all (load() and the
//     semantic rules report those);
//   - `pattern` is an unanchored Python re.search (see pattern.h);
//   - "integer" includes floats with a zero fraction (2.0).
#pragma once

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <cstddef>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>

#include "atio/core/json.h"
#include "atio/playbook/cacao/pattern.h"

namespace atio::cacao::schema {

namespace bj = boost::json;

// The patterns of data-types/identifier.json, data-types/timestamp.json and of
// variable names (playbook_variables / step_variables keys), verbatim.
const Pattern& identifier_pattern();
const Pattern& timestamp_pattern();
const Pattern& variable_name_pattern();

// True when `key` matches the schema's "^<prefix>--<uuid>$" key pattern.
bool is_keyed_id(std::string_view prefix, std::string_view key);

// JSON Schema draft-07 types over Boost.JSON values.
bool is_integer(const bj::value& v);  // int64, uint64, or a double with no fraction
bool is_number(const bj::value& v);   // any number (not bool)

class Checker {
 public:
  explicit Checker(json::FieldErrors* errors) : errors_(errors) {}

  void fail(std::string pointer, std::string message);

  // Type checks. Each reports a mismatch at `ptr` and returns null/false.
  const bj::object* object(const bj::value& v, const std::string& ptr);
  const bj::array* array(const bj::value& v, const std::string& ptr, std::size_t min_items = 0);
  bool string(const bj::value& v, const std::string& ptr);
  void boolean(const bj::value& v, const std::string& ptr);
  void integer(const bj::value& v, const std::string& ptr, std::optional<double> min = {},
               std::optional<double> max = {});
  void number(const bj::value& v, const std::string& ptr, std::optional<double> min,
              std::optional<double> max);
  void identifier(const bj::value& v, const std::string& ptr);
  void timestamp(const bj::value& v, const std::string& ptr);
  // A string equal to one of `allowed` (a JSON Schema enum of strings).
  void one_of(const bj::value& v, const std::string& ptr,
              std::initializer_list<std::string_view> allowed);
  void string_list(const bj::value& v, const std::string& ptr, std::size_t min_items);
  void identifier_list(const bj::value& v, const std::string& ptr, std::size_t min_items);
  // A minProperties rule on an object value (non-objects pass, as in JSON Schema).
  void min_properties(const bj::value& v, const std::string& ptr, std::size_t n);

  // One error per missing key, at `ptr`/key: "is required for <owner>".
  void required(const bj::object& o, const std::string& ptr,
                std::initializer_list<std::string_view> keys, std::string_view owner);

  // Calls fn(value, pointer) when `key` is present in `o`.
  template <typename F>
  void member(const bj::object& o, const std::string& ptr, std::string_view key, F&& fn) {
    if (const bj::value* v = o.if_contains(key)) fn(*v, json::pointer_join(ptr, key));
  }

  // Shared data types (data-types/*.json and the *_extensions dictionaries).
  void extensions(const bj::value& v, const std::string& ptr);
  void external_reference(const bj::value& v, const std::string& ptr);
  void external_references(const bj::value& v, const std::string& ptr, std::size_t min_items);
  void variables(const bj::value& v, const std::string& ptr);
  void variable(const bj::value& v, const std::string& ptr);
  void civic_location(const bj::value& v, const std::string& ptr);
  void contact(const bj::value& v, const std::string& ptr);

 private:
  json::FieldErrors* errors_;
};

// One function per schema family, each in its own file.
void check_workflow(Checker& c, const bj::value& workflow, const std::string& ptr);
// agent_definitions and target_definitions (agent-target/*.json).
void check_agent_targets(Checker& c, const bj::value& defs, const std::string& ptr);
// authentication_info_definitions (authentication-info/*.json).
void check_auth_infos(Checker& c, const bj::value& defs, const std::string& ptr);
// data_marking_definitions (data-markings/*.json).
void check_data_markings(Checker& c, const bj::value& defs, const std::string& ptr);
// signatures[] items (data-types/signature.json).
void check_signature(Checker& c, const bj::value& v, const std::string& ptr);
// extension_definitions (extension-definition/extension-definition.json).
void check_extension_definitions(Checker& c, const bj::value& defs, const std::string& ptr);

}  // namespace atio::cacao::schema
