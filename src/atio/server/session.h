// Internal to the server: one HTTP connection. Includes Beast, so only
// listener.cc and session.cc include this header.
#pragma once

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

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
  // REQUIRES: `socket`'s executor is a strand; `router` outlives the session.
  Session(tcp::socket&& socket, const Router& router, SessionOptions options,
          std::shared_ptr<SessionRegistry> registry);
  ~Session();

  void start();
  // Thread-safe: finish the request in flight (if any), then close.
  void shutdown();

 private:
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

  beast::tcp_stream stream_;
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
