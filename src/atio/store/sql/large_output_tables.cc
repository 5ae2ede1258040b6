#include "atio/store/sql/large_output_tables.h"

#include <algorithm>

namespace atio::store::sql {

namespace {

LargeOutputRecord read_record(Stmt& st) {
  LargeOutputRecord r;
  r.id = st.text(0);
  r.execution_id = st.text(1);
  r.step_key = st.text(2);
  r.name = st.text(3);
  r.media_type = st.text(4);
  r.bytes = st.int64(5);
  r.chunk_bytes = st.int64(6);
  r.created_at_ms = st.int64(7);
  return r;
}

// A write fenced by `owner` (store.h): nothing was written when the
// execution is another node's (or gone).
Status fenced(Conn* db, Stmt& s, const char* what, const std::string& execution_id,
              const std::string& owner) {
  ATIO_RETURN_IF_ERROR(run(db, s, what));
  if (db->changes() == 0 && !owner.empty()) return ownership_lost(execution_id);
  return Status();
}

}  // namespace

Status apply_op(Conn* db, const PutLargeOutputChunk& op) {
  // ?5 = '': a write of no node, unfenced (store.h).
  Stmt s(db,
         "INSERT INTO large_output_chunks(output_id, chunk, execution_id, data)"
         " SELECT ?1, ?2, ?3, ?4 WHERE ?5 = '' OR EXISTS"
         " (SELECT 1 FROM executions WHERE id = ?3 AND owner = ?5)"
         " ON CONFLICT(output_id, chunk) DO UPDATE SET data = excluded.data");
  if (!s.ok()) return error_status(db, "put large output chunk");
  s.bind(1, op.output_id).bind(2, op.index).bind(3, op.execution_id).bind_blob_ref(4, op.data)
      .bind(5, op.owner);
  return fenced(db, s, "put large output chunk", op.execution_id, op.owner);
}

Status apply_op(Conn* db, const PutLargeOutput& op) {
  const LargeOutputRecord& r = op.output;
  Stmt s(db,
         "INSERT INTO large_outputs(id, execution_id, step_key, name, media_type, bytes,"
         " chunk_bytes, created_at) SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8"
         " WHERE ?9 = '' OR EXISTS (SELECT 1 FROM executions WHERE id = ?2 AND owner = ?9)"
         " ON CONFLICT(id) DO UPDATE SET bytes = excluded.bytes, media_type = excluded.media_type");
  if (!s.ok()) return error_status(db, "put large output");
  s.bind(1, r.id).bind(2, r.execution_id).bind(3, r.step_key).bind(4, r.name)
      .bind(5, r.media_type).bind(6, r.bytes).bind(7, r.chunk_bytes).bind(8, r.created_at_ms)
      .bind(9, op.owner);
  return fenced(db, s, "put large output", r.execution_id, op.owner);
}

Result<std::optional<LargeOutputRecord>> get_large_output(Conn* db, const std::string& id) {
  Stmt s(db,
         "SELECT id, execution_id, step_key, name, media_type, bytes, chunk_bytes, created_at"
         " FROM large_outputs WHERE id = ?");
  if (s.ok()) s.bind(1, id);
  return first(query<LargeOutputRecord>(db, s, "get large output", read_record));
}

Result<std::string> read_large_output(Conn* db, const std::string& id, std::int64_t offset,
                                      std::int64_t length) {
  ATIO_ASSIGN_OR_RETURN(std::optional<LargeOutputRecord> rec, get_large_output(db, id));
  if (!rec) return Status(Code::kNotFound, "large output " + id + " not found");
  const std::int64_t end = std::min(rec->bytes, offset + std::max<std::int64_t>(length, 0));
  if (offset < 0 || offset >= end || rec->chunk_bytes <= 0) return std::string();
  const std::int64_t first_chunk = offset / rec->chunk_bytes;
  const std::int64_t last_chunk = (end - 1) / rec->chunk_bytes;
  Stmt s(db,
         "SELECT chunk, data FROM large_output_chunks WHERE output_id = ? AND chunk >= ?"
         " AND chunk <= ? ORDER BY chunk");
  if (!s.ok()) return error_status(db, "read large output");
  s.bind(1, id).bind(2, first_chunk).bind(3, last_chunk);
  std::string out;
  out.reserve(static_cast<std::size_t>(end - offset));
  std::int64_t expect = first_chunk;
  int rc;
  while ((rc = s.step()) == kRow) {
    const std::int64_t chunk = s.int64(0);
    if (chunk != expect) break;  // a chunk is missing: reported below
    const std::string data = s.blob(1);
    const std::int64_t chunk_start = chunk * rec->chunk_bytes;
    const std::int64_t from = std::max<std::int64_t>(offset - chunk_start, 0);
    const std::int64_t to =
        std::min<std::int64_t>(end - chunk_start, static_cast<std::int64_t>(data.size()));
    if (from < to) out.append(data, static_cast<std::size_t>(from), static_cast<std::size_t>(to - from));
    ++expect;
  }
  if (rc != kDone && rc != kRow) return error_status(db, "read large output");
  s.reset();
  if (static_cast<std::int64_t>(out.size()) != end - offset) {
    return Status(Code::kInternal, "large output " + id + ": bytes " + std::to_string(offset) +
                                       "-" + std::to_string(end) + " are missing from the store");
  }
  return out;
}

}  // namespace atio::store::sql
