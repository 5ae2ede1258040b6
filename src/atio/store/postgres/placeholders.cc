#include "atio/store/postgres/placeholders.h"

#include <algorithm>

namespace atio::store::postgres {

namespace {

constexpr int kMaxParams = 65535;  // the bind message counts parameters in 16 bits

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool ident_start(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
         static_cast<unsigned char>(c) >= 0x80;
}
bool ident_char(char c) { return ident_start(c) || is_digit(c) || c == '$'; }

// The index just past a literal or quoted identifier opened by sql[i] ==
// `quote`, '' (or "") being an escaped quote; `backslash` for E'…' strings.
// Unterminated: the end of the text (the server reports the error).
std::size_t skip_quoted(std::string_view sql, std::size_t i, char quote, bool backslash) {
  for (++i; i < sql.size(); ++i) {
    if (backslash && sql[i] == '\\') {
      ++i;
    } else if (sql[i] == quote) {
      if (i + 1 < sql.size() && sql[i + 1] == quote) {
        ++i;
      } else {
        return i + 1;
      }
    }
  }
  return sql.size();
}

// Comments nest in PostgreSQL: /* a /* b */ c */ is one comment.
std::size_t skip_block_comment(std::string_view sql, std::size_t i) {
  int depth = 0;
  while (i + 1 < sql.size()) {
    if (sql[i] == '/' && sql[i + 1] == '*') {
      ++depth;
      i += 2;
    } else if (sql[i] == '*' && sql[i + 1] == '/') {
      i += 2;
      if (--depth == 0) return i;
    } else {
      ++i;
    }
  }
  return sql.size();
}

// The length of a dollar-quote tag ($$ or $name$) at sql[i], or 0.
std::size_t dollar_tag(std::string_view sql, std::size_t i) {
  std::size_t j = i + 1;
  if (j < sql.size() && ident_start(sql[j])) {
    while (j < sql.size() && ident_char(sql[j]) && sql[j] != '$') ++j;
  }
  return j < sql.size() && sql[j] == '$' ? j + 1 - i : 0;
}

}  // namespace

Result<PgSql> to_postgres_placeholders(std::string_view sql) {
  PgSql out;
  out.text.reserve(sql.size() + 8);
  std::size_t i = 0;
  auto mark = [&](int n) {
    out.params = std::max(out.params, n);
    if (out.used.size() < static_cast<std::size_t>(n)) out.used.resize(n);
    out.used[n - 1] = true;
  };
  auto copy_to = [&](std::size_t end) {
    out.text.append(sql.substr(i, end - i));
    i = end;
  };
  while (i < sql.size()) {
    const char c = sql[i];
    const bool after_ident = i > 0 && ident_char(sql[i - 1]);
    if (c == '\'') {
      // E'…' (or e'…') takes backslash escapes, unless the E ends a longer word.
      const bool escaped =
          i > 0 && (sql[i - 1] == 'E' || sql[i - 1] == 'e') && !(i > 1 && ident_char(sql[i - 2]));
      copy_to(skip_quoted(sql, i, '\'', escaped));
    } else if (c == '"') {
      copy_to(skip_quoted(sql, i, '"', false));
    } else if (c == '-' && i + 1 < sql.size() && sql[i + 1] == '-') {
      const std::size_t eol = sql.find('\n', i);
      copy_to(eol == std::string_view::npos ? sql.size() : eol);
    } else if (c == '/' && i + 1 < sql.size() && sql[i + 1] == '*') {
      copy_to(skip_block_comment(sql, i));
    } else if (c == '$' && !after_ident && i + 1 < sql.size() && is_digit(sql[i + 1])) {
      std::size_t j = i + 1;
      int n = 0;
      while (j < sql.size() && is_digit(sql[j])) n = std::min(n * 10 + (sql[j++] - '0'), 1 << 20);
      if (n < 1 || n > kMaxParams) {
        return Status(Code::kInvalidArgument, "parameter " + std::string(sql.substr(i, j - i)) +
                                                  " is outside 1.." + std::to_string(kMaxParams));
      }
      mark(n);
      copy_to(j);
    } else if (c == '$' && !after_ident && dollar_tag(sql, i) > 0) {
      const std::size_t len = dollar_tag(sql, i);
      const std::size_t close = sql.find(sql.substr(i, len), i + len);
      copy_to(close == std::string_view::npos ? sql.size() : close + len);
    } else if (c == '?') {
      std::size_t j = i + 1;
      int n = 0;
      if (j < sql.size() && is_digit(sql[j])) {
        while (j < sql.size() && is_digit(sql[j])) n = std::min(n * 10 + (sql[j++] - '0'), 1 << 20);
      } else {
        n = out.params + 1;
      }
      if (n < 1 || n > kMaxParams) {
        return Status(
            Code::kInvalidArgument,
            "parameter ?" +
                (j > i + 1 ? std::string(sql.substr(i + 1, j - i - 1)) : std::to_string(n)) +
                " is outside 1.." + std::to_string(kMaxParams));
      }
      mark(n);
      out.text += '$';
      out.text += std::to_string(n);
      i = j;
    } else {
      out.text += c;
      ++i;
    }
  }
  return out;
}

}  // namespace atio::store::postgres
