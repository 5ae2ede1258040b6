// Tokens of the condition language. The lexer is pulled by the parser one
// token at a time, so errors come out in text order.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "atio/core/status.h"

namespace atio::expr::detail {

enum class TokenKind {
  kEnd,
  kVariable,  // __name__
  kWord,      // any other identifier: keywords, true/false, "value"
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

}  // namespace atio::expr::detail
