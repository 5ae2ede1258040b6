// The PostgreSQL store's schema as a list of migrations, oldest first
// (applied by postgres/schema.h's migrate()).
#pragma once

#include <span>

namespace atio::store::postgres {

// Migration N (1-based) is migrations()[N - 1]: SQL for PQexec, several
// statements, no parameters. Append only.
std::span<const char* const> migrations();

}  // namespace atio::store::postgres
