// Validation of STIX indicator patterns: syntax, then the rules of STIX 2.1
// part 9 beyond the grammar.
//
//   - comparison expressions joined by AND in one observation expression use
//     one SCO type (section 9.5: an AND is true for one object);
//   - object types are well-formed type names (a-z, 0-9, '-', no '--',
//     starting with a letter, 3 to 250 characters);
//   - WITHIN > 0 seconds, REPEATS > 0 times, START before STOP, and no
//     qualifier of one kind applied twice to the same expression;
//   - timestamp literals are STIX timestamps (UTC, 'Z': t'2016-01-01T00:00:00Z');
//   - MATCHES expressions compile (as ECMAScript, see pattern_regex.h);
//   - ISSUBSET/ISSUPERSET take an IPv4/IPv6 address or CIDR string;
//   - the literals of one IN list have one type;
//   - string literals escape only ' and \ (a lone backslash is reported).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "atio/core/status.h"
#include "atio/cti/stix/pattern.h"

namespace atio::stix {

struct PatternProblem {
  std::size_t position = 0;  // 1-based character position in the pattern
  std::string message;       // what is wrong, without the position

  // "position 12: message"
  std::string to_string() const;
};

// Every problem of `text`, in text order. A syntax error is reported alone
// (nothing else can be checked without a tree). Empty when valid.
std::vector<PatternProblem> pattern_problems(std::string_view text);

// The problems of an already parsed pattern; `text` is what it was parsed
// from (for positions).
std::vector<PatternProblem> pattern_problems(const pattern::Pattern& p, std::string_view text);

// OK when the pattern is valid, else kInvalidArgument listing every problem
// ("position 2: ...; position 40: ...").
Status check_pattern(std::string_view pattern);

// True when `type` is a well-formed STIX type name.
bool is_valid_type_name(std::string_view type);

}  // namespace atio::stix
