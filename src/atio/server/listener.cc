#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>

#include <condition_variable>
#include <csignal>
#include <iostream>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include "atio/server/server.h"
#include "atio/core/thread_name.h"
#include "atio/server/session.h"

namespace atio::server {

using net::asio::ip::tcp;
namespace asio = net::asio;

namespace {

// A TLS 1.2+ server context from the certificate chain and key files.
Status load_tls(const ServerOptions& o, std::optional<asio::ssl::context>& out) {
  if (o.tls_cert_file.empty() || o.tls_key_file.empty()) {
    return Status(Code::kInvalidArgument,
                  "TLS needs both a certificate file and a key file (--tls-cert, --tls-key)");
  }
  out.emplace(asio::ssl::context::tls_server);
  out->set_options(asio::ssl::context::default_workarounds | asio::ssl::context::no_sslv2 |
                   asio::ssl::context::no_sslv3 | asio::ssl::context::no_tlsv1 |
                   asio::ssl::context::no_tlsv1_1 | asio::ssl::context::single_dh_use);
  boost::system::error_code ec;
  out->use_certificate_chain_file(o.tls_cert_file, ec);
  if (ec) {
    out.reset();
    return Status(Code::kInvalidArgument,
                  "TLS certificate " + o.tls_cert_file + ": " + ec.message() +
                      " (a PEM file: the server certificate, then its intermediates)");
  }
  out->use_private_key_file(o.tls_key_file, asio::ssl::context::pem, ec);
  if (ec) {
    out.reset();
    return Status(Code::kInvalidArgument, "TLS key " + o.tls_key_file + ": " + ec.message() +
                                              " (a PEM private key matching the certificate)");
  }
  return Status::ok();
}

}  // namespace

// Handlers capture the Impl by raw pointer: the io_context inside it owns
// them, so a shared_ptr would keep the Impl alive forever (a cycle) when the
// io_context stops with handlers still queued.
struct HttpServer::Impl {
  Impl(ServerOptions o, const Router& r)
      : options(std::move(o)), router(r), acceptor(asio::make_strand(ioc)), signals(ioc),
        retry(acceptor.get_executor()),
        sessions(std::make_shared<net::SessionRegistry>()) {}

  void do_accept() {
    acceptor.async_accept(asio::make_strand(ioc), [self = this](
                                                      boost::system::error_code ec,
                                                      tcp::socket socket) {
      if (!self->acceptor.is_open() || ec == asio::error::operation_aborted) return;
      if (ec) {
        // E.g. out of file descriptors: try again shortly instead of spinning.
        std::cerr << "atio: accept: " << ec.message() << "\n";
        self->retry.expires_after(std::chrono::milliseconds(100));
        self->retry.async_wait([self](boost::system::error_code e) {
          if (!e && self->acceptor.is_open()) self->do_accept();
        });
        return;
      }
      boost::system::error_code nd;
      socket.set_option(tcp::no_delay(true), nd);
      net::SessionOptions so{self->options.max_body_bytes, self->options.max_header_bytes,
                             self->options.read_timeout, self->options.write_timeout};
      std::shared_ptr<net::Session> session;
      if (self->tls) {
        session = std::make_shared<net::HttpSession<net::TlsStream>>(
            net::TlsStream(std::move(socket), *self->tls), self->router, so, self->sessions);
      } else {
        session = std::make_shared<net::HttpSession<net::beast::tcp_stream>>(
            net::beast::tcp_stream(std::move(socket)), self->router, so, self->sessions);
      }
      self->sessions->add(session);
      session->start();
      self->do_accept();
    });
  }

  ServerOptions options;
  const Router& router;
  std::optional<asio::ssl::context> tls;  // set by listen() when a certificate is configured
  asio::io_context ioc;
  tcp::acceptor acceptor;  // on its own strand
  asio::signal_set signals;
  asio::steady_timer retry;
  std::shared_ptr<net::SessionRegistry> sessions;

  std::mutex mu;
  std::condition_variable cv;
  bool shutting_down = false;
};

HttpServer::HttpServer(ServerOptions options, const Router& router)
    : impl_(std::make_shared<Impl>(std::move(options), router)) {}

HttpServer::~HttpServer() {
  impl_->ioc.stop();
}

Result<std::uint16_t> HttpServer::listen() {
  boost::system::error_code ec;
  tcp::resolver resolver(impl_->ioc);
  auto results = resolver.resolve(impl_->options.host, std::to_string(impl_->options.port),
                                  tcp::resolver::passive, ec);
  if (ec || results.empty()) {
    return Status(Code::kUnavailable,
                  "cannot resolve " + impl_->options.host + ": " + ec.message());
  }
  if (!impl_->options.tls_cert_file.empty() || !impl_->options.tls_key_file.empty()) {
    ATIO_RETURN_IF_ERROR(load_tls(impl_->options, impl_->tls));
  }
  tcp::endpoint ep = results.begin()->endpoint();
  auto& a = impl_->acceptor;
  a.open(ep.protocol(), ec);
  if (!ec) a.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) a.bind(ep, ec);
  if (!ec) a.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    return Status(Code::kUnavailable, "cannot listen on " + impl_->options.host + ":" +
                                          std::to_string(impl_->options.port) + ": " +
                                          ec.message());
  }
  std::uint16_t port = a.local_endpoint(ec).port();
  if (impl_->options.handle_signals) {
    impl_->signals.add(SIGINT);
    impl_->signals.add(SIGTERM);
    impl_->signals.async_wait([this](boost::system::error_code e, int) {
      if (!e) shutdown();
    });
  }
  impl_->do_accept();
  return port;
}

void HttpServer::run() {
  auto impl = impl_;
  auto work = asio::make_work_guard(impl->ioc);
  std::vector<std::thread> threads;
  const std::size_t n = impl->options.io_threads ? impl->options.io_threads : 1;
  for (std::size_t i = 0; i < n; ++i) threads.push_back(named_thread("atio-http", [impl] { impl->ioc.run(); }));
  {
    std::unique_lock<std::mutex> lk(impl->mu);
    impl->cv.wait(lk, [&] { return impl->shutting_down; });
  }
  // shutdown() has stopped accepting and asked every connection to finish.
  const auto deadline = std::chrono::steady_clock::now() + impl->options.shutdown_grace;
  if (!impl->sessions->wait_empty_until(deadline)) {
    std::cerr << "atio: closing connections still busy after the shutdown grace period\n";
  }
  work.reset();
  impl->ioc.stop();
  for (auto& t : threads) t.join();
}

void HttpServer::shutdown() {
  Impl* impl = impl_.get();
  {
    std::lock_guard<std::mutex> lk(impl->mu);
    if (impl->shutting_down) return;
    impl->shutting_down = true;
  }
  // The acceptor and its retry timer live on one strand with their handlers.
  asio::post(impl->acceptor.get_executor(), [impl] {
    boost::system::error_code ec;
    impl->acceptor.close(ec);
    impl->retry.cancel();
    impl->sessions->shutdown_all();
  });
  asio::post(impl->ioc, [impl] { impl->signals.cancel(); });
  impl->cv.notify_all();
}

}  // namespace atio::server
