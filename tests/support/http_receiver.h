// A small HTTP/1.1 server for tests: the "outside world" that http-api steps,
// connectors and webhooks talk to.
//
// Listens on 127.0.0.1 on a free port, one thread per connection, keep-alive
// (HTTP/1.1 default; "Connection: close" honoured), Content-Length and
// chunked request bodies, "Expect: 100-continue". Every request is recorded
// (method, target, headers, body, arrival time, connection id) before it is
// answered, then answered with the reply configured for its path: a one-shot
// reply queued with enqueue_reply(), else the reply set with set_reply(),
// else the default reply (200, empty body). A handler set with set_handler()
// decides every reply instead. Replies can be delayed, close the connection,
// or drop it without answering.
//
// Header-only so any test binary can use it: #include "support/http_receiver.h".
// Threads: all public methods are thread-safe. The destructor closes every
// connection (cutting delays short) and joins all threads.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <stdexcept>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

namespace atio::testing {

using Headers = std::vector<std::pair<std::string, std::string>>;

inline bool header_name_equals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

struct ReceivedRequest {
  std::string method;
  std::string target;   // as sent: "/api/x?y=1"
  std::string path;     // target without the query: "/api/x"
  std::string version;  // "HTTP/1.1"
  Headers headers;      // in order, names as sent
  std::string body;     // de-chunked
  std::chrono::steady_clock::time_point arrived;
  std::uint64_t connection_id = 0;      // 1, 2, ... in accept order
  std::size_t index_on_connection = 0;  // 0 for a connection's first request

  // First value of a header (case-insensitive name); "" when absent.
  std::string header(std::string_view name) const {
    for (const auto& [k, v] : headers) {
      if (header_name_equals(k, name)) return v;
    }
    return "";
  }
  bool has_header(std::string_view name) const {
    return std::any_of(headers.begin(), headers.end(),
                       [&](const auto& kv) { return header_name_equals(kv.first, name); });
  }
};

struct Reply {
  int status = 200;
  std::string body;
  Headers headers;  // Content-Length is added; add Content-Type yourself
  std::chrono::milliseconds delay{0};  // before answering
  bool close = false;  // close the connection after this reply
  bool drop = false;   // close the connection without answering

  static Reply json(std::string body, int status = 200) {
    Reply r;
    r.status = status;
    r.body = std::move(body);
    r.headers.emplace_back("Content-Type", "application/json");
    return r;
  }
};

class HttpReceiver {
 public:
  HttpReceiver() {
    listen_fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (listen_fd_ < 0) throw std::runtime_error("socket() failed");
    int one = 1;
    ::setsockopt(listen_fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = 0;
    socklen_t len = sizeof addr;
    if (::bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
        ::listen(listen_fd_, 512) != 0 ||
        ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
      ::close(listen_fd_);
      throw std::runtime_error("cannot listen on 127.0.0.1");
    }
    port_ = ntohs(addr.sin_port);
    accept_thread_ = std::thread([this] { accept_loop(); });
  }

  ~HttpReceiver() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      stopping_ = true;
      for (int fd : open_fds_) ::shutdown(fd, SHUT_RDWR);
    }
    changed_.notify_all();
    ::shutdown(listen_fd_, SHUT_RDWR);
    accept_thread_.join();
    ::close(listen_fd_);
    std::vector<std::thread> threads;
    {
      std::lock_guard<std::mutex> lock(mu_);
      threads.swap(threads_);
    }
    for (auto& t : threads) t.join();
  }

  HttpReceiver(const HttpReceiver&) = delete;
  HttpReceiver& operator=(const HttpReceiver&) = delete;

  int port() const { return port_; }
  // "http://127.0.0.1:<port>" followed by `path`.
  std::string url(std::string_view path = "") const {
    return "http://127.0.0.1:" + std::to_string(port_) + std::string(path);
  }

  void set_reply(const std::string& path, Reply reply) {
    std::lock_guard<std::mutex> lock(mu_);
    replies_[path] = std::move(reply);
  }
  // Answers the next request to `path` once, before set_reply's reply.
  void enqueue_reply(const std::string& path, Reply reply) {
    std::lock_guard<std::mutex> lock(mu_);
    queued_[path].push_back(std::move(reply));
  }
  void set_default_reply(Reply reply) {
    std::lock_guard<std::mutex> lock(mu_);
    default_reply_ = std::move(reply);
  }
  // Decides every reply; called on the connection's thread.
  void set_handler(std::function<Reply(const ReceivedRequest&)> handler) {
    std::lock_guard<std::mutex> lock(mu_);
    handler_ = std::move(handler);
  }

  std::vector<ReceivedRequest> requests() const {
    std::lock_guard<std::mutex> lock(mu_);
    return requests_;
  }
  std::size_t request_count() const {
    std::lock_guard<std::mutex> lock(mu_);
    return requests_.size();
  }
  std::size_t connection_count() const {
    std::lock_guard<std::mutex> lock(mu_);
    return connections_;
  }
  // Waits until at least `n` requests arrived; false on timeout.
  bool wait_for_requests(std::size_t n, std::chrono::milliseconds timeout) const {
    std::unique_lock<std::mutex> lock(mu_);
    return changed_.wait_for(lock, timeout, [&] { return requests_.size() >= n; });
  }

  // A loopback port with no listener (connection refused), for failure tests.
  static int unused_port() {
    int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof addr;
    ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
    ::close(fd);  // never listened on: connects are refused
    return ntohs(addr.sin_port);
  }

 private:
  void accept_loop() {
    for (;;) {
      int fd = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
      std::lock_guard<std::mutex> lock(mu_);
      if (stopping_) {
        if (fd >= 0) ::close(fd);
        return;
      }
      if (fd < 0) continue;
      std::uint64_t id = ++connections_;
      open_fds_.push_back(fd);
      threads_.emplace_back([this, fd, id] { serve(fd, id); });
    }
  }

  // Reads more bytes into buf; false at EOF or error.
  static bool fill(int fd, std::string& buf) {
    char chunk[16384];
    ssize_t n = ::recv(fd, chunk, sizeof chunk, 0);
    if (n <= 0) return false;
    buf.append(chunk, static_cast<std::size_t>(n));
    return true;
  }
  static bool send_all(int fd, std::string_view data) {
    while (!data.empty()) {
      ssize_t n = ::send(fd, data.data(), data.size(), MSG_NOSIGNAL);
      if (n <= 0) return false;
      data.remove_prefix(static_cast<std::size_t>(n));
    }
    return true;
  }
  // Reads up to and including the next CRLF; false at EOF.
  static bool read_line(int fd, std::string& buf, std::string* line) {
    std::size_t end;
    while ((end = buf.find("\r\n")) == std::string::npos) {
      if (!fill(fd, buf)) return false;
    }
    *line = buf.substr(0, end);
    buf.erase(0, end + 2);
    return true;
  }
  static bool read_exact(int fd, std::string& buf, std::size_t n, std::string* out) {
    while (buf.size() < n) {
      if (!fill(fd, buf)) return false;
    }
    out->append(buf, 0, n);
    buf.erase(0, n);
    return true;
  }

  bool read_request(int fd, std::string& buf, ReceivedRequest* req) {
    std::string line;
    do {
      if (!read_line(fd, buf, &line)) return false;
    } while (line.empty());  // tolerate stray CRLF between requests
    std::size_t a = line.find(' '), b = line.rfind(' ');
    if (a == std::string::npos || a == b) return false;
    req->method = line.substr(0, a);
    req->target = line.substr(a + 1, b - a - 1);
    req->version = line.substr(b + 1);
    req->path = req->target.substr(0, req->target.find('?'));
    for (;;) {
      if (!read_line(fd, buf, &line)) return false;
      if (line.empty()) break;
      std::size_t colon = line.find(':');
      if (colon == std::string::npos) continue;
      std::string value = line.substr(colon + 1);
      value.erase(0, value.find_first_not_of(" \t"));
      value.erase(value.find_last_not_of(" \t") + 1);
      req->headers.emplace_back(line.substr(0, colon), value);
    }
    if (header_name_equals(req->header("Expect"), "100-continue")) {
      send_all(fd, "HTTP/1.1 100 Continue\r\n\r\n");
    }
    if (header_name_equals(req->header("Transfer-Encoding"), "chunked")) {
      for (;;) {
        if (!read_line(fd, buf, &line)) return false;
        std::size_t size = std::stoul(line, nullptr, 16);
        if (size == 0) {
          do {  // trailers up to the empty line
            if (!read_line(fd, buf, &line)) return false;
          } while (!line.empty());
          break;
        }
        if (!read_exact(fd, buf, size, &req->body) || !read_line(fd, buf, &line)) return false;
      }
    } else if (std::string length = req->header("Content-Length"); !length.empty()) {
      if (!read_exact(fd, buf, std::stoul(length), &req->body)) return false;
    }
    return true;
  }

  Reply reply_for(const ReceivedRequest& req) {
    std::function<Reply(const ReceivedRequest&)> handler;
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (!handler_) {
        auto q = queued_.find(req.path);
        if (q != queued_.end() && !q->second.empty()) {
          Reply r = std::move(q->second.front());
          q->second.pop_front();
          return r;
        }
        auto it = replies_.find(req.path);
        return it != replies_.end() ? it->second : default_reply_;
      }
      handler = handler_;
    }
    return handler(req);
  }

  static const char* reason(int status) {
    switch (status) {
      case 200: return "OK";
      case 201: return "Created";
      case 202: return "Accepted";
      case 204: return "No Content";
      case 400: return "Bad Request";
      case 401: return "Unauthorized";
      case 403: return "Forbidden";
      case 404: return "Not Found";
      case 409: return "Conflict";
      case 429: return "Too Many Requests";
      case 500: return "Internal Server Error";
      case 502: return "Bad Gateway";
      case 503: return "Service Unavailable";
      default: return "Status";
    }
  }

  void serve(int fd, std::uint64_t id) {
    std::string buf;
    for (std::size_t index = 0;; ++index) {
      ReceivedRequest req;
      bool ok = false;
      try {
        ok = read_request(fd, buf, &req);
      } catch (const std::exception&) {  // malformed sizes: drop the connection
      }
      if (!ok) break;
      req.arrived = std::chrono::steady_clock::now();
      req.connection_id = id;
      req.index_on_connection = index;
      bool client_close = header_name_equals(req.header("Connection"), "close") ||
                          req.version == "HTTP/1.0";
      bool head = req.method == "HEAD";
      {
        std::lock_guard<std::mutex> lock(mu_);
        requests_.push_back(req);
      }
      changed_.notify_all();
      Reply reply = reply_for(req);
      if (reply.delay.count() > 0) {
        std::unique_lock<std::mutex> lock(mu_);
        if (changed_.wait_for(lock, reply.delay, [&] { return stopping_; })) break;
      }
      if (reply.drop) break;
      bool close = reply.close || client_close;
      std::string out = "HTTP/1.1 " + std::to_string(reply.status) + " " + reason(reply.status) +
                        "\r\n";
      for (const auto& [k, v] : reply.headers) out += k + ": " + v + "\r\n";
      out += "Content-Length: " + std::to_string(reply.body.size()) + "\r\n";
      if (close) out += "Connection: close\r\n";
      out += "\r\n";
      if (!head) out += reply.body;
      if (!send_all(fd, out) || close) break;
    }
    std::lock_guard<std::mutex> lock(mu_);
    open_fds_.erase(std::find(open_fds_.begin(), open_fds_.end(), fd));
    ::close(fd);
  }

  int listen_fd_ = -1;
  int port_ = 0;
  std::thread accept_thread_;

  mutable std::mutex mu_;
  mutable std::condition_variable changed_;  // requests_ grew, or stopping_
  bool stopping_ = false;
  std::vector<int> open_fds_;
  std::vector<std::thread> threads_;
  std::uint64_t connections_ = 0;
  std::vector<ReceivedRequest> requests_;
  std::map<std::string, Reply> replies_;
  std::map<std::string, std::deque<Reply>> queued_;
  Reply default_reply_;
  std::function<Reply(const ReceivedRequest&)> handler_;
};

}  // namespace atio::testing
