// Regular expressions as the OASIS CACAO JSON schemas use them.
//
// JSON Schema validators (and the Python `jsonschema` package the schemas are
// tested with) apply `pattern` with Python `re.search` semantics: unanchored
// unless the pattern says ^/$, `$` also matches before a final "\n", `\b` is a
// word boundary. std::regex differs in those points and recurses per input
// character (a long string overflows the stack), so atio uses this small
// Thompson-NFA matcher instead: linear in the input, no recursion on input.
//
// Supported syntax (what the schemas use): literals, `.`, escapes (\. \\ \- \d
// \w \s \b ...), classes [a-z0-9_-] with ranges and negation, groups (...),
// alternation |, quantifiers ? * + {n} {n,} {n,m} {,m}, anchors ^ $.
// Matching is on bytes; a byte >= 0x80 counts as a word character for \b
// (Python counts letters of any script; the schemas' classes are ASCII).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace atio::cacao {

class Pattern {
 public:
  // REQUIRES: `source` is well-formed in the supported syntax (checked by an
  // assert; patterns are compile-time constants of this module).
  explicit Pattern(std::string_view source);

  // True when the pattern matches somewhere in `text` (Python re.search).
  bool search(std::string_view text) const;

  const std::string& source() const { return source_; }

  // One NFA instruction; public for the compiler in pattern.cc.
  struct Inst {
    enum class Op : std::uint8_t { kByte, kSplit, kJump, kBegin, kEnd, kWordBoundary, kMatch };
    Op op = Op::kMatch;
    int x = 0;  // kSplit/kJump: target; kSplit: first branch
    int y = 0;  // kSplit: second branch
    int set = -1;  // kByte: index into sets_
  };

 private:
  friend class PatternCompiler;
  std::string source_;
  std::vector<Inst> prog_;
  std::vector<std::vector<bool>> sets_;  // 256 entries each
};

}  // namespace atio::cacao
