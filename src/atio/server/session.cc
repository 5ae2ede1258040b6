#include "atio/server/session.h"

#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/beast/core/string.hpp>

#include <algorithm>
#include <cctype>

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

Session::Session(tcp::socket&& socket, const Router& router, SessionOptions options,
                 std::shared_ptr<SessionRegistry> registry)
    : stream_(std::move(socket)), router_(router), options_(options),
      registry_(std::move(registry)) {}

Session::~Session() { registry_->remove(this); }

void Session::start() {
  asio::dispatch(stream_.get_executor(),
                 beast::bind_front_handler(&Session::do_read, shared_from_this()));
}

void Session::shutdown() {
  asio::post(stream_.get_executor(), [self = shared_from_this()] {
    self->closing_ = true;
    if (self->streaming_) self->streaming_->close();
    // Idle: waiting for the next request. Busy connections close after
    // their answer is written.
    if (!self->busy_) self->stream_.cancel();
  });
}

void Session::do_read() {
  if (closing_) return do_close();
  parser_.emplace();
  parser_->body_limit(options_.max_body_bytes);
  parser_->header_limit(static_cast<std::uint32_t>(options_.max_header_bytes));
  stream_.expires_after(options_.read_timeout);
  http::async_read_header(stream_, buffer_, *parser_,
                          beast::bind_front_handler(&Session::on_header, shared_from_this()));
}

void Session::on_header(beast::error_code ec, std::size_t) {
  if (ec) return on_read_error(ec);
  auto length = parser_->content_length();
  if (length && *length > options_.max_body_bytes) {
    return on_read_error(http::error::body_limit);
  }
  const auto& req = parser_->get();
  if (beast::iequals(req[http::field::expect], "100-continue")) {
    continue_ = http::response<http::empty_body>(http::status::continue_, req.version());
    return http::async_write(stream_, continue_,
                             beast::bind_front_handler(&Session::on_continue, shared_from_this()));
  }
  http::async_read(stream_, buffer_, *parser_,
                   beast::bind_front_handler(&Session::on_read, shared_from_this()));
}

void Session::on_continue(beast::error_code ec, std::size_t) {
  if (ec) return;
  http::async_read(stream_, buffer_, *parser_,
                   beast::bind_front_handler(&Session::on_read, shared_from_this()));
}

void Session::on_read(beast::error_code ec, std::size_t) {
  if (ec) return on_read_error(ec);
  handle_request();
}

void Session::on_read_error(beast::error_code ec) {
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

void Session::handle_request() {
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
  auto ep = stream_.socket().remote_endpoint(ec);
  if (!ec) req.remote = ep.address().to_string();
  // The answer may come from another thread (e.g. once the engine has stored
  // executions): post it to this connection's strand. The tracked executor
  // keeps the io_context running until it is sent.
  auto ex = asio::prefer(stream_.get_executor(), asio::execution::outstanding_work.tracked);
  Respond respond = [self = shared_from_this(), ex](Response r) {
    asio::post(ex, [self, r = std::move(r)]() mutable { self->send(std::move(r)); });
  };
  router_.dispatch(std::move(req), std::move(respond));
}

void Session::send(Response r) {
  if (r.stream) return send_stream(std::move(r));
  auto m = std::make_shared<http::response<http::string_body>>();
  m->version(version_);
  m->result(static_cast<unsigned>(r.status));
  m->set(http::field::server, "atio");
  if (!r.content_type.empty()) m->set(http::field::content_type, r.content_type);
  for (auto& [name, value] : r.headers) m->set(name, value);
  m->body() = std::move(r.body);
  const bool keep_alive = keep_alive_ && !closing_;
  m->keep_alive(keep_alive);
  m->prepare_payload();
  response_ = m;
  stream_.expires_after(options_.write_timeout);
  http::async_write(stream_, *m,
                    beast::bind_front_handler(&Session::on_write, shared_from_this(), keep_alive));
}

void Session::send_stream(Response r) {
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
  stream_.expires_after(options_.write_timeout);
  http::async_write_header(stream_, *sr, [self = shared_from_this(), m, sr](beast::error_code ec,
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

void Session::pump() {
  // No deadline while waiting for the stream's next chunk; each write has one.
  stream_.expires_never();
  auto ex = asio::prefer(stream_.get_executor(), asio::execution::outstanding_work.tracked);
  streaming_->next([self = shared_from_this(), ex](std::optional<std::string> chunk) {
    asio::post(ex, [self, chunk = std::move(chunk)]() mutable {
      if (!chunk) {
        self->stream_.expires_after(self->options_.write_timeout);
        return asio::async_write(self->stream_, http::make_chunk_last(),
                                 [self](beast::error_code, std::size_t) {
                                   self->streaming_.reset();
                                   self->busy_ = false;
                                   self->do_close();
                                 });
      }
      auto text = std::make_shared<std::string>(std::move(*chunk));
      self->stream_.expires_after(self->options_.write_timeout);
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

void Session::on_write(bool keep_alive, beast::error_code ec, std::size_t) {
  busy_ = false;
  response_.reset();
  if (ec) return;
  if (!keep_alive) return do_close();
  do_read();
}

void Session::do_close() {
  beast::error_code ec;
  stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
  // Lingering close: read (and drop) what the client still sends for a
  // moment, so closing with unread data does not reset the connection
  // before the client has read our answer (e.g. a 413 sent before the body).
  stream_.expires_after(std::chrono::seconds(2));
  drain();
}

void Session::drain() {
  buffer_.clear();
  stream_.async_read_some(buffer_.prepare(16 * 1024),
                          [self = shared_from_this()](beast::error_code ec, std::size_t) {
                            if (!ec) self->drain();
                          });
}

}  // namespace atio::server::net
