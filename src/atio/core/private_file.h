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
// is not a regular file; kPermissionDenied when group or others may access
// it (mode looser than 0600): the key may have been read by someone else.
Result<std::string> read_private_file(const std::string& path, const std::string& what,
                                      std::size_t max_bytes = 4096);

// Creates `path` with mode 0600 (whatever the umask) holding `content`, and
// syncs it. Never replaces a file: kAlreadyExists when one appears first.
Status create_private_file(const std::string& path, const std::string& content,
                           const std::string& what);

// Overwrites the bytes of `s` with zeros (not optimised away), then clears it.
void wipe(std::string& s);

}  // namespace atio
