// SQLite-style parameters rewritten into PostgreSQL's.
//
// atio's SQL is written once with SQLite's `?` and `?N` parameters
// (sql/conn.h); PostgreSQL numbers its parameters `$N`. The rewrite follows
// SQLite's numbering: `?N` is parameter N, a bare `?` is one more than the
// largest number used before it (so `?` `?` are 1 and 2, and `?3, ?` are 3
// and 4). A `?` inside a string literal ('…', E'…', $tag$…$tag$), a quoted
// identifier ("…") or a comment is text, not a parameter, and is left alone.
// `$N` already in the SQL is kept and counted.
//
// Consequence: PostgreSQL's jsonb operators `?`, `?|` and `?&` cannot be
// written in atio's SQL; use jsonb_exists(), jsonb_exists_any() and
// jsonb_exists_all() instead.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "atio/core/status.h"

namespace atio::store::postgres {

struct PgSql {
  std::string text;        // the SQL with $N parameters
  int params = 0;          // the largest parameter number; the statement takes 1..params
  std::vector<bool> used;  // [N - 1]: whether $N occurs (SQLite allows gaps, `?3` alone)
};

// kInvalidArgument for a parameter number outside 1..65535 (PostgreSQL's
// limit), naming it; the SQL is otherwise not checked (the server does that).
Result<PgSql> to_postgres_placeholders(std::string_view sql);

}  // namespace atio::store::postgres
