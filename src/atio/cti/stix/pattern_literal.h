// Literals and comparison operators of the patterning language, and the part
// of a comparison after its object path (`[NOT] op operand`), parsed the same
// way for STIX indicator patterns and CACAO conditions.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <regex>
#include <string>
#include <vector>

#include "atio/core/status.h"
#include "atio/cti/stix/pattern_ip.h"
#include "atio/cti/stix/pattern_lexer.h"

namespace atio::stix::pattern {

struct Literal {
  enum class Kind { kString, kInt, kFloat, kBool, kTimestamp, kHex, kBinary };
  Kind kind = Kind::kString;
  std::string text;  // kString: the value; kHex/kBinary: the decoded bytes; kTimestamp: as written
  std::int64_t int_value = 0;
  double float_value = 0;
  bool bool_value = false;
  std::chrono::system_clock::time_point time{};
  std::optional<IpNetwork> network;  // kString that is an address or CIDR
  std::string source;                // normalised literal text, for to_string()
  std::size_t offset = 0;            // byte offset in the parsed text (not compared)
  bool loose_escape = false;         // see Token::loose_escape (not compared)

  // Same kind and value.
  bool operator==(const Literal& other) const;
};

enum class CompareOp { kEq, kNe, kLt, kLe, kGt, kGe, kIn, kLike, kMatches, kIsSubset, kIsSuperset };

// "=", "!=", "IN", ...
const char* compare_op_name(CompareOp op);

// The literal under the cursor, then advances. Booleans are true/false (in
// any case unless the stream is case-sensitive). Errors: "expected <what>".
Result<Literal> parse_literal(TokenStream& ts, std::string_view what);

// `[NOT] op operand` of a comparison.
struct ComparisonTail {
  bool negated = false;
  CompareOp op = CompareOp::kEq;
  std::vector<Literal> operands;             // one, or the set of IN (never empty)
  std::shared_ptr<const std::regex> regex;  // MATCHES, when the expression compiles
  // The first operand the operator cannot use: a MATCHES expression that does
  // not compile, an ISSUBSET/ISSUPERSET string that is no IP address or CIDR.
  // Parsing succeeds anyway; CACAO conditions refuse it at once, STIX
  // patterns leave it to validation (check_pattern).
  Status operand_problem;
};

// Parses from the operator on; the object path has been read. Follows the
// STIX grammar: = and != take any literal, < <= > >= an orderable one (not a
// boolean), IN a parenthesised non-empty list, LIKE MATCHES ISSUBSET
// ISSUPERSET a string.
Result<ComparisonTail> parse_comparison_tail(TokenStream& ts);

}  // namespace atio::stix::pattern
