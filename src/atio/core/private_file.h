// Files that hold keys: readable and writable by their owner only. atio keeps
// its audit signing key and its secret-store master key in such files,
// outside the database, so that whoever copies the database does not get
// them.
#pragma once

#include <string>

#include "atio/core/status.h"

namespace atio {

// The content of the key file at `path` (`what` names it in errors, e.g.
// "audit key"). kNotFound when it does not exist; kInvalidArgument when it
// is not a regular file; kPermissionDenied when someone else may have read
// it or put it there. A private file is:
//  - owned by atio's user, with no access for group or others (0600, 0400);
//  - or, for a process that is not root, owned by root and readable by
//    root's chosen group at most (0640, 0440): how Kubernetes mounts a
//    Secret for a pod with an fsGroup, and the rule PostgreSQL applies to
//    its key files.
// A symbolic link is followed and the file it ends at is judged (Kubernetes
// mounts each Secret key as a link into ..data/): a link cannot lend its
// target trust, since the target must itself pass the rule above.
Result<std::string> read_private_file(const std::string& path, const std::string& what,
                                      std::size_t max_bytes = 4096);

// Creates `path` with mode 0600 (whatever the umask) holding `content`, and
// syncs it. Never replaces a file: kAlreadyExists when one appears first.
Status create_private_file(const std::string& path, const std::string& content,
                           const std::string& what);

// Overwrites the bytes of `s` with zeros (not optimised away), then clears it.
void wipe(std::string& s);

}  // namespace atio
