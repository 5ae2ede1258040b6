#include "support/pg_server.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <filesystem>
#include <fstream>

#include "atio/store/postgres/conn.h"

namespace atio::testing {

namespace {

namespace fs = std::filesystem;

const std::string kScript = ATIO_SOURCE_DIR "/scripts/pg-temp.sh";
// initdb's cluster is cached here and copied for the next test process.
const std::string kTemplate = ATIO_BINARY_DIR "/pg-template";
constexpr const char* kDirPrefix = "atio-pg-test-";

std::string temp_root() {
  const char* t = std::getenv("TMPDIR");
  return t && *t ? t : "/tmp";
}

// Servers of test processes that died without stopping theirs (kill -9, a
// ctest timeout) would run forever: each directory names its owner's pid.
void remove_orphans(const std::string& root) {
  std::error_code ec;
  for (const fs::directory_entry& e : fs::directory_iterator(root, ec)) {
    if (e.path().filename().string().rfind(kDirPrefix, 0) != 0) continue;
    std::ifstream owner(e.path() / "owner");
    pid_t pid = 0;
    if (!(owner >> pid) || pid <= 0) continue;
    if (kill(pid, 0) == 0 || errno != ESRCH) continue;
    const std::string cmd = "'" + kScript + "' destroy '" + e.path().string() + "' >/dev/null 2>&1";
    (void)std::system(cmd.c_str());
  }
}

}  // namespace

PgServer& PgServer::get() {
  static PgServer server;
  return server;
}

PgServer::PgServer() {
  const std::string root = temp_root();
  remove_orphans(root);
  std::string pattern = root + "/" + kDirPrefix + "XXXXXX";
  if (!mkdtemp(pattern.data())) {
    error_ = "cannot create a directory in " + root;
    return;
  }
  dir_ = pattern;
  std::ofstream(dir_ + "/owner") << getpid() << "\n";
  Result<std::string> r = script("start");
  if (!r.is_ok()) {
    error_ = r.status().to_string();
    return;
  }
  conninfo_ = *r;
}

PgServer::~PgServer() {
  admin_.reset();
  if (!dir_.empty()) (void)script("destroy");
}

Result<std::string> PgServer::script(const std::string& command) {
  const std::string cmd = "ATIO_PG_TEMPLATE='" + kTemplate + "' '" + kScript + "' " + command +
                          " '" + dir_ + "' 2>&1";
  FILE* p = popen(cmd.c_str(), "r");
  if (!p) return Status(Code::kInternal, "cannot run " + kScript);
  std::string out;
  char buf[4096];
  for (std::size_t n; (n = fread(buf, 1, sizeof buf, p)) > 0;) out.append(buf, n);
  const int rc = pclose(p);
  while (!out.empty() && out.back() == '\n') out.pop_back();
  if (rc == -1 || !WIFEXITED(rc) || WEXITSTATUS(rc) != 0) {
    return Status(Code::kUnavailable, "scripts/pg-temp.sh " + command + " failed: " + out);
  }
  const std::size_t nl = out.rfind('\n');
  return nl == std::string::npos ? out : out.substr(nl + 1);
}

Result<std::string> PgServer::fresh_database() {
  std::lock_guard<std::mutex> lock(mu_);
  if (!ok()) return Status(Code::kUnavailable, error_);
  if (admin_ && !admin_->connected() && !admin_->reconnect()) admin_.reset();
  if (!admin_) {
    ATIO_ASSIGN_OR_RETURN(admin_, store::postgres::PgConn::connect(conninfo_));
  }
  const std::string name = "atio_test_" + std::to_string(next_database_++);
  ATIO_RETURN_IF_ERROR(admin_->exec(("CREATE DATABASE " + name).c_str()));
  // conninfo_ ends in "/atio".
  return conninfo_.substr(0, conninfo_.rfind('/') + 1) + name;
}

Status PgServer::stop() {
  std::lock_guard<std::mutex> lock(mu_);
  if (!ok()) return Status(Code::kUnavailable, error_);
  admin_.reset();
  return script("stop").status();
}

Status PgServer::start() {
  std::lock_guard<std::mutex> lock(mu_);
  if (!ok()) return Status(Code::kUnavailable, error_);
  return script("start").status();
}

}  // namespace atio::testing
