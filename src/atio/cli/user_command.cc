// `atio user add|passwd|list|disable|enable`: users, on the store file.
#include <boost/json/serialize.hpp>

#include <iostream>

#include "atio/cli/commands.h"
#include "atio/cli/local_store.h"
#include "atio/server/auth/api_keys.h"
#include "atio/server/auth/users.h"

namespace atio::cli {

namespace {

namespace auth = server::auth;
namespace bj = boost::json;

// The user named `name`, or kNotFound.
Result<store::UserRecord> existing_user(store::Store& st, const std::string& name) {
  ATIO_ASSIGN_OR_RETURN(auto u, st.find_user(name));
  if (!u) return Status(Code::kNotFound, "no user named " + name);
  return *u;
}

}  // namespace

int user_add_command(const AccountArgs& args) {
  const std::string cmd = "user add";
  if (Status s = auth::check_user_name(args.name); !s.is_ok()) return report_failure(cmd, s);
  if (Status s = auth::check_role(args.role); !s.is_ok()) return report_failure(cmd, s);
  auto password = read_new_password(args.password_stdin);
  if (!password.is_ok()) return report_failure(cmd, password.status());
  auto user = auth::new_user(args.name, args.role, *password, auth::system_now_ms());
  if (!user.is_ok()) return report_failure(cmd, user.status());
  auto st = open_local_store(args.store, /*create=*/true);
  if (!st.is_ok()) return report_failure(cmd, st.status());
  Status s = (*st)->write(
      {store::CreateUser{*user},
       store::AppendAudit{system_record("atio user add", "user.create", "user", user->id,
                                        bj::object{{"name", user->name}, {"role", user->role}})}});
  (*st)->close();
  if (!s.is_ok()) return report_failure(cmd, s);
  std::cout << "atio: user " << user->name << " (" << user->role << ") added, id " << user->id
            << "\n";
  return 0;
}

int user_passwd_command(const AccountArgs& args) {
  const std::string cmd = "user passwd";
  auto st = open_local_store(args.store, false);
  if (!st.is_ok()) return report_failure(cmd, st.status());
  auto user = existing_user(**st, args.name);
  if (!user.is_ok()) return report_failure(cmd, user.status());
  auto password = read_new_password(args.password_stdin);
  if (!password.is_ok()) return report_failure(cmd, password.status());
  auto hash = auth::hash_password(*password);
  if (!hash.is_ok()) return report_failure(cmd, hash.status());
  Status s = (*st)->write(
      {store::UpdateUser{user->id, *hash, std::nullopt, std::nullopt},
       store::DeleteUserSessions{user->id},
       store::AppendAudit{system_record("atio user passwd", "user.password", "user", user->id,
                                        bj::object{{"name", user->name}})}});
  (*st)->close();
  if (!s.is_ok()) return report_failure(cmd, s);
  std::cout << "atio: password of " << user->name << " set; its sessions ended\n";
  return 0;
}

int user_set_disabled_command(const AccountArgs& args, bool disabled) {
  const std::string cmd = disabled ? "user disable" : "user enable";
  auto st = open_local_store(args.store, false);
  if (!st.is_ok()) return report_failure(cmd, st.status());
  auto user = existing_user(**st, args.name);
  if (!user.is_ok()) return report_failure(cmd, user.status());
  std::vector<store::WriteOp> ops{
      store::UpdateUser{user->id, std::nullopt, std::nullopt, disabled}};
  if (disabled) ops.push_back(store::DeleteUserSessions{user->id});
  ops.push_back(store::AppendAudit{system_record(
      "atio " + cmd, "user.update", "user", user->id,
      bj::object{{"name", user->name},
                 {"disabled", bj::object{{"before", user->disabled}, {"after", disabled}}}})});
  Status s = (*st)->write(std::move(ops));
  (*st)->close();
  if (!s.is_ok()) return report_failure(cmd, s);
  std::cout << "atio: user " << user->name << (disabled ? " disabled" : " enabled") << "\n";
  return 0;
}

int user_list_command(const AccountArgs& args) {
  const std::string cmd = "user list";
  auto st = open_local_store(args.store, false);
  if (!st.is_ok()) return report_failure(cmd, st.status());
  auto users = (*st)->list_users();
  (*st)->close();
  if (!users.is_ok()) return report_failure(cmd, users.status());
  for (const auto& u : *users) {
    if (args.json) {
      std::cout << bj::serialize(bj::object{{"id", u.id},
                                            {"name", u.name},
                                            {"role", u.role},
                                            {"disabled", u.disabled},
                                            {"created_at", time_text(u.created_at_ms)},
                                            {"last_login_at", time_text(u.last_login_at_ms)}})
                << "\n";
    } else {
      std::cout << u.name << "\t" << u.role << "\t" << (u.disabled ? "disabled" : "enabled")
                << "\tlast login " << time_text(u.last_login_at_ms) << "\t" << u.id << "\n";
    }
  }
  return 0;
}

}  // namespace atio::cli
