#include "atio/server/auth/permissions.h"

#include <array>
#include <initializer_list>

namespace atio::server::auth {

namespace {

constexpr std::array<std::string_view, kPermissionCount + 1> kPermissionNames = {
    "none",          "playbook.read",   "playbook.write",   "execution.read",
    "execution.run", "manual.answer",   "case.read",        "case.write",       "trigger.read",
    "trigger.manage", "knowledge.read", "knowledge.write",  "audit.read",
    "account.self",  "admin.users",     "playbook.protect", "secret.manage",
    "metrics.read",  "undeclared"};

PermissionSet set_of(std::initializer_list<Permission> ps) {
  PermissionSet s;
  for (Permission p : ps) s.set(static_cast<std::size_t>(p));
  return s;
}

// What every signed-in caller may do: read, and look after its own account.
PermissionSet viewer() {
  using P = Permission;
  return set_of({P::kPlaybookRead, P::kExecutionRead, P::kTriggerRead, P::kKnowledgeRead,
                 P::kCaseRead, P::kAccountSelf});
}

}  // namespace

std::string_view permission_name(Permission p) {
  return kPermissionNames[static_cast<std::size_t>(p)];
}

std::optional<Permission> parse_permission(std::string_view name) {
  for (std::size_t i = 0; i < kPermissionNames.size(); ++i) {
    if (kPermissionNames[i] == name) return static_cast<Permission>(i);
  }
  return std::nullopt;
}

const std::vector<Permission>& all_permissions() {
  static const std::vector<Permission> all = [] {
    std::vector<Permission> v;
    for (int i = 1; i < kPermissionCount; ++i) v.push_back(static_cast<Permission>(i));
    return v;
  }();
  return all;
}

std::string_view role_name(Role r) {
  switch (r) {
    case Role::kAdmin: return "admin";
    case Role::kAuthor: return "author";
    case Role::kAnalyst: return "analyst";
    case Role::kAuditor: return "auditor";
    case Role::kViewer: return "viewer";
  }
  return "";
}

std::optional<Role> parse_role(std::string_view name) {
  for (Role r : all_roles()) {
    if (role_name(r) == name) return r;
  }
  return std::nullopt;
}

const std::vector<Role>& all_roles() {
  static const std::vector<Role> all = {Role::kAdmin, Role::kAuthor, Role::kAnalyst,
                                        Role::kAuditor, Role::kViewer};
  return all;
}

PermissionSet permissions_of(Role r) {
  using P = Permission;
  switch (r) {
    case Role::kAdmin: {
      PermissionSet s;
      for (P p : all_permissions()) s.set(static_cast<std::size_t>(p));
      return s;
    }
    case Role::kAuthor:
      return viewer() | set_of({P::kPlaybookWrite, P::kTriggerManage, P::kKnowledgeWrite});
    case Role::kAnalyst:
      return viewer() | set_of({P::kExecutionRun, P::kManualAnswer, P::kCaseWrite});
    case Role::kAuditor:
      return viewer() | set_of({P::kAuditRead, P::kMetricsRead});
    case Role::kViewer:
      return viewer();
  }
  return {};
}

PermissionSet permissions_of(std::string_view name) {
  if (name == kMetricsScraperRole) return set_of({Permission::kMetricsRead});
  auto r = parse_role(name);
  return r ? permissions_of(*r) : PermissionSet();
}

bool role_has(std::string_view name, Permission p) {
  if (p == Permission::kNone || p == Permission::kUndeclared) return false;
  return permissions_of(name).test(static_cast<std::size_t>(p));
}

bool role_within(Role granted, std::string_view holder) {
  const PermissionSet g = permissions_of(granted);
  return (g & permissions_of(holder)) == g;
}

}  // namespace atio::server::auth
