// atio secret set|list|delete: the secret store on the database file itself,
// for the first credentials and for recovery; each change is audited (actor
// kind "system"), and no command ever prints a value.
#include <string.h>
#include <unistd.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <iterator>

#include "atio/cli/commands.h"
#include "atio/core/ids.h"
#include "atio/core/private_file.h"
#include "atio/secrets/secret_store.h"
#include "atio/store/open_store.h"
#include "atio/cli/local_store.h"

namespace atio::cli {

namespace {

struct Opened {
  std::unique_ptr<store::Store> store;
  std::unique_ptr<secrets::SecretStore> secrets;
};

Result<Opened> open(const SecretArgs& args) {
  const char* env_key = std::getenv("ATIO_SECRET_KEY");
  if (store::is_postgres_location(args.store) && args.key.empty() &&
      (env_key == nullptr || *env_key == '\0')) {
    return Status(Code::kInvalidArgument,
                  "with a PostgreSQL store, give the nodes' master key: --key FILE or the "
                  "variable ATIO_SECRET_KEY");
  }
  Opened o;
  ATIO_ASSIGN_OR_RETURN(o.store, open_local_store(args.store, /*create=*/false));
  ATIO_ASSIGN_OR_RETURN(auto vault,
                        secrets::Vault::open(args.key.empty()
                                                 ? secrets::default_key_path(args.store)
                                                 : args.key,
                                             /*create=*/true));
  o.secrets = std::make_unique<secrets::SecretStore>(*o.store, std::move(vault));
  return o;
}

store::AuditRecord audit_record(const std::string& action, const std::string& name) {
  return system_record("atio secret", action, "secret", name, {});
}

std::int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

int fail(const char* what, const Status& s) {
  std::cerr << "atio secret " << what << ": " << s.to_string() << "\n";
  return s.code() == Code::kInvalidArgument || s.code() == Code::kNotFound ? 2 : 1;
}

}  // namespace

int secret_set_command(const SecretArgs& args) {
  // The value comes on standard input, never on the command line (where
  // other users and the shell history would see it).
  std::string text((std::istreambuf_iterator<char>(std::cin)), std::istreambuf_iterator<char>());
  if (!text.empty() && text.back() == '\n') text.pop_back();
  if (!text.empty() && text.back() == '\r') text.pop_back();
  boost::json::value value;
  if (args.json) {
    boost::system::error_code ec;
    value = boost::json::parse(text, ec);
    if (ec) {
      wipe(text);
      return fail("set", Status(Code::kInvalidArgument, "value: --json given, but standard input "
                                                        "is not JSON (" + ec.message() + ")"));
    }
  } else {
    value = boost::json::string(text);
  }
  wipe(text);
  auto o = open(args);
  if (!o.is_ok()) return fail("set", o.status());
  auto op = o->secrets->put_op(args.name, value, args.description,
                               "uid:" + std::to_string(::getuid()), now_ms());
  if (value.is_string()) ::explicit_bzero(value.get_string().data(), value.get_string().size());
  if (!op.is_ok()) return fail("set", op.status());
  Status st = o->store->write(
      {std::move(*op), store::AppendAudit{audit_record("secret.put", args.name)}});
  if (!st.is_ok()) return fail("set", st);
  std::cout << "secret " << args.name << " set\n";
  return 0;
}

int secret_list_command(const SecretArgs& args) {
  auto o = open(args);
  if (!o.is_ok()) return fail("list", o.status());
  auto list = o->secrets->list();
  if (!list.is_ok()) return fail("list", list.status());
  for (const auto& r : *list) {
    std::cout << r.name << "\t" << format_timestamp(std::chrono::system_clock::time_point(
                                       std::chrono::milliseconds(r.updated_at_ms)))
              << "\t" << r.updated_by << "\t" << r.description << "\n";
  }
  return 0;
}

int secret_delete_command(const SecretArgs& args) {
  auto o = open(args);
  if (!o.is_ok()) return fail("delete", o.status());
  Status st = o->store->write(
      {store::DeleteSecret{args.name},
       store::AppendAudit{audit_record("secret.delete", args.name)}});
  if (!st.is_ok()) return fail("delete", st);
  std::cout << "secret " << args.name << " deleted\n";
  return 0;
}

}  // namespace atio::cli
