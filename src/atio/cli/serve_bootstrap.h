// What `atio serve` settles before it serves: whether it can use the store
// --store names, and the first start's admin API key and admin user, made at
// random or taken from files a deployment provides (Kubernetes or Compose
// secrets; docs/deploy.md).
#pragma once

#include <string>

#include "atio/cli/commands.h"
#include "atio/cli/runtime.h"
#include "atio/core/status.h"

namespace atio::cli {

// OK for "" (the SQLite file in --data) and a PostgreSQL location
// (store/open_store.h); kInvalidArgument for anything else. Messages never
// repeat a URL's password.
Status check_store_option(const std::string& store);

// The first start's credentials; "" for one atio makes at random.
struct AdminSeed {
  std::string key;
  std::string key_file;       // where `key` came from, for messages
  std::string password;
  std::string password_file;  // where `password` came from
};

// Reads --admin-key-file and --admin-password-file: private files
// (docs/secrets.md), one line each; the key must pass check_api_key_secret,
// the password the password rules. Errors name the option and the file.
Result<AdminSeed> read_admin_seed(const ServeArgs& args);

// On the first start of a store (no API key, no user yet): stores the admin
// API key and the web UI's `admin` user (audited). A random key or password
// is printed once and written to <data>/admin-key or <data>/admin-password
// (mode 0600); one from a file is neither printed nor copied. On later
// starts nothing is made; a key file whose key this store does not accept
// is reported as a warning (the file counts on the first start only).
Status bootstrap_admin(Runtime& rt, const std::string& data_dir, const AdminSeed& seed);

}  // namespace atio::cli
