#include "atio/core/private_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <string>

namespace atio {

namespace {

Status io_error(const std::string& what, const std::string& path) {
  return Status(Code::kIo, what + " " + path + ": " + std::strerror(errno));
}

// See read_private_file in the header for the rule.
Status check_private(const struct stat& st, const std::string& what, const std::string& path) {
  const uid_t me = ::geteuid();
  if (st.st_uid != me && st.st_uid != 0) {
    return Status(Code::kPermissionDenied,
                  what + " " + path + " belongs to uid " + std::to_string(st.st_uid) +
                      "; it must belong to atio's user (uid " + std::to_string(me) +
                      ") or to root");
  }
  // Root may let the group it chose read (not write) a file it provides.
  const mode_t allowed = (st.st_uid == 0 && me != 0) ? S_IRGRP : 0;
  if ((st.st_mode & 077 & ~allowed) == 0) return Status::ok();
  char mode[8];
  std::snprintf(mode, sizeof mode, "%04o", static_cast<unsigned>(st.st_mode & 07777));
  return Status(Code::kPermissionDenied,
                what + " " + path + " has mode " + mode +
                    "; it must be readable by its owner only (chmod 600)" +
                    (me != 0 ? ", or be owned by root and readable by its group at most "
                               "(chmod 640)"
                             : "") +
                    ", and since others could read it, consider making a new key");
}

}  // namespace

Result<std::string> read_private_file(const std::string& path, const std::string& what,
                                      std::size_t max_bytes) {
  // Links are followed; the checks below look at the file actually opened
  // (fstat of the descriptor), so nothing can be swapped in between.
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT) return Status(Code::kNotFound, what + " " + path + " does not exist");
    return io_error("cannot open " + what, path);
  }
  struct stat st {};
  if (::fstat(fd, &st) != 0) {
    const Status s = io_error("cannot stat " + what, path);
    ::close(fd);
    return s;
  }
  if (!S_ISREG(st.st_mode)) {
    ::close(fd);
    return Status(Code::kInvalidArgument, what + " " + path + " is not a regular file");
  }
  if (Status s = check_private(st, what, path); !s.is_ok()) {
    ::close(fd);
    return s;
  }
  std::string content(max_bytes, '\0');
  std::size_t got = 0;
  while (got < max_bytes) {
    const ssize_t n = ::read(fd, content.data() + got, max_bytes - got);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      const Status s = io_error("cannot read " + what, path);
      ::close(fd);
      wipe(content);
      return s;
    }
    if (n == 0) break;
    got += static_cast<std::size_t>(n);
  }
  ::close(fd);
  content.resize(got);
  return content;
}

Status create_private_file(const std::string& path, const std::string& content,
                           const std::string& what) {
  // O_EXCL: a file created meanwhile by someone else is never overwritten.
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (fd < 0) {
    if (errno == EEXIST) return Status(Code::kAlreadyExists, what + " " + path + " exists");
    return io_error("cannot create " + what, path);
  }
  (void)::fchmod(fd, 0600);  // whatever the umask
  const bool ok = ::write(fd, content.data(), content.size()) ==
                      static_cast<ssize_t>(content.size()) &&
                  ::fsync(fd) == 0;
  if (::close(fd) != 0 || !ok) return io_error("cannot write " + what, path);
  return Status::ok();
}

void wipe(std::string& s) {
  ::explicit_bzero(s.data(), s.size());
  s.clear();
}

}  // namespace atio
