// MATCHES: regular expressions of the patterning language.
//
// The spec asks for PCRE; atio uses std::regex with the ECMAScript grammar,
// which covers the PCRE subset patterns use in practice (classes, anchors,
// alternation, quantifiers, \d \w \s, non-greedy, lookahead). PCRE-only
// syntax (lookbehind, inline flags such as (?i), possessive quantifiers,
// \A \z, named groups (?P<n>...)) fails to compile and is reported. Matching
// is over bytes: '.' matches one byte, not one UTF-8 character, and \xNN
// matches the byte NN (which is what binary properties need).
#pragma once

#include <memory>
#include <regex>
#include <string>
#include <string_view>

#include "atio/core/status.h"

namespace atio::stix::pattern {

// libstdc++'s std::regex recurses per input character (about 1 KiB of stack
// per character for patterns such as '((a|b)|(c|d))*'; 8000 characters
// overflow an 8 MiB thread stack). Longer inputs are refused instead.
inline constexpr std::size_t kMaxMatchesInput = 4096;

// Compiles `expression`; the error (kInvalidArgument) is the library's
// description of what is wrong, e.g. "Mismatched '(' and ')' in regular
// expression".
Result<std::shared_ptr<const std::regex>> compile_regex(std::string_view expression);

// True when `re` matches somewhere in `text` (search, not a full match, as in
// PCRE without anchors). kInvalidArgument when `text` is longer than
// kMaxMatchesInput or the library gives up (complexity).
Result<bool> regex_search_bounded(const std::regex& re, std::string_view text);

}  // namespace atio::stix::pattern
