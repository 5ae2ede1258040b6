// The SQL (both backends, conn.h) of large step outputs (large_outputs.h):
// their records and chunks. REQUIRES for every function: the caller holds
// the lock that serialises use of `db`.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "atio/store/sql/conn.h"
#include "atio/store/store.h"

namespace atio::store::sql {

Status apply_op(Conn* db, const PutLargeOutputChunk& op);
Status apply_op(Conn* db, const PutLargeOutput& op);

Result<std::optional<LargeOutputRecord>> get_large_output(Conn* db, const std::string& id);
// Reads only the chunks that hold [offset, offset + length).
Result<std::string> read_large_output(Conn* db, const std::string& id, std::int64_t offset,
                                      std::int64_t length);

}  // namespace atio::store::sql
