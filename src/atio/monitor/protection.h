// Who may change a protected playbook. The one place that decides it: the
// monitor restores a protected playbook after any change this refuses.
//
// Today every API key is an admin, so the rule is "a change made through
// atio by an admin (or by atio itself) stands; any other is undone". When
// roles and permissions exist, this is where the permission to edit or
// delete protected playbooks is checked, from the role the audit record
// names.
#pragma once

#include "atio/monitor/events.h"

namespace atio::monitor {

bool may_change_protected(const Actor& actor, ChangeKind kind);

}  // namespace atio::monitor
