// The server's view of HTTP: a request and a response as plain values, so
// handlers are plain functions testable without sockets. Only listener.cc and
// session.cc translate them to and from Beast.
#pragma once

#include <boost/json/value.hpp>

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace atio::server {

namespace bj = boost::json;

struct AuditScope;  // server/audit_trail.h

// Who made an authenticated request.
struct Principal {
  std::string kind;  // "api-key", "user" (a UI session), "hook", "" (anonymous)
  std::string id;    // the key's, user's or hook's id
  std::string name;
  std::string role;  // "admin", "author", ... (auth/permissions.h); "webhook" for hooks
  std::string user_id;     // the user acting: a session's user, a key's owner ("" for none)
  std::string session_id;  // set when a session cookie authenticated the request
  std::int64_t expires_at_ms = 0;  // when the credential stops working (0 = never)
  // How the store records this principal as the author of an action.
  std::string who() const;
};

struct Request {
  std::string method;  // upper case: GET, POST, ...
  std::string target;  // origin form as received: /api/v1/playbooks?x=1
  // Header names in lower case. A repeated header keeps its last value.
  std::map<std::string, std::string> headers;
  std::string body;
  std::string remote;  // peer address, for logs

  // Filled by the router before the handler runs.
  std::string path;                                        // decoded path
  std::vector<std::pair<std::string, std::string>> query;  // decoded, in order
  std::map<std::string, std::string> params;               // path parameters, decoded
  Principal principal;
  // Set by the router for audited routes: the record this request makes.
  std::shared_ptr<AuditScope> audit;

  // "" when absent.
  std::string_view header(std::string_view lower_case_name) const;
  std::optional<std::string> query_param(std::string_view name) const;
  const std::string& param(const std::string& name) const;
};

// A response body written over time (server-sent events, downloads), sent with chunked
// transfer encoding on a connection that closes when the stream ends.
class ResponseStream {
 public:
  virtual ~ResponseStream() = default;
  // Calls `write` exactly once, from any thread, with the next chunk (may be
  // later, when there is something to send), or with nullopt to end the
  // response. The session calls next() again once the chunk is written.
  virtual void next(std::function<void(std::optional<std::string>)> write) = 0;
  // The connection is going away (the client left, the server shuts down):
  // a pending next() should answer nullopt soon. Thread-safe; may be called
  // more than once.
  virtual void close() = 0;
  // Asked when next() answered nullopt: true when the stream ended because
  // it failed (a download whose bytes could not be read). The connection
  // then closes without the last chunk, so the client sees the response cut
  // short instead of taking what came as whole.
  virtual bool failed() const { return false; }
};

struct Response {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;  // besides Content-Type
  std::shared_ptr<ResponseStream> stream;  // when set, sent instead of `body`

  Response& header(std::string name, std::string value) {
    headers.emplace_back(std::move(name), std::move(value));
    return *this;
  }
};

// Completes a request. Called exactly once, from any thread.
using Respond = std::function<void(Response)>;

Response json_response(int status, const bj::value& body);
Response empty_response(int status);  // e.g. 204

// The reason phrase of a status ("Not Found").
std::string_view status_reason(int status);

}  // namespace atio::server
