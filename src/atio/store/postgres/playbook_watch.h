// The PostgreSQL PlaybookWatch (store.h), on a connection of its own: it
// sees changes made through any node and by hand (psql), because the
// tables' triggers write the change log whoever changes a playbook.
#pragma once

#include <memory>
#include <string>

#include "atio/store/store.h"

namespace atio::store::postgres {

Result<std::unique_ptr<PlaybookWatch>> open_playbook_watch(const std::string& conninfo);

}  // namespace atio::store::postgres
