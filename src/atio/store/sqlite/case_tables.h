// SQLite statements for cases (tables cases, case_timeline, case_links;
// store/cases.h). The writer applies WriteCase inside its transaction (and
// the audit record it carries right after, in the same savepoint); readers
// call the queries on the read connection.
// REQUIRES for every function: the caller holds the lock that serialises use
// of `db`.
#pragma once

#include <sqlite3.h>

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "atio/store/store.h"

namespace atio::store::sqlite {

// The case row, its timeline entries and links (not the audit record: the
// writer appends that). See WriteCase for the errors.
Status apply_op(sqlite3* db, const WriteCase& op);

Result<std::optional<CaseRecord>> get_case(sqlite3* db, const std::string& id);
Result<std::vector<CaseRecord>> list_cases(sqlite3* db, const CaseFilter& filter);
Result<std::vector<CaseTimelineEntry>> case_timeline(sqlite3* db, const std::string& case_id);
Result<std::vector<CaseLink>> case_links(sqlite3* db, const std::string& case_id);
Result<std::optional<CaseRecord>> correlated_case(sqlite3* db, const std::string& key,
                                                  std::int64_t at_ms);
Result<std::vector<CaseRecord>> cases_linked_to(sqlite3* db, const std::string& kind,
                                                const std::string& ref);
Result<std::vector<CaseTimes>> case_times(sqlite3* db, const CaseTimesFilter& filter);
Result<std::map<std::string, std::int64_t>> case_status_counts(sqlite3* db);

}  // namespace atio::store::sqlite
