#include "atio/monitor/protection.h"

namespace atio::monitor {

bool may_change_protected(const Actor& actor, ChangeKind kind) {
  (void)kind;  // roles will distinguish editing from deleting
  if (actor.audit_seq == 0) return false;  // not through atio: a direct database edit
  if (actor.kind == "system") return true;  // atio itself (self-recovery, shipped playbooks)
  return (actor.kind == "key" || actor.kind == "user") && actor.role == "admin";
}

}  // namespace atio::monitor
