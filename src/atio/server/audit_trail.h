// How requests become audit records (store/audit.h, docs/audit.md).
//
// The router prepares an AuditScope for each request to an audited route
// (actor, source address, user agent, action, object). A handler whose
// change is a store write calls add_audit() to put the success record in the
// same batch as the change: the two commit together or not at all (fail
// closed). A handler whose change is not a store write (an abort, a manual
// answer) calls audit_before() and makes the change only once the record is
// durable. The router records everything else: failures (with the HTTP
// status), refused credentials, and successes the handler did not record,
// before the answer leaves; if that record cannot be written a success
// becomes a 503.
#pragma once

#include <boost/json/object.hpp>

#include <atomic>
#include <string>
#include <vector>

#include "atio/core/status.h"
#include "atio/server/http.h"
#include "atio/store/store.h"

namespace atio::server {

struct AuditScope {
  store::AuditRecord record;        // outcome and detail filled when written
  std::atomic<bool> written{false};  // the handler recorded the success itself
  // Why the request failed, in the handler's words, for the failure record
  // ("wrong_password", "rate_limited"); never a secret. Set before answering.
  std::string failure_reason;
};

// Actor fields of `record` for `principal`: an API key is actor_kind "key"
// (its id and name), a user signed in with a session "user" (its id and
// name), each with the role it acted with; a hook "hook" with role
// "webhook"; no principal "anonymous".
void set_actor(store::AuditRecord& record, const Principal& principal);

// The scope's record as a success with `detail`; `object_id` replaces the one
// taken from the path when not empty.
store::AuditRecord success_record(const AuditScope& scope, const bj::object& detail,
                                  const std::string& object_id);

// Appends the request's success record to `ops`, the batch that makes the
// change. Nothing when the request is not audited.
void add_audit(Request& request, std::vector<store::WriteOp>& ops, const bj::object& detail = {},
               const std::string& object_id = "");

// Writes the request's success record now. An error means the change must
// not be made. OK without writing when the request is not audited.
Status audit_before(Request& request, store::Store& store, const bj::object& detail = {},
                    const std::string& object_id = "");

// The identity that made the request, once a handler has checked it itself
// (a hook's token): later records of this request name it.
void set_audit_actor(Request& request, const Principal& principal);

}  // namespace atio::server
