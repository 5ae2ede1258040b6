// What the `atio user` and `atio apikey` commands share: the store file
// opened directly (no server needed, for the first administrator and for
// recovery; a running `atio serve` may keep using it), the audit record of
// a change made on the host, and reading a password.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include <boost/json/object.hpp>

#include "atio/core/status.h"
#include "atio/store/store.h"

namespace atio::cli {

// Opens the SQLite store at `path`. With `create`, a missing file (and its
// directory, private to the owner) is created; otherwise kNotFound.
Result<std::unique_ptr<store::Store>> open_local_store(const std::string& path, bool create);

// The record of a change made by `command` ("atio user add") on the host:
// actor "uid:<uid>", actor_kind "system", role "local", source "local".
store::AuditRecord system_record(const std::string& command, const std::string& action,
                                 const std::string& object_type, const std::string& object_id,
                                 const boost::json::object& detail);

// Prints "atio <command>: <error>" and returns the exit code: 1 for what
// the user can correct (a bad argument, an unknown or taken name), 2 for
// the rest (the store cannot be used).
int report_failure(const std::string& command, const Status& s);

// RFC 3339 text of `ms`, or "never" for 0.
std::string time_text(std::int64_t ms);

// A new password: one line from standard input with `from_stdin`, else
// asked twice on the terminal without echo. kInvalidArgument when the two
// differ or no terminal is there; the password rules are checked later.
Result<std::string> read_new_password(bool from_stdin);

}  // namespace atio::cli
