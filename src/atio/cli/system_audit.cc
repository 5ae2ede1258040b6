#include "atio/cli/system_audit.h"

#include <unistd.h>

namespace atio::cli {

store::AuditRecord system_audit_record(const std::string& command, const std::string& action,
                                       const std::string& object_type,
                                       const std::string& object_id, const std::string& detail) {
  store::AuditRecord rec;
  rec.actor = "uid:" + std::to_string(::getuid());
  rec.actor_kind = "system";
  rec.actor_name = command;
  rec.role = "local";
  rec.source_ip = "local";
  rec.action = action;
  rec.object_type = object_type;
  rec.object_id = object_id;
  rec.outcome = "success";
  rec.detail = detail;
  return rec;
}

}  // namespace atio::cli
