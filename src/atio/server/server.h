// The HTTP server: Boost.Beast on its own io_context (1-2 threads, separate
// from the engine's workers), one strand and one deadline per connection,
// keep-alive, and a graceful shutdown on SIGINT/SIGTERM. Requests go to a
// Router; a handler may answer later from any thread (the answer is posted
// back to the connection's strand). Beast and Asio stay out of this header.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "atio/core/status.h"
#include "atio/server/router.h"

namespace atio::server {

struct ServerOptions {
  std::string host = "127.0.0.1";  // address or name to bind
  std::uint16_t port = 8080;       // 0: any free port (see listen())
  std::size_t io_threads = 2;
  std::size_t max_body_bytes = 10 * 1024 * 1024;  // larger bodies: 413 and the connection closes
  std::size_t max_header_bytes = 64 * 1024;
  // Deadline for receiving one request (also how long an idle keep-alive
  // connection stays open) and for sending one response.
  std::chrono::milliseconds read_timeout{30'000};
  std::chrono::milliseconds write_timeout{30'000};
  // How long shutdown waits for in-flight requests before closing anyway.
  std::chrono::milliseconds shutdown_grace{10'000};
  // Shut down on SIGINT/SIGTERM (handlers installed by listen(), so a signal
  // that arrives between listen() and run() is not lost).
  bool handle_signals = true;
  // HTTPS when both are set: a PEM certificate chain and its private key.
  // TLS 1.2 or newer; every answer then carries Strict-Transport-Security.
  std::string tls_cert_file;
  std::string tls_key_file;
};

class HttpServer {
 public:
  // REQUIRES: `router` outlives the server.
  HttpServer(ServerOptions options, const Router& router);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Binds and listens. Returns the bound port (the real one when the
  // options asked for port 0). kUnavailable when the address cannot be used.
  Result<std::uint16_t> listen();

  // Serves until shutdown() or, with handle_signals, SIGINT/SIGTERM. Then
  // stops accepting, closes idle connections, lets requests in flight finish
  // (at most shutdown_grace) and returns. REQUIRES: listen() succeeded.
  void run();

  // Starts the shutdown described above. Thread-safe, idempotent.
  void shutdown();

  struct Impl;

 private:
  std::shared_ptr<Impl> impl_;
};

}  // namespace atio::server
