#include "atio/store/sql/case_tables.h"

#include "atio/store/sql/conn.h"

namespace atio::store::sql {

namespace {

#define ATIO_CASE_COLUMNS                                                                  \
  "id, title, severity, status, assignee, correlation_key, correlation_window,"           \
  " playbook_id, use_case, detection_count, occurred_at, detected_at, last_seen_at,"     \
  " acknowledged_at, acknowledged_by, responded_at, resolved_at, created_at, updated_at," \
  " revision"

constexpr const char* kSelectCase = "SELECT " ATIO_CASE_COLUMNS " FROM cases";

// Open statuses as SQL, from kOpenCaseStatuses.
std::string open_statuses_sql() {
  std::string out;
  for (const char* s : kOpenCaseStatuses) out += (out.empty() ? "'" : ",'") + std::string(s) + "'";
  return "(" + out + ")";
}

CaseRecord read_case(Stmt& s) {
  CaseRecord r;
  r.id = s.text(0);
  r.title = s.text(1);
  r.severity = s.text(2);
  r.status = s.text(3);
  r.assignee = s.text(4);
  r.correlation_key = s.text(5);
  r.correlation_window_ms = s.int64(6);
  r.playbook_id = s.text(7);
  r.use_case = s.text(8);
  r.detection_count = s.int64(9);
  r.occurred_at_ms = s.int64(10);
  r.detected_at_ms = s.int64(11);
  r.last_seen_at_ms = s.int64(12);
  r.acknowledged_at_ms = s.int64(13);
  r.acknowledged_by = s.text(14);
  r.responded_at_ms = s.int64(15);
  r.resolved_at_ms = s.int64(16);
  r.created_at_ms = s.int64(17);
  r.updated_at_ms = s.int64(18);
  r.revision = s.int64(19);
  return r;
}

// Binds the record's columns 2..19 (everything but id and revision) in the
// order of ATIO_CASE_COLUMNS.
void bind_columns(Stmt& s, const CaseRecord& r) {
  s.bind(2, r.title).bind(3, r.severity).bind(4, r.status).bind(5, r.assignee)
      .bind(6, r.correlation_key).bind(7, r.correlation_window_ms).bind(8, r.playbook_id)
      .bind(9, r.use_case).bind(10, r.detection_count).bind(11, r.occurred_at_ms)
      .bind(12, r.detected_at_ms).bind(13, r.last_seen_at_ms).bind(14, r.acknowledged_at_ms)
      .bind(15, r.acknowledged_by).bind(16, r.responded_at_ms).bind(17, r.resolved_at_ms)
      .bind(18, r.created_at_ms).bind(19, r.updated_at_ms);
}

Status insert_case(Conn* db, const CaseRecord& r) {
  if (!r.correlation_key.empty()) {
    // Nodes sharing PostgreSQL take turns per key, so that two detections
    // of one incident arriving at two nodes cannot open two cases.
    ATIO_RETURN_IF_ERROR(serialize_on(db, "case correlation " + r.correlation_key));
    ATIO_ASSIGN_OR_RETURN(auto open, correlated_case(db, r.correlation_key, r.occurred_at_ms));
    if (open) {
      return Status(Code::kAborted, "an open case with correlation key " + r.correlation_key +
                                        " exists: " + open->id);
    }
  }
  Stmt s(db, "INSERT INTO cases(" ATIO_CASE_COLUMNS ")"
             " VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,1) ON CONFLICT(id) DO NOTHING");
  if (!s.ok()) return error_status(db, "insert case");
  s.bind(1, r.id);
  bind_columns(s, r);
  ATIO_RETURN_IF_ERROR(run(db, s, "insert case"));
  if (db->changes() == 0) return Status(Code::kAlreadyExists, "case " + r.id + " exists");
  return Status();
}

Status update_case(Conn* db, const CaseRecord& r, std::int64_t expected_revision) {
  Stmt s(db,
         "UPDATE cases SET title=?2, severity=?3, status=?4, assignee=?5, correlation_key=?6,"
         " correlation_window=?7, playbook_id=?8, use_case=?9, detection_count=?10,"
         " occurred_at=?11, detected_at=?12, last_seen_at=?13, acknowledged_at=?14,"
         " acknowledged_by=?15, responded_at=?16, resolved_at=?17, created_at=?18,"
         " updated_at=?19, revision=revision+1 WHERE id=?1 AND revision=?20");
  s.bind(1, r.id);
  bind_columns(s, r);
  s.bind(20, expected_revision);
  ATIO_RETURN_IF_ERROR(run(db, s, "update case"));
  if (db->changes() > 0) return Status();
  ATIO_ASSIGN_OR_RETURN(auto now, get_case(db, r.id));
  if (!now) return Status(Code::kNotFound, "case " + r.id + " not found");
  return Status(Code::kAborted, "case " + r.id + " changed meanwhile (revision " +
                                    std::to_string(now->revision) + ", expected " +
                                    std::to_string(expected_revision) + ")");
}

}  // namespace

Status apply_op(Conn* db, const WriteCase& op) {
  if (op.audit.action.empty()) {
    return Status(Code::kInvalidArgument,
                  "a change of case " + op.record.id + " needs its audit record");
  }
  if (op.expected_revision == 0) {
    ATIO_RETURN_IF_ERROR(insert_case(db, op.record));
  } else {
    ATIO_RETURN_IF_ERROR(update_case(db, op.record, op.expected_revision));
  }
  Stmt t(db, "INSERT INTO case_timeline(case_id, time, kind, actor, actor_name, detail)"
             " VALUES(?,?,?,?,?,?)");
  for (const CaseTimelineEntry& e : op.timeline) {
    t.bind(1, op.record.id).bind(2, e.time_ms).bind(3, e.kind).bind(4, e.actor)
        .bind(5, e.actor_name).bind(6, e.detail);
    Status st = run(db, t, "append case timeline");
    t.reset();
    ATIO_RETURN_IF_ERROR(st);
  }
  Stmt l(db, "INSERT INTO case_links(case_id, kind, tool, ref, added_at)"
             " VALUES(?,?,?,?,?) ON CONFLICT DO NOTHING");
  for (const CaseLink& k : op.links) {
    l.bind(1, op.record.id).bind(2, k.kind).bind(3, k.tool).bind(4, k.ref).bind(5, k.added_at_ms);
    Status st = run(db, l, "add case link");
    l.reset();
    ATIO_RETURN_IF_ERROR(st);
  }
  return Status();
}

Result<std::optional<CaseRecord>> get_case(Conn* db, const std::string& id) {
  Stmt s(db, (std::string(kSelectCase) + " WHERE id=?").c_str());
  s.bind(1, id);
  return first(query<CaseRecord>(db, s, "get case", read_case));
}

Result<std::vector<CaseRecord>> list_cases(Conn* db, const CaseFilter& f) {
  Stmt s(db, (std::string(kSelectCase) +
              " WHERE (?1 = '' OR status = ?1) AND (?2 = '' OR severity = ?2)"
              " AND (?3 = '' OR playbook_id = ?3) AND (?4 = '' OR assignee = ?4)"
              " AND (?5 = 0 OR detected_at >= ?5) AND (?6 = 0 OR detected_at < ?6)"
              " AND (?7 = '' OR seq < (SELECT seq FROM cases WHERE id = ?7))"
              " ORDER BY seq DESC LIMIT ?8")
                 .c_str());
  s.bind(1, f.status).bind(2, f.severity).bind(3, f.playbook_id).bind(4, f.assignee)
      .bind(5, f.since_ms).bind(6, f.until_ms).bind(7, f.after_id).bind(8, f.limit);
  return query<CaseRecord>(db, s, "list cases", read_case);
}

Result<std::vector<CaseTimelineEntry>> case_timeline(Conn* db, const std::string& case_id) {
  Stmt s(db, "SELECT seq, case_id, time, kind, actor, actor_name, detail FROM case_timeline"
             " WHERE case_id=? ORDER BY seq");
  s.bind(1, case_id);
  return query<CaseTimelineEntry>(db, s, "case timeline", [](Stmt& st) {
    return CaseTimelineEntry{st.int64(0), st.text(1), st.int64(2), st.text(3),
                             st.text(4),  st.text(5), st.text(6)};
  });
}

Result<std::vector<CaseLink>> case_links(Conn* db, const std::string& case_id) {
  Stmt s(db, "SELECT kind, tool, ref, added_at FROM case_links WHERE case_id=?"
             " ORDER BY added_at, kind, tool, ref");
  s.bind(1, case_id);
  return query<CaseLink>(db, s, "case links", [](Stmt& st) {
    return CaseLink{st.text(0), st.text(1), st.text(2), st.int64(3)};
  });
}

Result<std::optional<CaseRecord>> correlated_case(Conn* db, const std::string& key,
                                                  std::int64_t at_ms) {
  // Within the window of the case's span of detections [occurred, last seen].
  Stmt s(db, (std::string(kSelectCase) + " WHERE correlation_key = ?1 AND correlation_key <> ''" +
              " AND status IN " + open_statuses_sql() +
              " AND (correlation_window = 0 OR (?2 >= occurred_at - correlation_window"
              " AND ?2 <= last_seen_at + correlation_window))"
              " ORDER BY seq DESC LIMIT 1")
                 .c_str());
  s.bind(1, key).bind(2, at_ms);
  return first(query<CaseRecord>(db, s, "correlated case", read_case));
}

Result<std::vector<CaseRecord>> cases_linked_to(Conn* db, const std::string& kind,
                                                const std::string& ref) {
  Stmt s(db, (std::string(kSelectCase) +
              " WHERE id IN (SELECT case_id FROM case_links WHERE kind=?1 AND ref=?2)"
              " ORDER BY seq")
                 .c_str());
  s.bind(1, kind).bind(2, ref);
  return query<CaseRecord>(db, s, "cases linked", read_case);
}

Result<std::vector<CaseTimes>> case_times(Conn* db, const CaseTimesFilter& f) {
  const std::string column = f.by_updated ? "updated_at" : "detected_at";
  Stmt s(db, ("SELECT id, playbook_id, use_case, severity, status, occurred_at, detected_at,"
              " acknowledged_at, responded_at, resolved_at, updated_at FROM cases"
              " WHERE (?1 = 0 OR " + column + " >= ?1) AND (?2 = 0 OR " + column + " < ?2)"
              " ORDER BY seq LIMIT ?3")
                 .c_str());
  s.bind(1, f.since_ms).bind(2, f.until_ms).bind(3, f.limit);
  return query<CaseTimes>(db, s, "case times", [](Stmt& st) {
    return CaseTimes{st.text(0),  st.text(1),  st.text(2),  st.text(3),
                     st.text(4),  st.int64(5), st.int64(6), st.int64(7),
                     st.int64(8), st.int64(9), st.int64(10)};
  });
}

Result<std::map<std::string, std::int64_t>> case_status_counts(Conn* db) {
  Stmt s(db, "SELECT status, count(*) FROM cases GROUP BY status");
  ATIO_ASSIGN_OR_RETURN(auto rows, (query<std::pair<std::string, std::int64_t>>(
                                       db, s, "case status counts", [](Stmt& st) {
                                         return std::make_pair(st.text(0), st.int64(1));
                                       })));
  return std::map<std::string, std::int64_t>(rows.begin(), rows.end());
}

}  // namespace atio::store::sql
