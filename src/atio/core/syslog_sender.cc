#include "atio/core/syslog_sender.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netdb.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace atio {

bool parse_host_port(const std::string& text, std::string* host, std::string* port) {
  std::string::size_type colon;
  if (!text.empty() && text.front() == '[') {
    const auto close = text.find(']');
    if (close == std::string::npos || close + 1 >= text.size() || text[close + 1] != ':') {
      return false;
    }
    *host = text.substr(1, close - 1);
    colon = close + 1;
  } else {
    colon = text.rfind(':');
    if (colon == std::string::npos || colon == 0) return false;
    *host = text.substr(0, colon);
  }
  *port = text.substr(colon + 1);
  if (port->empty() || port->size() > 5) return false;
  for (char c : *port) {
    if (c < '0' || c > '9') return false;
  }
  const int p = std::stoi(*port);
  return p >= 1 && p <= 65535 && !host->empty();
}

struct SyslogSender::Tls {
  SSL_CTX* ctx = nullptr;
  SSL* ssl = nullptr;  // while connected
};

void SyslogSender::TlsDeleter::operator()(Tls* t) const {
  if (t->ssl) SSL_free(t->ssl);
  if (t->ctx) SSL_CTX_free(t->ctx);
  delete t;
}

namespace {

// OpenSSL's reasons for the last failure, oldest first, then cleared.
std::string openssl_errors() {
  std::string out;
  while (unsigned long e = ERR_get_error()) {
    char buf[256];
    ERR_error_string_n(e, buf, sizeof buf);
    out += (out.empty() ? "" : "; ") + std::string(buf);
  }
  return out.empty() ? "unknown TLS error" : out;
}

// OpenSSL writes with write(2), which raises SIGPIPE on a connection the
// collector closed; that would end atio. While one of these lives, SIGPIPE is
// blocked on this thread, and one it raised is consumed before unblocking
// (the technique libpq uses).
class SigpipeGuard {
 public:
  SigpipeGuard() {
    sigset_t pipe;
    sigemptyset(&pipe);
    sigaddset(&pipe, SIGPIPE);
    sigset_t pending;
    sigpending(&pending);
    was_pending_ = sigismember(&pending, SIGPIPE) == 1;
    pthread_sigmask(SIG_BLOCK, &pipe, &old_);
  }
  ~SigpipeGuard() {
    sigset_t pipe;
    sigemptyset(&pipe);
    sigaddset(&pipe, SIGPIPE);
    sigset_t pending;
    sigpending(&pending);
    if (!was_pending_ && sigismember(&pending, SIGPIPE) == 1) {
      timespec zero{0, 0};
      sigtimedwait(&pipe, nullptr, &zero);
    }
    pthread_sigmask(SIG_SETMASK, &old_, nullptr);
  }
  SigpipeGuard(const SigpipeGuard&) = delete;
  SigpipeGuard& operator=(const SigpipeGuard&) = delete;

 private:
  sigset_t old_;
  bool was_pending_ = false;
};

bool is_ip_literal(const std::string& host) {
  unsigned char buf[16];
  return ::inet_pton(AF_INET, host.c_str(), buf) == 1 || ::inet_pton(AF_INET6, host.c_str(), buf) == 1;
}

}  // namespace

Status parse_syslog_collector(const std::string& collector, std::string* scheme,
                              std::string* host, std::string* port) {
  std::string rest = collector;
  *scheme = "udp";
  for (const char* known : {"udp", "tcp", "tls"}) {
    const std::string prefix = std::string(known) + "://";
    if (rest.rfind(prefix, 0) == 0) {
      *scheme = known;
      rest = rest.substr(prefix.size());
      break;
    }
  }
  if (rest.find('/') != std::string::npos || !parse_host_port(rest, host, port)) {
    return Status(Code::kInvalidArgument,
                  "syslog collector '" + collector +
                      "': expected udp://host:port, tcp://host:port, tls://host:port or host:port");
  }
  return Status::ok();
}

Result<SyslogSender> SyslogSender::open(const std::string& collector,
                                        const SyslogSenderOptions& options) {
  SyslogSender s;
  s.collector_ = collector;
  s.options_ = options;
  std::string scheme, host, port;
  ATIO_RETURN_IF_ERROR(parse_syslog_collector(collector, &scheme, &host, &port));
  const bool tls = scheme == "tls";
  s.tcp_ = scheme != "udp";
  s.host_ = host;
  if (tls) {
    s.tls_.reset(new Tls);
    s.tls_->ctx = SSL_CTX_new(TLS_client_method());
    if (s.tls_->ctx == nullptr) return Status(Code::kInternal, "TLS: " + openssl_errors());
    SSL_CTX_set_min_proto_version(s.tls_->ctx, TLS1_2_VERSION);  // RFC 5425 as updated by RFC 9662
    if (options.verify_tls) {
      SSL_CTX_set_verify(s.tls_->ctx, SSL_VERIFY_PEER, nullptr);
      const int loaded =
          options.ca_file
              ? SSL_CTX_load_verify_locations(s.tls_->ctx, options.ca_file->c_str(), nullptr)
              : SSL_CTX_set_default_verify_paths(s.tls_->ctx);
      if (loaded != 1) {
        return Status(Code::kInvalidArgument,
                      "syslog collector '" + collector + "': cannot load CA file " +
                          options.ca_file.value_or("(system)") + ": " + openssl_errors());
      }
    }
  }
  addrinfo hints{};
  hints.ai_socktype = s.tcp_ ? SOCK_STREAM : SOCK_DGRAM;
  addrinfo* res = nullptr;
  const int rc = ::getaddrinfo(host.c_str(), port.c_str(), &hints, &res);
  if (rc != 0 || res == nullptr) {
    return Status(Code::kUnavailable,
                  "syslog collector '" + collector + "': cannot resolve " + host + ": " +
                      ::gai_strerror(rc));
  }
  s.addr_.assign(reinterpret_cast<const char*>(res->ai_addr), res->ai_addrlen);
  s.family_ = res->ai_family;
  ::freeaddrinfo(res);
  if (!s.tcp_) {
    s.fd_ = ::socket(s.family_, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (s.fd_ < 0) return Status(Code::kIo, std::string("syslog socket: ") + std::strerror(errno));
  }
  return s;
}

SyslogSender::SyslogSender(SyslogSender&& o) noexcept
    : collector_(std::move(o.collector_)), host_(std::move(o.host_)),
      options_(std::move(o.options_)), tls_(std::move(o.tls_)), tcp_(o.tcp_), fd_(o.fd_),
      addr_(std::move(o.addr_)), family_(o.family_) {
  o.fd_ = -1;
}

SyslogSender& SyslogSender::operator=(SyslogSender&& o) noexcept {
  if (this != &o) {
    close_fd();
    collector_ = std::move(o.collector_);
    host_ = std::move(o.host_);
    options_ = std::move(o.options_);
    tls_ = std::move(o.tls_);
    tcp_ = o.tcp_;
    fd_ = o.fd_;
    addr_ = std::move(o.addr_);
    family_ = o.family_;
    o.fd_ = -1;
  }
  return *this;
}

SyslogSender::~SyslogSender() { close_fd(); }

void SyslogSender::close_fd() {
  if (tls_ && tls_->ssl) {
    SigpipeGuard guard;
    SSL_shutdown(tls_->ssl);  // close_notify, best effort: no wait for the collector's
    SSL_free(tls_->ssl);
    tls_->ssl = nullptr;
  }
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
}

Status SyslogSender::connect() {
  fd_ = ::socket(family_, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd_ < 0) return Status(Code::kIo, std::string("syslog socket: ") + std::strerror(errno));
  auto fail = [&](const std::string& why) {
    const Status s(Code::kUnavailable, "syslog collector " + collector_ + ": " + why);
    close_fd();
    return s;
  };
  const long ms = static_cast<long>(options_.timeout.count());
  if (ms > 0) {
    // Connect without blocking past the timeout, then bound every later
    // read and write (the handshake, the frames) by it too.
    ::fcntl(fd_, F_SETFL, ::fcntl(fd_, F_GETFL) | O_NONBLOCK);
    if (::connect(fd_, reinterpret_cast<const sockaddr*>(addr_.data()),
                  static_cast<socklen_t>(addr_.size())) != 0) {
      if (errno != EINPROGRESS) return fail(std::strerror(errno));
      pollfd p{fd_, POLLOUT, 0};
      int ready;
      do {
        ready = ::poll(&p, 1, static_cast<int>(ms));
      } while (ready < 0 && errno == EINTR);
      if (ready == 0) return fail("connect timed out");
      int err = 0;
      socklen_t len = sizeof err;
      ::getsockopt(fd_, SOL_SOCKET, SO_ERROR, &err, &len);
      if (ready < 0 || err != 0) return fail(std::strerror(ready < 0 ? errno : err));
    }
    ::fcntl(fd_, F_SETFL, ::fcntl(fd_, F_GETFL) & ~O_NONBLOCK);
    timeval tv{ms / 1000, (ms % 1000) * 1000};
    ::setsockopt(fd_, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  } else if (::connect(fd_, reinterpret_cast<const sockaddr*>(addr_.data()),
                       static_cast<socklen_t>(addr_.size())) != 0) {
    return fail(std::strerror(errno));
  }
  if (tls_) {
    if (Status s = handshake(); !s.is_ok()) {
      close_fd();
      return s;
    }
  }
  return Status::ok();
}

Status SyslogSender::handshake() {
  ERR_clear_error();
  SSL* ssl = SSL_new(tls_->ctx);
  if (ssl == nullptr) return Status(Code::kInternal, "TLS: " + openssl_errors());
  tls_->ssl = ssl;
  SSL_set_fd(ssl, fd_);
  if (is_ip_literal(host_)) {
    if (options_.verify_tls) X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl), host_.c_str());
  } else {
    SSL_set_tlsext_host_name(ssl, host_.c_str());
    if (options_.verify_tls) SSL_set1_host(ssl, host_.c_str());
  }
  SigpipeGuard guard;
  if (SSL_connect(ssl) != 1) {
    std::string why = openssl_errors();
    const long verify = SSL_get_verify_result(ssl);
    if (verify != X509_V_OK) why = X509_verify_cert_error_string(verify);
    return Status(Code::kUnavailable,
                  "syslog collector " + collector_ + ": TLS handshake failed: " + why);
  }
  return Status::ok();
}

bool SyslogSender::peer_closed() const {
  char byte;
  for (;;) {
    const ssize_t n = ::recv(fd_, &byte, 1, MSG_PEEK | MSG_DONTWAIT);
    if (n < 0 && errno == EINTR) continue;
    // 0: end of stream; an error other than "nothing to read": reset.
    // Bytes the collector sent (syslog collectors send none) do not matter.
    if (n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK)) return true;
    if (n < 0 || !tls_) return false;
    break;
  }
  // TLS: the bytes may be a close_notify alert (or session tickets): let
  // OpenSSL read them without waiting for more.
  const int flags = ::fcntl(fd_, F_GETFL);
  ::fcntl(fd_, F_SETFL, flags | O_NONBLOCK);
  char buf[256];
  bool closed = false;
  for (;;) {
    const int n = SSL_read(tls_->ssl, buf, sizeof buf);
    if (n > 0) continue;  // application data from a collector: ignored
    const int err = SSL_get_error(tls_->ssl, n);
    closed = err != SSL_ERROR_WANT_READ && err != SSL_ERROR_WANT_WRITE;
    break;
  }
  ERR_clear_error();
  ::fcntl(fd_, F_SETFL, flags);
  return closed;
}

Status SyslogSender::write_all(const std::string& bytes) {
  std::optional<SigpipeGuard> guard;
  if (tls_) guard.emplace();
  std::size_t sent = 0;
  while (sent < bytes.size()) {
    if (tls_) {
      ERR_clear_error();
      const int n = SSL_write(tls_->ssl, bytes.data() + sent, static_cast<int>(bytes.size() - sent));
      if (n <= 0) {
        return Status(Code::kUnavailable,
                      "syslog collector " + collector_ + ": TLS write failed: " + openssl_errors());
      }
      sent += static_cast<std::size_t>(n);
      continue;
    }
    const ssize_t n = ::send(fd_, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      return Status(Code::kUnavailable,
                    "syslog collector " + collector_ + ": " + std::strerror(errno));
    }
    sent += static_cast<std::size_t>(n);
  }
  return Status::ok();
}

Status SyslogSender::send(const std::string& message) {
  if (!tcp_) {
    if (::sendto(fd_, message.data(), message.size(), MSG_DONTWAIT,
                 reinterpret_cast<const sockaddr*>(addr_.data()),
                 static_cast<socklen_t>(addr_.size())) < 0) {
      return Status(Code::kUnavailable,
                    "syslog collector " + collector_ + ": " + std::strerror(errno));
    }
    return Status::ok();
  }
  // A collector that closed its end (restarted, or dropped an idle
  // connection) would still have the next frame accepted by our kernel and
  // then discarded: look for its FIN first and open a new connection instead.
  if (fd_ >= 0 && peer_closed()) close_fd();
  if (fd_ < 0) ATIO_RETURN_IF_ERROR(connect());
  Status s = write_all(std::to_string(message.size()) + " " + message);
  // A partly sent frame cannot be continued: the next send reconnects.
  if (!s.is_ok()) close_fd();
  return s;
}

}  // namespace atio
