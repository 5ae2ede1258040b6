// STIX 2.1 patterns (STIX 2.1 part 9, "STIX Patterning"): the parsed tree,
// the parser and the printer.
//
//   pattern      := obs_fb
//   obs_fb       := obs_or (FOLLOWEDBY obs_or)*        lowest precedence
//   obs_or       := obs_and (OR obs_and)*
//   obs_and      := obs_qual (AND obs_qual)*
//   obs_qual     := obs_primary qualifier*             qualifiers bind tightest
//   obs_primary  := '[' cmp_or ']' | '(' obs_fb ')'
//   qualifier    := WITHIN number SECONDS | REPEATS int TIMES | START t'..' STOP t'..'
//   cmp_or       := cmp_and (OR cmp_and)*
//   cmp_and      := cmp_unary (AND cmp_unary)*
//   cmp_unary    := '(' cmp_or ')' | EXISTS path | path [NOT] op operand
//   path         := type ':' key ('.' key | '[' (int | '*') ']')*
//   key          := identifier | 'quoted'
//
// Keywords are upper case and booleans lower case, as in the grammar. The
// parser checks syntax only; the rules beyond it (one SCO type per AND,
// qualifier ranges, UTC timestamps, regexes that compile, CIDR operands) are
// checked by check_pattern (pattern_validate.h). A parsed Pattern is
// immutable and may be read and matched from many threads.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <regex>
#include <string>
#include <string_view>
#include <vector>

#include "atio/core/status.h"
#include "atio/cti/stix/pattern_literal.h"
#include "atio/cti/stix/time.h"

namespace atio::stix::pattern {

// One step of an object path after the type: .key, [3], [*].
struct PathStep {
  enum class Kind { kKey, kIndex, kAnyIndex };
  Kind kind = Kind::kKey;
  std::string key;         // kKey
  std::int64_t index = 0;  // kIndex (negative indexes parse; they select nothing)

  bool operator==(const PathStep&) const = default;
};

// type:first.second[0]... , e.g. network-traffic:src_ref.value
struct ObjectPath {
  std::string object_type;
  std::vector<PathStep> steps;  // never empty; the first is a key
  std::size_t offset = 0;       // byte offset of the type (not compared)

  bool operator==(const ObjectPath& o) const {
    return object_type == o.object_type && steps == o.steps;
  }
  std::string to_string() const;
};

// A comparison expression: the inside of [ ].
struct ComparisonExpr {
  enum class Kind { kCompare, kExists, kAnd, kOr };
  Kind kind = Kind::kCompare;
  // kCompare, kExists
  ObjectPath path;
  // kCompare
  bool negated = false;
  CompareOp op = CompareOp::kEq;
  std::vector<Literal> operands;
  std::shared_ptr<const std::regex> regex;  // MATCHES when it compiles (not compared)
  // kAnd, kOr: two or more, left to right
  std::vector<ComparisonExpr> children;
  bool parenthesized = false;  // written in ( ), kept for printing

  bool operator==(const ComparisonExpr& o) const;
};

// An observation expression.
struct ObservationExpr {
  enum class Kind { kSimple, kAnd, kOr, kFollowedBy, kWithin, kRepeats, kStartStop };
  Kind kind = Kind::kSimple;
  ComparisonExpr comparison;             // kSimple
  std::vector<ObservationExpr> children;  // kAnd/kOr/kFollowedBy: two or more; qualifiers: one
  bool parenthesized = false;            // written in ( ), kept for printing
  Literal within;                        // kWithin: kInt or kFloat seconds
  std::int64_t repeats = 0;              // kRepeats
  Literal start, stop;                   // kStartStop: kTimestamp
  std::size_t offset = 0;                // byte offset where it starts (not compared)

  bool operator==(const ObservationExpr& o) const;
};

struct Pattern {
  ObservationExpr root;

  bool operator==(const Pattern&) const = default;
  // The pattern with normalised spacing; parses back to an equal Pattern.
  std::string to_string() const;
};

// Parses a whole pattern. Errors (kInvalidArgument) name the 1-based
// character position and what was expected: "position 14: expected ']',
// found 'AND'".
Result<Pattern> parse(std::string_view text);

// Printing of the parts (as in Pattern::to_string).
std::string to_string(const ComparisonExpr& e);
std::string to_string(const ObservationExpr& e);

}  // namespace atio::stix::pattern
