#include "atio/server/audit_trail.h"

#include <boost/json/serialize.hpp>

namespace atio::server {

void set_actor(store::AuditRecord& r, const Principal& p) {
  if (p.kind == "api-key") {
    r.actor_kind = "key";
    r.role = p.role;
  } else if (p.kind == "user") {
    r.actor_kind = "user";
    r.role = p.role;
  } else if (p.kind == "hook") {
    r.actor_kind = "hook";
    r.role = "webhook";
  } else {
    r.actor = "anonymous";
    r.actor_kind = "anonymous";
    r.actor_name = "";
    r.role = "";
    return;
  }
  r.actor = p.id;
  r.actor_name = p.name;
}

store::AuditRecord success_record(const AuditScope& scope, const bj::object& detail,
                                  const std::string& object_id) {
  store::AuditRecord r = scope.record;
  r.outcome = "success";
  r.detail = bj::serialize(detail);
  if (!object_id.empty()) r.object_id = object_id;
  return r;
}

void add_audit(Request& request, std::vector<store::WriteOp>& ops, const bj::object& detail,
               const std::string& object_id) {
  if (!request.audit) return;
  ops.push_back(store::AppendAudit{success_record(*request.audit, detail, object_id)});
  // Set before the batch commits: if it fails, the answer is an error and
  // the router records that failure on its own.
  request.audit->written = true;
}

Status audit_before(Request& request, store::Store& store, const bj::object& detail,
                    const std::string& object_id) {
  if (!request.audit) return Status();
  Status s = store.write({store::AppendAudit{success_record(*request.audit, detail, object_id)}});
  if (!s.is_ok()) {
    return Status(Code::kUnavailable, "the audit record could not be written, so nothing was done: " +
                                          s.message());
  }
  request.audit->written = true;
  return Status();
}

void set_audit_actor(Request& request, const Principal& principal) {
  request.principal = principal;
  if (request.audit) set_actor(request.audit->record, principal);
}

}  // namespace atio::server
