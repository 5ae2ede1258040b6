// Roles and permissions: the one table of what each role may do
// (docs/security.md shows it as a table).
//
// Contract: every route of the API declares the Permission it needs
// (Route::permission). The router lets a caller through only when the
// caller's role grants it; a role that does not exist grants nothing. Roles
// are ordered by inclusion of their permission sets, not by rank: a caller
// may hand out (as an API key) only a role whose permissions are all its own
// (role_within).
#pragma once

#include <bitset>
#include <optional>
#include <string_view>
#include <vector>

namespace atio::server::auth {

enum class Permission {
  // Declared by the routes that need no API key or session: public routes
  // (Auth::kNone) and webhook triggers (Auth::kHook, checked by their own
  // token). Never granted or needed by a role.
  kNone,
  kPlaybookRead,     // playbook.read: list, get and export playbooks
  kPlaybookWrite,    // playbook.write: create, import, update, delete playbooks
  kExecutionRead,    // execution.read: executions, their steps, waiting manual steps
  kExecutionRun,     // execution.run: start and abort executions
  kManualAnswer,     // manual.answer: answer a waiting manual step
  kCaseRead,         // case.read: list and get cases, their timelines and metrics
  kCaseWrite,        // case.write: acknowledge, assign, comment and change the status of cases
  kTriggerRead,      // trigger.read: list and get webhooks and schedules (no secrets)
  kTriggerManage,    // trigger.manage: create and delete webhooks and schedules
  kKnowledgeRead,    // knowledge.read: assets, policies, risk model, detections
  kKnowledgeWrite,   // knowledge.write: change assets, policies, risk model
  kAuditRead,        // audit.read: read, verify and export the audit log
  kAccountSelf,      // account.self: who am I, log out, the caller's own API keys
  kAdminUsers,       // admin.users: users, and every API key
  kPlaybookProtect,  // playbook.protect: protect and unprotect playbooks (monitor/protection.h)
  kSecretManage,     // secret.manage: list, set and delete integration credentials
  kMetricsRead,      // metrics.read: scrape GET /metrics (docs/metrics.md)
  // Not a permission: the default of Route::permission, so that a route
  // that forgot to declare one is refused by the router and fails the
  // route-table test.
  kUndeclared,
};
inline constexpr int kPermissionCount = static_cast<int>(Permission::kUndeclared);

enum class Role { kAdmin, kAuthor, kAnalyst, kAuditor, kViewer };

using PermissionSet = std::bitset<kPermissionCount>;

// "playbook.read", ...; "none" and "undeclared" for the two markers.
std::string_view permission_name(Permission p);
std::optional<Permission> parse_permission(std::string_view name);
// Every real permission (not kNone, not kUndeclared), in declaration order.
const std::vector<Permission>& all_permissions();

// The role of the scrape token (atio serve --metrics-token-file): it grants
// metrics.read and nothing else. Not a role a user or an API key can have
// (parse_role and all_roles do not know it), like "webhook" for hooks.
inline constexpr std::string_view kMetricsScraperRole = "metrics-scraper";

std::string_view role_name(Role r);
std::optional<Role> parse_role(std::string_view name);
// Every role, most powerful first.
const std::vector<Role>& all_roles();

PermissionSet permissions_of(Role r);
// The permissions of a role given by name; empty for an unknown name (a
// hook's "webhook", a misspelt role in the store).
PermissionSet permissions_of(std::string_view role_name);
bool role_has(std::string_view role_name, Permission p);
// True when every permission of `granted` is one of `holder`'s: a caller
// with role `holder` may create an API key with role `granted`.
bool role_within(Role granted, std::string_view holder);

}  // namespace atio::server::auth
