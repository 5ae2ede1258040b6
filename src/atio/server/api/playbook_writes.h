// What every playbook write through the API shares (playbooks.cc,
// playbook_versions.cc): the audit detail of a change, the version record
// a save creates, and telling the caches and the monitor once it is stored.
#pragma once

#include <boost/json/object.hpp>

#include <string>

#include "atio/server/api/context.h"
#include "atio/server/http.h"
#include "atio/store/store.h"

namespace atio::server {

// The audit detail of a playbook change: its name and CACAO version, the
// content hash before (null when it did not exist) and after (null when
// deleted), and a small JSON diff when both exist.
bj::object playbook_change(const store::PlaybookRecord* before, const store::PlaybookRecord* after);

// The comment of a save: the `comment` query parameter, else the
// X-Atio-Comment header ("" when neither).
std::string save_comment(const Request& request);

// The version a save of `r` by the request's principal creates (the writer
// numbers it).
store::PlaybookVersionRecord new_version(const Request& request, const store::PlaybookRecord& r,
                                         std::string comment);

// After a playbook write is durable: drop the engine's cached copy and wake
// the monitor so it reports the change at once.
void playbook_written(ApiContext& ctx, const std::string& id);

}  // namespace atio::server
