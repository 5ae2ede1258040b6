#include "atio/cli/local_store.h"

#include <fcntl.h>
#include <termios.h>
#include <unistd.h>

#include <boost/json/serialize.hpp>

#include <filesystem>
#include <iostream>

#include "atio/core/ids.h"
#include "atio/store/open_store.h"
#include "atio/store/sqlite/sqlite_store.h"

namespace atio::cli {

namespace fs = std::filesystem;

Result<std::unique_ptr<store::Store>> open_local_store(const std::string& path, bool create) {
  if (store::is_postgres_location(path)) {
    store::StoreOptions so;
    so.location = path;
    return store::open_store(so);
  }
  std::error_code ec;
  if (!fs::is_regular_file(path, ec)) {
    if (!create) return Status(Code::kNotFound, "no database at " + path + " (use --store)");
    const fs::path dir = fs::path(path).parent_path();
    // The store holds credentials: a new data directory is private.
    if (!dir.empty() && fs::create_directories(dir, ec)) {
      fs::permissions(dir, fs::perms::owner_all, fs::perm_options::replace, ec);
    }
    if (ec) return Status(Code::kIo, "cannot create " + dir.string() + ": " + ec.message());
  }
  store::SqliteOptions so;
  so.path = path;
  return store::open_sqlite_store(so);
}

store::AuditRecord system_record(const std::string& command, const std::string& action,
                                 const std::string& object_type, const std::string& object_id,
                                 const boost::json::object& detail) {
  store::AuditRecord r;
  r.actor = "uid:" + std::to_string(::getuid());
  r.actor_kind = "system";
  r.actor_name = command;
  r.role = "local";
  r.source_ip = "local";
  r.action = action;
  r.object_type = object_type;
  r.object_id = object_id;
  r.outcome = "success";
  r.detail = boost::json::serialize(detail);
  return r;
}

int report_failure(const std::string& command, const Status& s) {
  std::cerr << "atio " << command << ": " << s.to_string() << "\n";
  switch (s.code()) {
    case Code::kInvalidArgument:
    case Code::kNotFound:
    case Code::kAlreadyExists:
    case Code::kPermissionDenied:
      return 1;
    default:
      return 2;
  }
}

std::string time_text(std::int64_t ms) {
  if (ms == 0) return "never";
  return format_timestamp(std::chrono::system_clock::time_point(std::chrono::milliseconds(ms)));
}

namespace {

// One line from `fd` without echo when it is a terminal.
Result<std::string> read_hidden_line(int fd, const char* prompt) {
  std::cerr << prompt << std::flush;
  termios old{};
  const bool tty = ::tcgetattr(fd, &old) == 0;
  if (tty) {
    termios quiet = old;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    ::tcsetattr(fd, TCSAFLUSH, &quiet);
  }
  std::string line;
  char c;
  ssize_t n;
  while ((n = ::read(fd, &c, 1)) == 1 && c != '\n') line += c;
  if (tty) {
    ::tcsetattr(fd, TCSAFLUSH, &old);
    std::cerr << "\n";
  }
  if (n < 0) return Status(Code::kIo, "cannot read the password");
  if (!line.empty() && line.back() == '\r') line.pop_back();
  return line;
}

}  // namespace

Result<std::string> read_new_password(bool from_stdin) {
  if (from_stdin) {
    std::string line;
    std::getline(std::cin, line);
    if (!line.empty() && line.back() == '\r') line.pop_back();
    return line;
  }
  int fd = ::open("/dev/tty", O_RDWR | O_CLOEXEC);
  if (fd < 0) {
    return Status(Code::kInvalidArgument,
                  "no terminal to ask for the password on: use --password-stdin");
  }
  auto first = read_hidden_line(fd, "New password: ");
  auto second = first.is_ok() ? read_hidden_line(fd, "Again: ") : first;
  ::close(fd);
  if (!first.is_ok()) return first.status();
  if (!second.is_ok()) return second.status();
  if (*first != *second) return Status(Code::kInvalidArgument, "the passwords differ");
  return *first;
}

}  // namespace atio::cli
