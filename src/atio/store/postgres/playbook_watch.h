// The PostgreSQL PlaybookWatch (store.h), on a connection of its own: it
// sees changes made through any node and by hand (psql), because the
// tables' triggers write the change log whoever changes a playbook, and
// notify kPlaybooksChannel (as does an audit record about a playbook), which
// the watch LISTENs to instead of polling. A trigger dropped or disabled by
// hand only delays what the watcher sees to its next full scan.
#pragma once

#include <memory>
#include <string>

#include "atio/store/store.h"

namespace atio::store::postgres {

inline constexpr const char* kPlaybooksChannel = "atio_playbooks";

Result<std::unique_ptr<PlaybookWatch>> open_playbook_watch(const std::string& conninfo);

}  // namespace atio::store::postgres
