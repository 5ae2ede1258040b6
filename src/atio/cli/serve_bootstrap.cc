#include "atio/cli/serve_bootstrap.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <iostream>

#include "atio/cli/local_store.h"
#include "atio/core/ids.h"
#include "atio/core/private_file.h"
#include "atio/server/auth/api_keys.h"
#include "atio/server/auth/password.h"
#include "atio/server/auth/users.h"
#include "atio/store/open_store.h"

namespace atio::cli {

namespace {

namespace fs = std::filesystem;

Status write_secret_file(const fs::path& path, const std::string& text) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return Status(Code::kIo, "cannot write " + path.string());
  (void)::fchmod(fd, 0600);  // also when the file existed with other modes
  std::string line = text + "\n";
  bool ok = ::write(fd, line.data(), line.size()) == static_cast<ssize_t>(line.size());
  ok = ::close(fd) == 0 && ok;
  if (!ok) return Status(Code::kIo, "cannot write " + path.string());
  return Status();
}

// One line of a private file, without its line end (what `echo` and
// `kubectl create secret --from-file` leave).
Result<std::string> read_secret_line(const std::string& option, const std::string& path) {
  auto text = read_private_file(path, "--" + option + "-file");
  if (!text.is_ok()) return text.status();
  std::string s = std::move(*text);
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r')) s.pop_back();
  if (s.find_first_of("\r\n") != std::string::npos) {
    wipe(s);
    return Status(Code::kInvalidArgument, "--" + option + "-file " + path + " holds more than one line");
  }
  return s;
}

}  // namespace

Status check_store_option(const std::string& store) {
  if (store.empty() || store::is_postgres_location(store)) return Status::ok();
  return Status(Code::kInvalidArgument,
                "--store " + store::redacted_location(store) +
                    ": expected nothing (the SQLite file in --data) or a postgresql:// URL");
}

Result<AdminSeed> read_admin_seed(const ServeArgs& args) {
  AdminSeed seed;
  if (!args.admin_key_file.empty()) {
    ATIO_ASSIGN_OR_RETURN(seed.key, read_secret_line("admin-key", args.admin_key_file));
    if (Status s = server::auth::check_api_key_secret(seed.key); !s.is_ok()) {
      wipe(seed.key);
      return Status(Code::kInvalidArgument,
                    "--admin-key-file " + args.admin_key_file + ": " + s.message());
    }
    seed.key_file = args.admin_key_file;
  }
  if (!args.admin_password_file.empty()) {
    ATIO_ASSIGN_OR_RETURN(seed.password,
                          read_secret_line("admin-password", args.admin_password_file));
    if (Status s = server::auth::check_password_rules(seed.password); !s.is_ok()) {
      wipe(seed.password);
      return Status(Code::kInvalidArgument,
                    "--admin-password-file " + args.admin_password_file + ": " + s.message());
    }
    seed.password_file = args.admin_password_file;
  }
  return seed;
}

Status bootstrap_admin(Runtime& rt, const std::string& data_dir, const AdminSeed& seed) {
  server::auth::ApiKeys api_keys(*rt.store);
  auto admin = api_keys.ensure_admin_key(seed.key);
  if (!admin.is_ok()) {
    return Status(admin.status().code(), "creating the admin API key: " + admin.status().message());
  }
  if (admin->empty()) {  // not the first start
    if (!seed.key.empty() && !api_keys.check(seed.key).is_ok()) {
      std::cerr << "atio: warning: --admin-key-file " << seed.key_file
                << ": this store does not accept that key (the file counts on the first start "
                   "only; manage keys with the API or `atio apikey`)\n";
    }
    return Status::ok();
  }
  if (seed.key.empty()) {
    const fs::path key_file = fs::path(data_dir) / "admin-key";
    std::cout << "atio: admin API key: " << *admin << "\n"
              << "atio: (shown once; also in " << key_file.string() << ", mode 0600)" << std::endl;
    Status s = write_secret_file(key_file, *admin);
    if (!s.is_ok()) std::cerr << "atio: warning: " << s.to_string() << "\n";
  } else {
    std::cout << "atio: the admin API key is the one in " << seed.key_file << std::endl;
  }
  // The web UI logs in with a user name and password, so the first start
  // also makes the `admin` user.
  const std::string password = seed.password.empty() ? random_hex(12) : seed.password;
  auto user = server::auth::new_user("admin", "admin", password, server::auth::system_now_ms());
  Status made = user.is_ok() ? rt.store->write(
      {store::CreateUser{*user},
       store::AppendAudit{system_record("atio serve", "user.create", "user", user->id,
                                        boost::json::object{{"name", "admin"}, {"role", "admin"}})}})
                             : user.status();
  if (!made.is_ok()) return Status(made.code(), "creating the admin user: " + made.message());
  if (seed.password.empty()) {
    const fs::path password_file = fs::path(data_dir) / "admin-password";
    std::cout << "atio: web UI user: admin, password: " << password << "\n"
              << "atio: (shown once; also in " << password_file.string() << ", mode 0600)"
              << std::endl;
    Status s = write_secret_file(password_file, password);
    if (!s.is_ok()) std::cerr << "atio: warning: " << s.to_string() << "\n";
  } else {
    std::cout << "atio: web UI user: admin, its password is the one in " << seed.password_file
              << std::endl;
  }
  return Status::ok();
}

}  // namespace atio::cli
