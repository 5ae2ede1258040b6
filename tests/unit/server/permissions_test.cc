// The role -> permission table against what issue 4 and docs/security.md
// say each role is for.
#include "atio/server/auth/permissions.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

namespace atio::server::auth {
namespace {

std::set<std::string> names(std::string_view role) {
  std::set<std::string> out;
  for (Permission p : all_permissions()) {
    if (role_has(role, p)) out.insert(std::string(permission_name(p)));
  }
  return out;
}

const std::set<std::string> kRead = {"playbook.read", "execution.read", "trigger.read",
                                     "knowledge.read", "case.read", "account.self"};

std::set<std::string> read_and(std::initializer_list<std::string> more) {
  std::set<std::string> s = kRead;
  s.insert(more.begin(), more.end());
  return s;
}

TEST(Permissions, EachRoleGrantsWhatItIsFor) {
  EXPECT_EQ(names("viewer"), kRead);
  EXPECT_EQ(names("author"), read_and({"playbook.write", "trigger.manage", "knowledge.write"}));
  EXPECT_EQ(names("analyst"), read_and({"execution.run", "manual.answer", "case.write"}));
  EXPECT_EQ(names("auditor"), read_and({"audit.read", "metrics.read"}));
  EXPECT_EQ(names("admin").size(), all_permissions().size());
}

TEST(Permissions, OnlyAdminsManageUsersAndOnlyAdminsAndAuditorsReadTheAudit) {
  for (Role r : all_roles()) {
    EXPECT_EQ(role_has(role_name(r), Permission::kAdminUsers), r == Role::kAdmin);
    EXPECT_EQ(role_has(role_name(r), Permission::kAuditRead),
              r == Role::kAdmin || r == Role::kAuditor);
  }
}

TEST(Permissions, OnlyAdminsAuditorsAndTheScrapeTokenReadMetrics) {
  for (Role r : all_roles()) {
    EXPECT_EQ(role_has(role_name(r), Permission::kMetricsRead),
              r == Role::kAdmin || r == Role::kAuditor);
  }
  EXPECT_EQ(names(kMetricsScraperRole), std::set<std::string>{"metrics.read"});
  // Not a role anyone can be given.
  EXPECT_FALSE(parse_role(kMetricsScraperRole));
  EXPECT_FALSE(role_within(Role::kViewer, kMetricsScraperRole));
}

TEST(Permissions, UnknownRolesAndTheMarkersGrantNothing) {
  EXPECT_TRUE(names("webhook").empty());
  EXPECT_TRUE(names("").empty());
  EXPECT_TRUE(names("Admin").empty());  // role names are exact
  EXPECT_FALSE(role_has("admin", Permission::kNone));
  EXPECT_FALSE(role_has("admin", Permission::kUndeclared));
}

TEST(Permissions, NamesRoundTrip) {
  for (Role r : all_roles()) EXPECT_EQ(parse_role(role_name(r)), r);
  for (Permission p : all_permissions()) EXPECT_EQ(parse_permission(permission_name(p)), p);
  EXPECT_FALSE(parse_role("root"));
  EXPECT_EQ(all_roles().size(), 5u);
}

TEST(Permissions, AKeyMayGrantOnlyWhatItsCreatorHas) {
  for (Role r : all_roles()) {
    EXPECT_TRUE(role_within(Role::kViewer, role_name(r)));
    EXPECT_TRUE(role_within(r, "admin"));
    EXPECT_TRUE(role_within(r, role_name(r)));
  }
  EXPECT_FALSE(role_within(Role::kAdmin, "author"));
  EXPECT_FALSE(role_within(Role::kAuthor, "analyst"));
  EXPECT_FALSE(role_within(Role::kAnalyst, "author"));
  EXPECT_FALSE(role_within(Role::kAuditor, "analyst"));
  EXPECT_FALSE(role_within(Role::kViewer, "webhook"));
}

}  // namespace
}  // namespace atio::server::auth
