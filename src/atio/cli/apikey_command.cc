// `atio apikey create|list|revoke`: API keys, on the store file. Keys made
// here belong to no user (system keys): they work until they expire or are
// revoked, whoever is disabled.
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

const char* status_of(const store::ApiKeyRecord& k, std::int64_t now) {
  if (k.revoked_at_ms != 0) return "revoked";
  if (k.expires_at_ms != 0 && now >= k.expires_at_ms) return "expired";
  return "active";
}

}  // namespace

int apikey_create_command(const AccountArgs& args) {
  const std::string cmd = "apikey create";
  if (Status s = auth::check_key_name(args.name); !s.is_ok()) return report_failure(cmd, s);
  if (Status s = auth::check_role(args.role); !s.is_ok()) return report_failure(cmd, s);
  const std::int64_t now = auth::system_now_ms();
  std::int64_t expires = 0;
  if (!args.expires.empty()) {
    auto d = auth::parse_duration_ms(args.expires);
    if (!d.is_ok()) return report_failure(cmd, d.status().with_context("--expires"));
    expires = now + *d;
  }
  auto st = open_local_store(args.store, /*create=*/true);
  if (!st.is_ok()) return report_failure(cmd, st.status());
  auth::IssuedApiKey issued = auth::issue_api_key({args.name, args.role, expires, ""}, now);
  const store::ApiKeyRecord& k = issued.record;
  Status s = (*st)->write(
      {store::PutApiKey{k},
       store::AppendAudit{system_record(
           "atio apikey create", "apikey.create", "apikey", k.id,
           bj::object{{"name", k.name}, {"role", k.role}, {"expires_at", time_text(expires)}})}});
  (*st)->close();
  if (!s.is_ok()) return report_failure(cmd, s);
  std::cerr << "atio: API key " << k.id << " \"" << k.name << "\" (" << k.role << ", expires "
            << time_text(expires) << "); the key, shown once:\n";
  std::cout << issued.secret << std::endl;
  return 0;
}

int apikey_list_command(const AccountArgs& args) {
  const std::string cmd = "apikey list";
  auto st = open_local_store(args.store, false);
  if (!st.is_ok()) return report_failure(cmd, st.status());
  auto keys = (*st)->list_api_keys();
  (*st)->close();
  if (!keys.is_ok()) return report_failure(cmd, keys.status());
  const std::int64_t now = auth::system_now_ms();
  for (const auto& k : *keys) {
    if (args.json) {
      std::cout << bj::serialize(bj::object{{"id", k.id},
                                            {"name", k.name},
                                            {"role", k.role},
                                            {"status", status_of(k, now)},
                                            {"created_at", time_text(k.created_at_ms)},
                                            {"expires_at", time_text(k.expires_at_ms)},
                                            {"revoked_at", time_text(k.revoked_at_ms)},
                                            {"owner_user_id", k.owner_user_id}})
                << "\n";
    } else {
      std::cout << k.id << "\t" << k.name << "\t" << k.role << "\t" << status_of(k, now)
                << "\texpires " << time_text(k.expires_at_ms) << "\t"
                << (k.owner_user_id.empty() ? "system" : "user " + k.owner_user_id) << "\n";
    }
  }
  return 0;
}

int apikey_revoke_command(const AccountArgs& args) {
  const std::string cmd = "apikey revoke";
  auto st = open_local_store(args.store, false);
  if (!st.is_ok()) return report_failure(cmd, st.status());
  auto k = (*st)->get_api_key(args.id);
  if (!k.is_ok() || !*k) {
    (*st)->close();
    return report_failure(cmd, k.is_ok() ? Status(Code::kNotFound, "no API key " + args.id)
                                         : k.status());
  }
  Status s = (*st)->write(
      {store::RevokeApiKey{args.id, auth::system_now_ms()},
       store::AppendAudit{system_record("atio apikey revoke", "apikey.revoke", "apikey", args.id,
                                        bj::object{{"name", (*k)->name}, {"role", (*k)->role}})}});
  (*st)->close();
  if (!s.is_ok()) return report_failure(cmd, s);
  std::cout << "atio: API key " << args.id << " \"" << (*k)->name << "\" revoked\n";
  return 0;
}

}  // namespace atio::cli
