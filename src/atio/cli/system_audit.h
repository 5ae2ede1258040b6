// The audit record of something done with the atio command on the database
// file itself (no server, no API key): the actor is the operating-system user
// ("uid:N"), its kind "system", its name the command that did it.
#pragma once

#include <string>

#include "atio/store/audit.h"

namespace atio::cli {

store::AuditRecord system_audit_record(const std::string& command, const std::string& action,
                                       const std::string& object_type,
                                       const std::string& object_id = "",
                                       const std::string& detail = "{}");

}  // namespace atio::cli
