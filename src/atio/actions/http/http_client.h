// Asynchronous outbound HTTP over one libcurl multi handle.
//
// One HttpClient owns one background thread (the "client thread") that drives
// every transfer. Connections are kept in the multi handle's connection cache
// and reused by later requests to the same host (HTTP/1.1 keep-alive, TCP
// keep-alive probes on). libcurl stays out of this header.
//
// Threads: send() may be called from any thread, including from inside a
// `done` callback. Every `done` runs on the client thread, exactly once per
// send(); it should return quickly (post heavier work elsewhere), since it
// holds up every other transfer while it runs.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "atio/actions/action.h"
#include "atio/core/status.h"

namespace atio::actions {

using HttpHeaders = std::vector<std::pair<std::string, std::string>>;

struct HttpRequest {
  std::string method = "GET";  // sent as written: GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS...
  std::string url;             // absolute http:// or https:// URL
  // Sent in order after libcurl's own. An empty value sends "Name:" with no
  // value. libcurl adds no Content-Type and no "Expect: 100-continue" unless
  // given here.
  HttpHeaders headers;
  std::string body;            // sent when non-empty, and always for POST/PUT/PATCH
  std::chrono::milliseconds timeout{30000};  // whole transfer; 0 means no limit
  bool verify_tls = true;      // peer certificate and host name
  std::optional<std::string> ca_file;  // PEM bundle replacing the system CAs
  std::shared_ptr<CancelToken> cancel;  // may be null
};

struct HttpResponse {
  // OK when an HTTP response arrived, whatever its status code. Otherwise:
  // kTimeout (timeout elapsed), kUnavailable (resolve/connect/TLS/transfer
  // errors), kAborted (cancelled, or the client shut down), kPayloadTooLarge
  // (body over the limit), kInvalidArgument (malformed URL). The message is
  // libcurl's detail.
  Status status;
  long http_status = 0;  // 0 when no response arrived
  HttpHeaders headers;   // of the final response, names as received
  std::string body;
};

struct HttpClientOptions {
  // A response body larger than this fails the request with kPayloadTooLarge.
  std::size_t max_response_bytes = 10 * 1024 * 1024;
  // Transfers to one host beyond this wait inside libcurl for a free
  // connection (their timeout keeps running). 0 means no limit.
  long max_connections_per_host = 64;
  // How often in-flight requests' cancel tokens are checked.
  std::chrono::milliseconds cancel_poll{50};
  // Transfers handed to libcurl at once; more wait in a FIFO queue here.
  // Bounds the per-wake-up cost of the client thread, which otherwise grows
  // with every queued request (thousands under a backlog). A request waiting
  // here is started in order; one cancelled while waiting ends kAborted
  // without being sent.
  std::size_t max_in_flight = 256;
  std::string user_agent = "atio";
};

class HttpClient {
 public:
  explicit HttpClient(HttpClientOptions options = {});
  // Stops the client thread. Requests still queued or in flight complete with
  // kAborted before the destructor returns.
  // REQUIRES: not called from a `done` callback of this client.
  ~HttpClient();

  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  // Queues a request and returns at once. `done` is called exactly once, on
  // the client thread. After the destructor has begun, `done` runs inline
  // with kAborted.
  void send(HttpRequest request, std::function<void(HttpResponse)> done);

  // Number of requests queued or in flight (for tests and metrics).
  std::size_t pending() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace atio::actions
