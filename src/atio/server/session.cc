#include "atio/server/session.h"

#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/beast/core/string.hpp>

#include <algorithm>
#include <cctype>
#include <type_traits>

#include "atio/server/errors.h"

namespace atio::server::net {

void SessionRegistry::add(const std::shared_ptr<Session>& session) {
  bool closing;
  {
    std::lock_guard<std::mutex> lk(mu_);
    sessions_[session.get()] = session;
    closing = closing_;
  }
  if (closing) session->shutdown();  // accepted while shutting down
}

void SessionRegistry::remove(Session* session) {
  {
    std::lock_guard<std::mutex> lk(mu_);
    sessions_.erase(session);
  }
  cv_.notify_all();
}

void SessionRegistry::shutdown_all() {
  std::vector<std::shared_ptr<Session>> live;
  {
    std::lock_guard<std::mutex> lk(mu_);
    closing_ = true;
    for (auto& [p, w] : sessions_) {
      if (auto s = w.lock()) live.push_back(std::move(s));
    }
  }
  for (auto& s : live) s->shutdown();
}

bool SessionRegistry::wait_empty_until(std::chrono::steady_clock::time_point deadline) {
  std::unique_lock<std::mutex> lk(mu_);
  return cv_.wait_until(lk, deadline, [this] { return sessions_.empty(); });
}

namespace {

constexpr const char* kHsts = "max-age=31536000";

template <class Stream>
constexpr bool is_tls() {
  return std::is_same_v<Stream, TlsStream>;
}

}  // namespace

template <class Stream>
HttpSession<Stream>::HttpSession(Stream&& stream, const Router& router, SessionOptions options,
                                 std::shared_ptr<SessionRegistry> registry)
    : stream_(std::move(stream)), router_(router), options_(options),
      registry_(std::move(registry)) {}

template <class Stream>
HttpSession<Stream>::~HttpSession() { registry_->remove(this); }

template <class Stream>
void HttpSession<Stream>::start() {
  if constexpr (is_tls<Stream>()) {
    // The handshake has the read deadline: a client that never finishes it
    // does not hold the connection.
    beast::get_lowest_layer(stream_).expires_after(options_.read_timeout);
    asio::dispatch(stream_.get_executor(), [self = self()] {
      self->stream_.async_handshake(
          asio::ssl::stream_base::server,
          beast::bind_front_handler(&HttpSession::on_handshake, self));
    });
  } else {
    asio::dispatch(stream_.get_executor(),
                   beast::bind_front_handler(&HttpSession::do_read, self()));
  }
}

template <class Stream>
void HttpSession<Stream>::on_handshake(beast::error_code ec) {
  if (ec) return;  // not TLS, wrong version, timeout: the connection just ends
  do_read();
}

template <class Stream>
void HttpSession<Stream>::shutdown() {
  asio::post(stream_.get_executor(), [self = self()] {
    self->closing_ = true;
    if (self->streaming_) self->streaming_->close();
    // Idle: waiting for the next request. Busy connections close after
    // their answer is written.
    if (!self->busy_) beast::get_lowest_layer(self->stream_).cancel();
  });
}

template <class Stream>
void HttpSession<Stream>::do_read() {
  if (closing_) return do_close();
  parser_.emplace();
  parser_->body_limit(options_.max_body_bytes);
  parser_->header_limit(static_cast<std::uint32_t>(options_.max_header_bytes));
  beast::get_lowest_layer(stream_).expires_after(options_.read_timeout);
  http::async_read_header(stream_, buffer_, *parser_,
                          beast::bind_front_handler(&HttpSession::on_header, self()));
}

template <class Stream>
void HttpSession<Stream>::on_header(beast::error_code ec, std::size_t) {
  if (ec) return on_read_error(ec);
  auto length = parser_->content_length();
  if (length && *length > options_.max_body_bytes) {
    return on_read_error(http::error::body_limit);
  }
  const auto& req = parser_->get();
  if (beast::iequals(req[http::field::expect], "100-continue")) {
    continue_ = http::response<http::empty_body>(http::status::continue_, req.version());
    return http::async_write(stream_, continue_,
                             beast::bind_front_handler(&HttpSession::on_continue, self()));
  }
  http::async_read(stream_, buffer_, *parser_,
                   beast::bind_front_handler(&HttpSession::on_read, self()));
}

template <class Stream>
void HttpSession<Stream>::on_continue(beast::error_code ec, std::size_t) {
  if (ec) return;
  http::async_read(stream_, buffer_, *parser_,
                   beast::bind_front_handler(&HttpSession::on_read, self()));
}

template <class Stream>
void HttpSession<Stream>::on_read(beast::error_code ec, std::size_t) {
  if (ec) return on_read_error(ec);
  handle_request();
}

template <class Stream>
void HttpSession<Stream>::on_read_error(beast::error_code ec) {
  if (ec == http::error::end_of_stream) return do_close();
  if (ec == http::error::body_limit) {
    keep_alive_ = false;
    busy_ = true;
    return send(error_response(413, "payload_too_large",
                               "the request body is larger than the limit of " +
                                   std::to_string(options_.max_body_bytes) + " bytes"));
  }
  if (&ec.category() == &http::make_error_code(http::error::bad_target).category()) {
    // A malformed request: say so, then close (the stream is out of sync).
    keep_alive_ = false;
    busy_ = true;
    return send(error_response(400, "bad_request", "malformed HTTP request: " + ec.message()));
  }
  // Timeout, reset or shutdown: the connection just ends.
}

template <class Stream>
void HttpSession<Stream>::handle_request() {
  busy_ = true;
  auto& msg = parser_->get();
  version_ = msg.version();
  keep_alive_ = msg.keep_alive();
  Request req;
  req.method = std::string(msg.method_string());
  req.target = std::string(msg.target());
  for (const auto& field : msg) {
    std::string name(field.name_string());
    std::transform(name.begin(), name.end(), name.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    req.headers[std::move(name)] = std::string(field.value());
  }
  req.body = std::move(msg.body());
  beast::error_code ec;
  auto ep = beast::get_lowest_layer(stream_).socket().remote_endpoint(ec);
  if (!ec) req.remote = ep.address().to_string();
  // The answer may come from another thread (e.g. once the engine has stored
  // executions): post it to this connection's strand. The tracked executor
  // keeps the io_context running until it is sent.
  auto ex = asio::prefer(stream_.get_executor(), asio::execution::outstanding_work.tracked);
  Respond respond = [self = self(), ex](Response r) {
    asio::post(ex, [self, r = std::move(r)]() mutable { self->send(std::move(r)); });
  };
  router_.dispatch(std::move(req), std::move(respond));
}

template <class Stream>
void HttpSession<Stream>::send(Response r) {
  if (r.stream) return send_stream(std::move(r));
  auto m = std::make_shared<http::response<http::string_body>>();
  m->version(version_);
  m->result(static_cast<unsigned>(r.status));
  m->set(http::field::server, "atio");
  if constexpr (is_tls<Stream>()) m->set(http::field::strict_transport_security, kHsts);
  if (!r.content_type.empty()) m->set(http::field::content_type, r.content_type);
  for (auto& [name, value] : r.headers) m->set(name, value);
  m->body() = std::move(r.body);
  const bool keep_alive = keep_alive_ && !closing_;
  m->keep_alive(keep_alive);
  m->prepare_payload();
  response_ = m;
  beast::get_lowest_layer(stream_).expires_after(options_.write_timeout);
  http::async_write(stream_, *m,
                    beast::bind_front_handler(&HttpSession::on_write, self(), keep_alive));
}

template <class Stream>
void HttpSession<Stream>::send_stream(Response r) {
  auto m = std::make_shared<http::response<http::empty_body>>();
  m->version(version_);
  m->result(static_cast<unsigned>(r.status));
  m->set(http::field::server, "atio");
  if (!r.content_type.empty()) m->set(http::field::content_type, r.content_type);
  for (auto& [name, value] : r.headers) m->set(name, value);
  m->keep_alive(false);
  m->chunked(true);
  streaming_ = std::move(r.stream);
  if (closing_) streaming_->close();
  auto sr = std::make_shared<http::response_serializer<http::empty_body>>(*m);
  beast::get_lowest_layer(stream_).expires_after(options_.write_timeout);
  http::async_write_header(stream_, *sr, [self = self(), m, sr](beast::error_code ec,
                                                                            std::size_t) {
    if (ec) {
      self->streaming_->close();
      self->streaming_.reset();
      self->busy_ = false;
      return;
    }
    self->pump();
  });
}

template <class Stream>
void HttpSession<Stream>::pump() {
  // No deadline while waiting for the stream's next chunk; each write has one.
  beast::get_lowest_layer(stream_).expires_never();
  auto ex = asio::prefer(stream_.get_executor(), asio::execution::outstanding_work.tracked);
  streaming_->next([self = self(), ex](std::optional<std::string> chunk) {
    asio::post(ex, [self, chunk = std::move(chunk)]() mutable {
      if (!chunk) {
        if (self->streaming_->failed()) {
          // No last chunk: the client sees the response cut short.
          self->streaming_.reset();
          self->busy_ = false;
          beast::error_code ec;
          beast::get_lowest_layer(self->stream_).socket().shutdown(tcp::socket::shutdown_both, ec);
          beast::get_lowest_layer(self->stream_).close();
          return;
        }
        beast::get_lowest_layer(self->stream_).expires_after(self->options_.write_timeout);
        return asio::async_write(self->stream_, http::make_chunk_last(),
                                 [self](beast::error_code, std::size_t) {
                                   self->streaming_.reset();
                                   self->busy_ = false;
                                   self->do_close();
                                 });
      }
      auto text = std::make_shared<std::string>(std::move(*chunk));
      beast::get_lowest_layer(self->stream_).expires_after(self->options_.write_timeout);
      asio::async_write(self->stream_, http::make_chunk(asio::buffer(*text)),
                        [self, text](beast::error_code ec, std::size_t) {
                          if (ec) {
                            self->streaming_->close();
                            self->streaming_.reset();
                            self->busy_ = false;
                            return;
                          }
                          self->pump();
                        });
    });
  });
}

template <class Stream>
void HttpSession<Stream>::on_write(bool keep_alive, beast::error_code ec, std::size_t) {
  busy_ = false;
  response_.reset();
  if (ec) return;
  if (!keep_alive) return do_close();
  do_read();
}

template <class Stream>
void HttpSession<Stream>::do_close() {
  if constexpr (is_tls<Stream>()) {
    // close_notify first, so the client knows the answer is complete; then
    // the TCP side as for plain connections.
    beast::get_lowest_layer(stream_).expires_after(std::chrono::seconds(2));
    return stream_.async_shutdown([self = self()](beast::error_code) {
      beast::error_code ec;
      beast::get_lowest_layer(self->stream_).socket().shutdown(tcp::socket::shutdown_send, ec);
    });
  }
  beast::error_code ec;
  beast::get_lowest_layer(stream_).socket().shutdown(tcp::socket::shutdown_send, ec);
  // Lingering close: read (and drop) what the client still sends for a
  // moment, so closing with unread data does not reset the connection
  // before the client has read our answer (e.g. a 413 sent before the body).
  beast::get_lowest_layer(stream_).expires_after(std::chrono::seconds(2));
  drain();
}

template <class Stream>
void HttpSession<Stream>::drain() {
  buffer_.clear();
  stream_.async_read_some(buffer_.prepare(16 * 1024),
                          [self = self()](beast::error_code ec, std::size_t) {
                            if (!ec) self->drain();
                          });
}

template class HttpSession<beast::tcp_stream>;
template class HttpSession<TlsStream>;

}  // namespace atio::server::net
