// A TCP server of a test's own on 127.0.0.1 and a free port, for receivers
// of protocols other than HTTP (a syslog collector, an SMTP server): each
// accepted connection is served by `serve` on a thread of its own, as bytes
// that can switch to TLS (STARTTLS) or start in it (syslog over TLS). Every
// read waits at most 10 s, so a test whose client never writes still ends.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <openssl/ssl.h>
#include <pthread.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace atio::testing {

class Stream {
 public:
  explicit Stream(int fd) : fd_(fd) {}
  ~Stream() {
    if (ssl_) SSL_free(ssl_);
  }
  Stream(const Stream&) = delete;
  Stream& operator=(const Stream&) = delete;

  // Server side of a TLS handshake on this connection; false when it failed.
  bool start_tls(SSL_CTX* ctx) {
    ssl_ = SSL_new(ctx);
    SSL_set_fd(ssl_, fd_);
    return SSL_accept(ssl_) == 1;
  }
  bool tls() const { return ssl_ != nullptr; }

  bool write(std::string_view data) {
    while (!data.empty()) {
      const long n = ssl_ ? SSL_write(ssl_, data.data(), static_cast<int>(data.size()))
                          : ::send(fd_, data.data(), data.size(), MSG_NOSIGNAL);
      if (n <= 0) return false;
      data.remove_prefix(static_cast<std::size_t>(n));
    }
    return true;
  }
  // A line without its CRLF (or LF); false at the end of the stream.
  bool read_line(std::string* line) {
    for (;;) {
      if (auto nl = buf_.find('\n'); nl != std::string::npos) {
        *line = buf_.substr(0, nl);
        if (!line->empty() && line->back() == '\r') line->pop_back();
        buf_.erase(0, nl + 1);
        return true;
      }
      if (!fill()) return false;
    }
  }
  bool read_exact(std::size_t n, std::string* out) {
    while (buf_.size() < n) {
      if (!fill()) return false;
    }
    *out = buf_.substr(0, n);
    buf_.erase(0, n);
    return true;
  }
  // Bytes up to (not including) `delim`, which is consumed.
  bool read_until(char delim, std::string* out) {
    for (;;) {
      if (auto at = buf_.find(delim); at != std::string::npos) {
        *out = buf_.substr(0, at);
        buf_.erase(0, at + 1);
        return true;
      }
      if (!fill()) return false;
    }
  }

 private:
  bool fill() {
    char chunk[4096];
    const long n = ssl_ ? SSL_read(ssl_, chunk, sizeof chunk) : ::recv(fd_, chunk, sizeof chunk, 0);
    if (n <= 0) return false;
    buf_.append(chunk, static_cast<std::size_t>(n));
    return true;
  }

  int fd_;
  SSL* ssl_ = nullptr;
  std::string buf_;
};

class StreamServer {
 public:
  // Binds a free port at once; accepts connections from listen() on (a
  // bound port that does not listen refuses connections: a server that is
  // down).
  explicit StreamServer(std::function<void(Stream&)> serve, bool listen_now = true)
      : serve_(std::move(serve)) {
    listener_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::bind(listener_, reinterpret_cast<sockaddr*>(&a), sizeof a);
    socklen_t len = sizeof a;
    ::getsockname(listener_, reinterpret_cast<sockaddr*>(&a), &len);
    port_ = ntohs(a.sin_port);
    if (listen_now) listen();
  }
  ~StreamServer() {
    stopping_ = true;
    ::shutdown(listener_, SHUT_RDWR);
    if (acceptor_.joinable()) acceptor_.join();
    ::close(listener_);
    std::vector<std::thread> threads;
    {
      std::lock_guard<std::mutex> lock(mu_);
      for (int fd : fds_) ::shutdown(fd, SHUT_RDWR);
      threads.swap(threads_);
    }
    for (auto& t : threads) t.join();
    for (int fd : fds_) ::close(fd);
  }
  StreamServer(const StreamServer&) = delete;
  StreamServer& operator=(const StreamServer&) = delete;

  int port() const { return port_; }
  int connections() const { return connections_.load(); }

  void listen() {
    ::listen(listener_, 16);
    acceptor_ = std::thread([this] { accept_loop(); });
  }

 private:
  void accept_loop() {
    while (!stopping_) {
      const int fd = ::accept4(listener_, nullptr, nullptr, SOCK_CLOEXEC);
      if (fd < 0) return;
      timeval tv{10, 0};
      ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
      ++connections_;
      std::lock_guard<std::mutex> lock(mu_);
      fds_.push_back(fd);
      threads_.emplace_back([this, fd] {
        // OpenSSL writes with write(2): a client that hung up must not end
        // the test with SIGPIPE (only this thread's signal is blocked, so the
        // client under test keeps its own handling).
        sigset_t pipe;
        sigemptyset(&pipe);
        sigaddset(&pipe, SIGPIPE);
        pthread_sigmask(SIG_BLOCK, &pipe, nullptr);
        {
          Stream stream(fd);
          serve_(stream);
        }
        ::shutdown(fd, SHUT_RDWR);
      });
    }
  }

  std::function<void(Stream&)> serve_;
  int listener_ = -1;
  int port_ = 0;
  std::atomic<bool> stopping_{false};
  std::atomic<int> connections_{0};
  std::thread acceptor_;
  std::mutex mu_;
  std::vector<int> fds_;  // closed by the destructor, after the threads end
  std::vector<std::thread> threads_;
};

}  // namespace atio::testing
