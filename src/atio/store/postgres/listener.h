// Store::listen on PostgreSQL: LISTEN on a connection of its own.
//
// wait() polls the connection's socket for at most its timeout and returns
// the channels notified meanwhile. When the connection breaks (the server
// restarted) it answers kUnavailable, reconnects on a later wait (at most
// every 500 ms) and LISTENs again; notifications sent while it was away are
// lost, which is why callers look at the store afresh after an error.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "atio/store/store.h"

namespace atio::store::postgres {

Result<std::unique_ptr<Listener>> open_listener(const std::string& conninfo,
                                                const std::vector<std::string>& channels);

}  // namespace atio::store::postgres
