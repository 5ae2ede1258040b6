// The SQL (both backends, conn.h) for cases (tables cases, case_timeline, case_links;
// store/cases.h). The writer applies WriteCase inside its transaction (and
// the audit record it carries right after, in the same savepoint); readers
// call the queries on the read connection.
// REQUIRES for every function: the caller holds the lock that serialises use
// of `db`.
#pragma once

#include "atio/store/sql/conn.h"

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "atio/store/store.h"

namespace atio::store::sql {

// The case row, its timeline entries and links (not the audit record: the
// writer appends that). See WriteCase for the errors.
Status apply_op(Conn* db, const WriteCase& op);

Result<std::optional<CaseRecord>> get_case(Conn* db, const std::string& id);
Result<std::vector<CaseRecord>> list_cases(Conn* db, const CaseFilter& filter);
Result<std::vector<CaseTimelineEntry>> case_timeline(Conn* db, const std::string& case_id);
Result<std::vector<CaseLink>> case_links(Conn* db, const std::string& case_id);
Result<std::optional<CaseRecord>> correlated_case(Conn* db, const std::string& key,
                                                  std::int64_t at_ms);
Result<std::vector<CaseRecord>> cases_linked_to(Conn* db, const std::string& kind,
                                                const std::string& ref);
Result<std::vector<CaseTimes>> case_times(Conn* db, const CaseTimesFilter& filter);
Result<std::map<std::string, std::int64_t>> case_status_counts(Conn* db);

}  // namespace atio::store::sql
