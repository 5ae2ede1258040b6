// Internal to the server: one HTTP connection. Includes Beast, so only
// listener.cc and session.cc include this header.
#pragma once

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

#include <chrono>
#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <optional>

#include "atio/server/router.h"

namespace atio::server::net {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = boost::beast::http;
using tcp = asio::ip::tcp;

using TlsStream = beast::ssl_stream<beast::tcp_stream>;

struct SessionOptions {
  std::size_t max_body_bytes;
  std::size_t max_header_bytes;
  std::chrono::milliseconds read_timeout;
  std::chrono::milliseconds write_timeout;
};

class Session;

// The live connections, so shutdown can close idle ones and wait for the rest.
class SessionRegistry {
 public:
  void add(const std::shared_ptr<Session>& session);
  void remove(Session* session);
  // Marks the registry closing and asks every session to finish.
  void shutdown_all();
  // True when every session ended before `deadline`.
  bool wait_empty_until(std::chrono::steady_clock::time_point deadline);

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  std::map<Session*, std::weak_ptr<Session>> sessions_;
  bool closing_ = false;
};

// Reads requests one after another (keep-alive), hands each to the router and
// writes its answer. All socket work runs on the socket's strand.
class Session : public std::enable_shared_from_this<Session> {
 public:
  virtual ~Session() = default;
  virtual void start() = 0;
  // Thread-safe: finish the request in flight (if any), then close.
  virtual void shutdown() = 0;
};

// A connection over `Stream`: beast::tcp_stream (plain HTTP) or
// ssl::stream<beast::tcp_stream> (HTTPS: the TLS handshake comes first,
// every answer carries Strict-Transport-Security, and closing sends the TLS
// close_notify).
template <class Stream>
class HttpSession final : public Session {
 public:
  // REQUIRES: `stream`'s executor is a strand; `router` outlives the session.
  HttpSession(Stream&& stream, const Router& router, SessionOptions options,
              std::shared_ptr<SessionRegistry> registry);
  ~HttpSession() override;

  void start() override;
  void shutdown() override;

 private:
  std::shared_ptr<HttpSession> self() {
    return std::static_pointer_cast<HttpSession>(shared_from_this());
  }
  void on_handshake(beast::error_code ec);
  void do_read();
  void on_header(beast::error_code ec, std::size_t bytes);
  void on_continue(beast::error_code ec, std::size_t bytes);
  void on_read(beast::error_code ec, std::size_t bytes);
  void on_read_error(beast::error_code ec);
  void handle_request();
  void send(Response response);
  // A streamed response: the header, then each chunk the stream gives.
  void send_stream(Response response);
  void pump();
  void on_write(bool keep_alive, beast::error_code ec, std::size_t bytes);
  void do_close();
  void drain();

  Stream stream_;
  beast::flat_buffer buffer_;
  const Router& router_;
  SessionOptions options_;
  std::shared_ptr<SessionRegistry> registry_;
  std::optional<http::request_parser<http::string_body>> parser_;
  http::response<http::empty_body> continue_;
  std::shared_ptr<http::response<http::string_body>> response_;
  std::shared_ptr<ResponseStream> streaming_;  // the stream being sent, if any
  unsigned version_ = 11;
  bool keep_alive_ = true;
  bool busy_ = false;     // a request is being handled or answered
  bool closing_ = false;  // shutdown asked: no further request
};

}  // namespace atio::server::net
