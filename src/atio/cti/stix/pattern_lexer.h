// Tokens of the STIX patterning language (STIX 2.1 section 9), shared by STIX
// indicator patterns and CACAO conditions. The lexer is pulled by a parser one
// token at a time, so errors come out in text order; TokenStream adds the
// one-token lookahead and the "position N: expected X, found Y" errors both
// parsers report.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "atio/core/status.h"

namespace atio::stix::pattern {

enum class TokenKind {
  kEnd,
  kWord,      // an identifier [a-zA-Z_][a-zA-Z0-9_-]*: keywords, true/false,
              // object types, property names, CACAO __variables__
  kString,    // 'text'
  kInt,
  kFloat,
  kTimestamp,  // t'...'
  kHex,        // h'...'
  kBinary,     // b'...'
  kLParen,
  kRParen,
  kLBracket,
  kRBracket,
  kComma,
  kColon,
  kStar,  // * (list index [*])
  kDot,
  kEq,  // = or ==
  kNe,  // != or <>
  kLt,
  kLe,
  kGt,
  kGe,
  kInvalid,  // one character that starts no token; the parser reports it
};

struct Token {
  TokenKind kind = TokenKind::kEnd;
  std::size_t offset = 0;  // byte offset of the first character
  std::string_view text;   // as written
  std::string value;       // kString: unescaped; kHex/kBinary: decoded bytes
  std::int64_t int_value = 0;
  double float_value = 0;
  std::chrono::system_clock::time_point time{};
  // A quoted literal with a backslash before a character other than ' or \.
  // It is kept as written (so regular expressions need no doubling); STIX
  // validation reports it, as the grammar allows only \' and \\.
  bool loose_escape = false;
};

class Lexer {
 public:
  explicit Lexer(std::string_view text) : text_(text) {}

  // The next token; kEnd forever at the end. Errors (kInvalidArgument) are
  // malformed literals: an unterminated string, a bad timestamp, hex or
  // base64 body, an integer outside int64.
  Result<Token> next();

  // 1-based character (UTF-8 code point) position of a byte offset.
  std::size_t position(std::size_t offset) const;
  // "position N: " for a byte offset.
  std::string where(std::size_t offset) const;

 private:
  Result<Token> lex_quoted(Token tok, std::size_t quote);
  Result<Token> lex_number(Token tok);

  std::string_view text_;
  std::size_t pos_ = 0;
};

// True when `tok` is the word `keyword` (ASCII case-insensitive).
bool is_keyword(const Token& tok, std::string_view keyword);

// How a token is shown in "found ..." messages: 'text' or "end of input".
std::string describe(const Token& tok);

// The token under the cursor of a parser. STIX patterns spell keywords in
// upper case (AND, WITHIN) and booleans in lower case; CACAO conditions
// accept any case: `case_sensitive` chooses.
class TokenStream {
 public:
  TokenStream(std::string_view text, bool case_sensitive)
      : lexer_(text), case_sensitive_(case_sensitive) {}

  // Moves to the next token. Errors are malformed literals (see Lexer::next).
  Status advance();
  const Token& token() const { return tok_; }
  const Lexer& lexer() const { return lexer_; }
  bool case_sensitive() const { return case_sensitive_; }

  // True when the current token is the keyword (in the stream's case rule).
  bool at(std::string_view keyword) const;
  // kInvalidArgument "position N: expected <what>, found <token>".
  Status expected(std::string_view what) const;
  // "position N: " for a byte offset.
  std::string where(std::size_t offset) const { return lexer_.where(offset); }

 private:
  Lexer lexer_;
  Token tok_;
  bool case_sensitive_;
};

}  // namespace atio::stix::pattern
