#include "atio/core/syslog_sender.h"

#include <netdb.h>
#include <sys/socket.h>
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

Result<SyslogSender> SyslogSender::open(const std::string& collector) {
  SyslogSender s;
  s.collector_ = collector;
  std::string rest = collector;
  if (rest.rfind("tcp://", 0) == 0) {
    s.tcp_ = true;
    rest = rest.substr(6);
  } else if (rest.rfind("udp://", 0) == 0) {
    rest = rest.substr(6);
  }
  std::string host, port;
  if (rest.find('/') != std::string::npos || !parse_host_port(rest, &host, &port)) {
    return Status(Code::kInvalidArgument,
                  "syslog collector '" + collector +
                      "': expected udp://host:port, tcp://host:port or host:port");
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
    : collector_(std::move(o.collector_)), tcp_(o.tcp_), fd_(o.fd_), addr_(std::move(o.addr_)),
      family_(o.family_) {
  o.fd_ = -1;
}

SyslogSender& SyslogSender::operator=(SyslogSender&& o) noexcept {
  if (this != &o) {
    close_fd();
    collector_ = std::move(o.collector_);
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
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
}

Status SyslogSender::connect() {
  fd_ = ::socket(family_, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd_ < 0) return Status(Code::kIo, std::string("syslog socket: ") + std::strerror(errno));
  if (::connect(fd_, reinterpret_cast<const sockaddr*>(addr_.data()),
                static_cast<socklen_t>(addr_.size())) != 0) {
    const Status s(Code::kUnavailable,
                   "syslog collector " + collector_ + ": " + std::strerror(errno));
    close_fd();
    return s;
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
    return n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK);
  }
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
  const std::string framed = std::to_string(message.size()) + " " + message;
  std::size_t sent = 0;
  while (sent < framed.size()) {
    const ssize_t n = ::send(fd_, framed.data() + sent, framed.size() - sent, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      const Status s(Code::kUnavailable,
                     "syslog collector " + collector_ + ": " + std::strerror(errno));
      close_fd();  // a partly sent frame cannot be continued: the next send reconnects
      return s;
    }
    sent += static_cast<std::size_t>(n);
  }
  return Status::ok();
}

}  // namespace atio
