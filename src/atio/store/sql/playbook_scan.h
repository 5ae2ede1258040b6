// What a PlaybookWatch (store.h) reads, on either backend: the change log
// after a seq, the playbooks it names (or all), the protected ones, and the
// playbook audit records after a seq. The backend's watch says when to scan
// and fills PlaybookScan::schema_version its own way.
#pragma once

#include <cstdint>

#include "atio/store/sql/conn.h"
#include "atio/store/store.h"

namespace atio::store::sql {

// REQUIRES: called inside a read transaction on `db`, so the parts agree.
Status scan_playbooks(Conn* db, bool full, std::int64_t after_change_seq,
                      std::int64_t after_audit_seq, PlaybookScan* out);

}  // namespace atio::store::sql
