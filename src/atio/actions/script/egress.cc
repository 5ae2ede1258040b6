#include "atio/actions/script/egress.h"

#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <mutex>
#include <set>
#include <thread>

namespace atio::actions {

namespace {

constexpr std::size_t kMaxHead = 16 * 1024;
constexpr int kConnectTimeoutMs = 10'000;
constexpr int kHeadTimeoutMs = 10'000;

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool all_digits(std::string_view s) {
  return !s.empty() && s.size() <= 5 &&
         std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// "host:port", "[v6]:port", "host" -> host (no brackets) and port (0: none).
bool split_host_port(std::string_view text, std::string* host, int* port) {
  *port = 0;
  if (!text.empty() && text.front() == '[') {
    auto close = text.find(']');
    if (close == std::string_view::npos) return false;
    *host = std::string(text.substr(1, close - 1));
    std::string_view rest = text.substr(close + 1);
    if (rest.empty()) return !host->empty();
    if (rest.front() != ':' || !all_digits(rest.substr(1))) return false;
    *port = std::stoi(std::string(rest.substr(1)));
    return !host->empty();
  }
  auto colon = text.rfind(':');
  if (colon != std::string_view::npos && text.find(':') == colon) {
    if (!all_digits(text.substr(colon + 1))) return false;
    *port = std::stoi(std::string(text.substr(colon + 1)));
    text = text.substr(0, colon);
  }
  *host = std::string(text);
  return !host->empty();
}

bool send_all(int fd, std::string_view data) {
  while (!data.empty()) {
    ssize_t n = ::send(fd, data.data(), data.size(), MSG_NOSIGNAL);
    if (n < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    data.remove_prefix(static_cast<std::size_t>(n));
  }
  return true;
}

void answer(int fd, int code, std::string_view reason, const std::string& text) {
  std::string body = "atio: " + text + "\n";
  send_all(fd, "HTTP/1.1 " + std::to_string(code) + " " + std::string(reason) +
                   "\r\nContent-Type: text/plain\r\nConnection: close\r\nContent-Length: " +
                   std::to_string(body.size()) + "\r\n\r\n" + body);
}

// A connected socket to host:port, or -1 with *error set.
int connect_to(const std::string& host, int port, std::string* error) {
  addrinfo hints{};
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* res = nullptr;
  int rc = ::getaddrinfo(host.c_str(), std::to_string(port).c_str(), &hints, &res);
  if (rc != 0) {
    *error = "cannot resolve " + host + ": " + ::gai_strerror(rc);
    return -1;
  }
  int fd = -1;
  for (addrinfo* a = res; a != nullptr && fd < 0; a = a->ai_next) {
    fd = ::socket(a->ai_family, a->ai_socktype | SOCK_CLOEXEC | SOCK_NONBLOCK, a->ai_protocol);
    if (fd < 0) continue;
    if (::connect(fd, a->ai_addr, a->ai_addrlen) != 0 && errno != EINPROGRESS) {
      *error = std::strerror(errno);
      ::close(fd);
      fd = -1;
      continue;
    }
    pollfd p{fd, POLLOUT, 0};
    int err = 0;
    socklen_t len = sizeof err;
    if (::poll(&p, 1, kConnectTimeoutMs) != 1 ||
        ::getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) != 0 || err != 0) {
      *error = err ? std::strerror(err) : "connection timed out";
      ::close(fd);
      fd = -1;
    }
  }
  ::freeaddrinfo(res);
  if (fd >= 0) ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) & ~O_NONBLOCK);
  else *error = "cannot connect to " + host + ":" + std::to_string(port) + ": " + *error;
  return fd;
}

// Copies both ways until both sides have ended.
void splice(int a, int b) {
  bool open_a = true, open_b = true;
  char buf[16384];
  while (open_a || open_b) {
    pollfd p[2] = {{open_a ? a : -1, POLLIN, 0}, {open_b ? b : -1, POLLIN, 0}};
    if (::poll(p, 2, -1) < 0) {
      if (errno == EINTR) continue;
      return;
    }
    for (int i = 0; i < 2; ++i) {
      if (p[i].revents == 0) continue;
      int from = i == 0 ? a : b, to = i == 0 ? b : a;
      ssize_t n = ::recv(from, buf, sizeof buf, 0);
      if (n > 0 && send_all(to, std::string_view(buf, static_cast<std::size_t>(n)))) continue;
      if (n < 0 && errno == EINTR) continue;
      // This side ended (or failed): pass the end on.
      ::shutdown(to, SHUT_WR);
      (i == 0 ? open_a : open_b) = false;
      if (n < 0) return;
    }
  }
}

}  // namespace

Result<AllowedHost> parse_allowed_host(std::string_view text) {
  AllowedHost h;
  std::string host;
  if (!split_host_port(text, &host, &h.port)) {
    return Status(Code::kInvalidArgument,
                  "must be a host name or address with an optional :port, e.g. "
                  "misp.example.org:443");
  }
  if (h.port < 0 || h.port > 65535 || (h.port == 0 && text.back() == '0')) {
    return Status(Code::kInvalidArgument, "port must be 1 to 65535");
  }
  h.host = lower(host);
  std::string_view name = h.host;
  if (name.rfind("*.", 0) == 0) name.remove_prefix(2);
  bool ok = !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == ':';
  });
  if (!ok) {
    return Status(Code::kInvalidArgument,
                  "host may hold letters, digits, '.', '-' (':' in IPv6), and start with '*.'");
  }
  return h;
}

bool host_allowed(const std::vector<AllowedHost>& allowed, std::string_view host_in, int port) {
  std::string host = lower(host_in);
  for (const auto& a : allowed) {
    bool port_ok = a.port == 0 ? (port == 80 || port == 443) : port == a.port;
    if (!port_ok) continue;
    if (a.host.rfind("*.", 0) == 0) {
      std::string_view suffix = std::string_view(a.host).substr(1);  // ".example.org"
      if (host.size() > suffix.size() &&
          host.compare(host.size() - suffix.size(), suffix.size(), suffix) == 0) {
        return true;
      }
    } else if (host == a.host) {
      return true;
    }
  }
  return false;
}

struct EgressProxy::Impl {
  UniqueFd control;
  std::vector<AllowedHost> allowed;
  std::mutex mu;
  bool stopping = false;       // guarded by mu
  std::set<int> open_fds;      // sockets in use, shut down on stop; guarded by mu
  std::vector<std::thread> threads;  // guarded by mu
  std::thread receiver;

  // Registers a socket for shutdown on stop; false when stopping already.
  bool track(int fd) {
    std::lock_guard<std::mutex> lock(mu);
    if (stopping) return false;
    open_fds.insert(fd);
    return true;
  }
  void untrack_and_close(int fd) {
    {
      std::lock_guard<std::mutex> lock(mu);
      open_fds.erase(fd);
    }
    ::close(fd);
  }

  void receive() {
    for (;;) {
      char byte;
      iovec iov{&byte, 1};
      alignas(cmsghdr) char space[CMSG_SPACE(sizeof(int))];
      msghdr msg{};
      msg.msg_iov = &iov;
      msg.msg_iovlen = 1;
      msg.msg_control = space;
      msg.msg_controllen = sizeof space;
      ssize_t n = ::recvmsg(control.get(), &msg, MSG_CMSG_CLOEXEC);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) return;  // the jail has ended, or the proxy stops
      cmsghdr* c = CMSG_FIRSTHDR(&msg);
      if (c == nullptr || c->cmsg_type != SCM_RIGHTS) continue;
      int fd;
      std::memcpy(&fd, CMSG_DATA(c), sizeof fd);
      if (!track(fd)) {
        ::close(fd);
        return;
      }
      std::lock_guard<std::mutex> lock(mu);
      threads.emplace_back([this, fd] {
        serve(fd);
        untrack_and_close(fd);
      });
    }
  }

  void serve(int client) {
    timeval tv{kHeadTimeoutMs / 1000, 0};
    ::setsockopt(client, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    std::string head;
    char buf[4096];
    std::size_t end;
    while ((end = head.find("\r\n\r\n")) == std::string::npos) {
      if (head.size() > kMaxHead) return answer(client, 431, "Too Large", "request head too large");
      ssize_t n = ::recv(client, buf, sizeof buf, 0);
      if (n <= 0) return;
      head.append(buf, static_cast<std::size_t>(n));
    }
    tv = {0, 0};
    ::setsockopt(client, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    std::size_t line_end = head.find("\r\n");
    std::string line = head.substr(0, line_end);
    auto sp1 = line.find(' '), sp2 = line.rfind(' ');
    if (sp1 == std::string::npos || sp2 == sp1) {
      return answer(client, 400, "Bad Request", "not an HTTP proxy request");
    }
    std::string method = line.substr(0, sp1);
    std::string target = line.substr(sp1 + 1, sp2 - sp1 - 1);
    std::string version = line.substr(sp2 + 1);
    std::string host, forward;
    int port = 0;
    bool tunnel = method == "CONNECT";
    if (tunnel) {
      if (!split_host_port(target, &host, &port) || port == 0) {
        return answer(client, 400, "Bad Request", "CONNECT needs host:port");
      }
      forward = head.substr(end + 4);  // bytes the client sent early
    } else if (lower(target.substr(0, 7)) == "http://") {
      std::string rest = target.substr(7);
      auto slash = rest.find('/');
      std::string authority = rest.substr(0, slash);
      std::string path = slash == std::string::npos ? "/" : rest.substr(slash);
      if (!split_host_port(authority, &host, &port)) {
        return answer(client, 400, "Bad Request", "bad host in " + target);
      }
      if (port == 0) port = 80;
      forward = method + " " + path + " " + version + head.substr(line_end);
    } else {
      return answer(client, 400, "Bad Request",
                    "use CONNECT for https, or an absolute http:// URL");
    }
    if (!host_allowed(allowed, host, port)) {
      return answer(client, 403, "Forbidden",
                    host + ":" + std::to_string(port) +
                        " is not in the allowed_hosts of this step's x-atio-jail agent");
    }
    std::string error;
    int upstream = connect_to(host, port, &error);
    if (upstream < 0) return answer(client, 502, "Bad Gateway", error);
    if (!track(upstream)) {
      ::close(upstream);
      return;
    }
    if (tunnel) send_all(client, "HTTP/1.1 200 Connection established\r\n\r\n");
    if (forward.empty() || send_all(upstream, forward)) splice(client, upstream);
    untrack_and_close(upstream);
  }
};

EgressProxy::EgressProxy(UniqueFd control, std::vector<AllowedHost> allowed)
    : impl_(std::make_unique<Impl>()) {
  impl_->control = std::move(control);
  impl_->allowed = std::move(allowed);
  impl_->receiver = std::thread([impl = impl_.get()] { impl->receive(); });
}

EgressProxy::~EgressProxy() {
  {
    std::lock_guard<std::mutex> lock(impl_->mu);
    impl_->stopping = true;
    for (int fd : impl_->open_fds) ::shutdown(fd, SHUT_RDWR);
  }
  ::shutdown(impl_->control.get(), SHUT_RDWR);
  impl_->receiver.join();
  std::vector<std::thread> threads;
  {
    std::lock_guard<std::mutex> lock(impl_->mu);
    threads.swap(impl_->threads);
  }
  for (auto& t : threads) t.join();
}

Result<std::pair<UniqueFd, UniqueFd>> EgressProxy::make_control() {
  int fds[2];
  if (::socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, fds) != 0) {
    return Status(Code::kIo, std::string("socketpair: ") + std::strerror(errno));
  }
  return std::make_pair(UniqueFd(fds[0]), UniqueFd(fds[1]));
}

}  // namespace atio::actions
