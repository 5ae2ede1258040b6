#include "atio/cti/stix/pattern_lexer.h"

#include <charconv>

#include "atio/core/ids.h"
#include "atio/cti/stix/pattern_text.h"

namespace atio::stix::pattern {

namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_word_start(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
bool is_word_char(char c) { return is_word_start(c) || is_digit(c) || c == '-'; }

char upper(char c) { return (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c; }

}  // namespace

bool is_keyword(const Token& tok, std::string_view keyword) {
  if (tok.kind != TokenKind::kWord || tok.text.size() != keyword.size()) return false;
  for (std::size_t i = 0; i < keyword.size(); ++i) {
    if (upper(tok.text[i]) != upper(keyword[i])) return false;
  }
  return true;
}

std::string describe(const Token& tok) {
  if (tok.kind == TokenKind::kEnd) return "end of input";
  std::string_view t = tok.text;
  // Quoted literals already show their quotes.
  bool quoted = tok.kind == TokenKind::kString || tok.kind == TokenKind::kTimestamp ||
                tok.kind == TokenKind::kHex || tok.kind == TokenKind::kBinary;
  std::string q = quoted ? "" : "'";
  if (t.size() > 40) return q + std::string(t.substr(0, 40)) + "..." + q;
  return q + std::string(t) + q;
}

std::size_t Lexer::position(std::size_t offset) const {
  std::size_t chars = 0;
  for (std::size_t i = 0; i < offset && i < text_.size(); ++i) {
    if ((static_cast<unsigned char>(text_[i]) & 0xc0) != 0x80) ++chars;
  }
  return chars + 1;
}

std::string Lexer::where(std::size_t offset) const {
  return "position " + std::to_string(position(offset)) + ": ";
}

Result<Token> Lexer::next() {
  while (pos_ < text_.size() &&
         (text_[pos_] == ' ' || text_[pos_] == '\t' || text_[pos_] == '\n' || text_[pos_] == '\r')) {
    ++pos_;
  }
  Token tok;
  tok.offset = pos_;
  if (pos_ >= text_.size()) {
    tok.kind = TokenKind::kEnd;
    return tok;
  }
  char c = text_[pos_];
  char n = pos_ + 1 < text_.size() ? text_[pos_ + 1] : '\0';
  auto single = [&](TokenKind kind, std::size_t len) -> Result<Token> {
    tok.kind = kind;
    tok.text = text_.substr(pos_, len);
    pos_ += len;
    return tok;
  };
  switch (c) {
    case '(': return single(TokenKind::kLParen, 1);
    case ')': return single(TokenKind::kRParen, 1);
    case '[': return single(TokenKind::kLBracket, 1);
    case ']': return single(TokenKind::kRBracket, 1);
    case ',': return single(TokenKind::kComma, 1);
    case ':': return single(TokenKind::kColon, 1);
    case '*': return single(TokenKind::kStar, 1);
    case '.': return single(TokenKind::kDot, 1);
    case '=': return single(TokenKind::kEq, n == '=' ? 2 : 1);
    case '!':
      if (n == '=') return single(TokenKind::kNe, 2);
      break;
    case '<':
      if (n == '=') return single(TokenKind::kLe, 2);
      if (n == '>') return single(TokenKind::kNe, 2);
      return single(TokenKind::kLt, 1);
    case '>':
      if (n == '=') return single(TokenKind::kGe, 2);
      return single(TokenKind::kGt, 1);
    case '\'':
      tok.kind = TokenKind::kString;
      return lex_quoted(std::move(tok), pos_);
    default: break;
  }
  if ((c == 't' || c == 'T' || c == 'h' || c == 'H' || c == 'b' || c == 'B') && n == '\'') {
    tok.kind = (c == 't' || c == 'T')   ? TokenKind::kTimestamp
               : (c == 'h' || c == 'H') ? TokenKind::kHex
                                        : TokenKind::kBinary;
    return lex_quoted(std::move(tok), pos_ + 1);
  }
  if (is_digit(c) || (c == '-' && is_digit(n))) return lex_number(std::move(tok));
  if (is_word_start(c)) {
    std::size_t end = pos_ + 1;
    while (end < text_.size() && is_word_char(text_[end])) ++end;
    tok.text = text_.substr(pos_, end - pos_);
    tok.kind = TokenKind::kWord;
    pos_ = end;
    return tok;
  }
  // One whole UTF-8 character, so that "found" shows it intact.
  std::size_t len = 1;
  while (pos_ + len < text_.size() && (static_cast<unsigned char>(text_[pos_ + len]) & 0xc0) == 0x80) {
    ++len;
  }
  return single(TokenKind::kInvalid, len);
}

Result<Token> Lexer::lex_quoted(Token tok, std::size_t quote_at) {
  // Escapes: \' and \\; a backslash before any other character is kept as
  // written, so regular expressions such as '\d+' need no doubling.
  std::string value;
  std::size_t i = quote_at + 1;
  bool closed = false;
  while (i < text_.size()) {
    char c = text_[i];
    if (c == '\\' && i + 1 < text_.size() && (text_[i + 1] == '\'' || text_[i + 1] == '\\')) {
      value.push_back(text_[i + 1]);
      i += 2;
    } else if (c == '\\') {
      tok.loose_escape = true;
      value.push_back(c);
      ++i;
    } else if (c == '\'') {
      closed = true;
      ++i;
      break;
    } else {
      value.push_back(c);
      ++i;
    }
  }
  if (!closed) {
    return Status(Code::kInvalidArgument, where(tok.offset) + "unterminated string literal");
  }
  tok.text = text_.substr(tok.offset, i - tok.offset);
  pos_ = i;
  auto bad = [&](std::string_view what) {
    return Status(Code::kInvalidArgument,
                  where(tok.offset) + "expected " + std::string(what) + ", found " + describe(tok));
  };
  switch (tok.kind) {
    case TokenKind::kTimestamp:
      if (!parse_timestamp(value, &tok.time)) {
        return bad("an RFC 3339 timestamp such as t'2023-01-01T00:00:00Z'");
      }
      tok.value = std::move(value);
      break;
    case TokenKind::kHex: {
      auto bytes = hex_decode(value);
      if (!bytes) return bad("an even number of hex digits such as h'0aff'");
      tok.value = std::move(*bytes);
      break;
    }
    case TokenKind::kBinary: {
      auto bytes = base64_decode(value);
      if (!bytes) return bad("base64 such as b'AQID'");
      tok.value = std::move(*bytes);
      break;
    }
    default: tok.value = std::move(value); break;
  }
  return tok;
}

Result<Token> Lexer::lex_number(Token tok) {
  std::size_t end = pos_ + (text_[pos_] == '-' ? 1 : 0);
  while (end < text_.size() && is_digit(text_[end])) ++end;
  bool is_float = false;
  if (end + 1 < text_.size() && text_[end] == '.' && is_digit(text_[end + 1])) {
    is_float = true;
    end += 1;
    while (end < text_.size() && is_digit(text_[end])) ++end;
  }
  if (end < text_.size() && (text_[end] == 'e' || text_[end] == 'E')) {
    std::size_t e = end + 1;
    if (e < text_.size() && (text_[e] == '+' || text_[e] == '-')) ++e;
    if (e < text_.size() && is_digit(text_[e])) {
      is_float = true;
      end = e;
      while (end < text_.size() && is_digit(text_[end])) ++end;
    }
  }
  tok.text = text_.substr(pos_, end - pos_);
  pos_ = end;
  const char* first = tok.text.data();
  const char* last = first + tok.text.size();
  if (is_float) {
    tok.kind = TokenKind::kFloat;
    auto [p, ec] = std::from_chars(first, last, tok.float_value);
    if (ec != std::errc() || p != last) {
      return Status(Code::kInvalidArgument,
                    where(tok.offset) + "float out of range: " + std::string(tok.text));
    }
  } else {
    tok.kind = TokenKind::kInt;
    auto [p, ec] = std::from_chars(first, last, tok.int_value);
    if (ec != std::errc() || p != last) {
      return Status(Code::kInvalidArgument,
                    where(tok.offset) + "integer out of range (64-bit): " + std::string(tok.text));
    }
  }
  return tok;
}

Status TokenStream::advance() {
  ATIO_ASSIGN_OR_RETURN(tok_, lexer_.next());
  return Status::ok();
}

bool TokenStream::at(std::string_view keyword) const {
  if (!case_sensitive_) return is_keyword(tok_, keyword);
  return tok_.kind == TokenKind::kWord && tok_.text == keyword;
}

Status TokenStream::expected(std::string_view what) const {
  return Status(Code::kInvalidArgument,
                where(tok_.offset) + "expected " + std::string(what) + ", found " + describe(tok_));
}

}  // namespace atio::stix::pattern
