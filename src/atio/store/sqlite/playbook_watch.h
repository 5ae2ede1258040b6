// The SQLite PlaybookWatch (store.h): a read-only connection of its own, on
// which PRAGMA data_version moves whenever any other connection commits.
#pragma once

#include <memory>
#include <string>

#include "atio/store/store.h"

namespace atio::store::sqlite {

Result<std::unique_ptr<PlaybookWatch>> open_playbook_watch(const std::string& path);

}  // namespace atio::store::sqlite
