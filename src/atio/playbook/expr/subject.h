// Resolves the left side of a comparison: the variable's value (or a part of
// a dictionary value) read according to the variable's CACAO type.
#pragma once

#include <cstdint>
#include <string>

#include "atio/core/status.h"
#include "atio/playbook/expr/ast.h"
#include "atio/cti/stix/pattern_ip.h"

namespace atio::expr::detail {

struct Subject {
  enum class Kind { kNone, kInt, kFloat, kBool, kString, kIp, kComposite };
  Kind kind = Kind::kNone;  // kNone: the variable (or path) has no value
  std::int64_t int_value = 0;
  double float_value = 0;
  bool bool_value = false;
  std::string text;    // kString: the value; kIp: as written; kComposite: "dictionary"/"array"
  IpNetwork network;   // kIp
  bool hex_like = false;  // hexstring and hash types: case-insensitive, h'' compares bytes
  std::string label;   // "variable __x__ (integer)", used in every error message
};

// True when the variable has a value: present, not null, and not "" for a
// non-text type (documents often declare `"value": ""` for "not set yet").
bool has_value(const cacao::Variable& var);

// Reads `path` through `lookup`. Values may be strings as in documents
// ("5" for an integer) or typed JSON as the engine stores them (5, true, {}).
// Errors (kInvalidArgument) name the variable: unknown, or a value that does
// not fit the declared type. No value (see has_value) or a path step that
// finds nothing yields kNone.
Result<Subject> resolve_subject(const ObjectPath& path, const VariableLookup& lookup);

}  // namespace atio::expr::detail
