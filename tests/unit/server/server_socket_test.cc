// The Beast server over real loopback sockets: keep-alive, the body limit,
// and a shutdown that lets a request in flight finish.
#include "atio/server/server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>

#include "atio/server/errors.h"

namespace atio::server {
namespace {

class NoKeys final : public Authenticator {
 public:
  Result<Principal> authenticate(const Request&) const override { return Principal{}; }
};

// Connects to 127.0.0.1:port, sends `request`, reads until the server closes
// the connection or `timeout` passes.
std::string http_exchange(std::uint16_t port, const std::string& request,
                     std::chrono::seconds timeout = std::chrono::seconds(10)) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  timeval tv{static_cast<time_t>(timeout.count()), 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd);
    return "connect failed";
  }
  (void)::send(fd, request.data(), request.size(), MSG_NOSIGNAL);
  std::string out;
  char buf[4096];
  for (;;) {
    ssize_t n = ::recv(fd, buf, sizeof buf, 0);
    if (n <= 0) break;
    out.append(buf, static_cast<std::size_t>(n));
  }
  ::close(fd);
  return out;
}

int count(const std::string& haystack, const std::string& needle) {
  int n = 0;
  for (auto p = haystack.find(needle); p != std::string::npos; p = haystack.find(needle, p + 1)) ++n;
  return n;
}

class SocketTest : public ::testing::Test {
 protected:
  SocketTest() : router_(keys_) {
    router_.add({.method = "GET", .pattern = "/ping", .auth = Auth::kNone,
                 .permission = Permission::kNone,
                 .handler = sync_handler([](Request&) { return json_response(200, bj::object{{"pong", true}}); })});
    router_.add({.method = "POST", .pattern = "/echo", .auth = Auth::kNone,
                 .permission = Permission::kNone,
                 .handler = sync_handler([](Request& r) {
                   Response res;
                   res.content_type = "text/plain";
                   res.body = r.body;
                   return res;
                 })});
    // Answers from another thread after a while, like a handler waiting for
    // the engine to store executions.
    router_.add({.method = "GET", .pattern = "/slow", .auth = Auth::kNone,
                 .permission = Permission::kNone,
                 .handler = [this](Request&, Respond respond) {
                   slow_started_ = true;
                   std::thread([respond] {
                     std::this_thread::sleep_for(std::chrono::milliseconds(400));
                     respond(json_response(200, bj::object{{"slow", "done"}}));
                   }).detach();
                 }});
  }

  void start(ServerOptions options = {}) {
    options.host = "127.0.0.1";
    options.port = 0;
    options.handle_signals = false;
    server_ = std::make_unique<HttpServer>(options, router_);
    auto port = server_->listen();
    ASSERT_TRUE(port.is_ok()) << port.status().to_string();
    port_ = *port;
    thread_ = std::thread([this] { server_->run(); });
  }

  void TearDown() override {
    if (server_) server_->shutdown();
    if (thread_.joinable()) thread_.join();
    server_.reset();
  }

  NoKeys keys_;
  Router router_;
  std::unique_ptr<HttpServer> server_;
  std::uint16_t port_ = 0;
  std::thread thread_;
  std::atomic<bool> slow_started_{false};
};

TEST_F(SocketTest, KeepAliveAnswersEveryPipelinedRequest) {
  start();
  std::string out = http_exchange(port_,
                             "GET /ping HTTP/1.1\r\nHost: x\r\n\r\n"
                             "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello"
                             "GET /nowhere HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  EXPECT_EQ(count(out, "HTTP/1.1 200 OK"), 2) << out;
  EXPECT_EQ(count(out, "HTTP/1.1 404 Not Found"), 1) << out;
  EXPECT_NE(out.find("hello"), std::string::npos);
  EXPECT_NE(out.find("{\"pong\":true}"), std::string::npos);
}

TEST_F(SocketTest, BodyOverTheLimitIs413) {
  ServerOptions o;
  o.max_body_bytes = 16;
  start(o);
  std::string out = http_exchange(port_, "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 40\r\n\r\n" +
                                        std::string(40, 'x'));
  EXPECT_EQ(out.rfind("HTTP/1.1 413", 0), 0u) << out;
  EXPECT_NE(out.find("payload_too_large"), std::string::npos);
}

TEST_F(SocketTest, MalformedRequestIs400) {
  start();
  std::string out = http_exchange(port_, "BREW /coffee HTCPCP/1.0 nonsense\r\n\r\n");
  EXPECT_EQ(out.rfind("HTTP/1.1 400", 0), 0u) << out;
}

TEST_F(SocketTest, ShutdownLetsTheRequestInFlightFinish) {
  start();
  std::string out;
  std::thread client([&] {
    out = http_exchange(port_, "GET /slow HTTP/1.1\r\nHost: x\r\n\r\n");  // keep-alive requested
  });
  for (int i = 0; i < 200 && !slow_started_; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  ASSERT_TRUE(slow_started_);
  server_->shutdown();
  thread_.join();  // run() returns only after the answer went out
  client.join();
  EXPECT_EQ(out.rfind("HTTP/1.1 200", 0), 0u) << out;
  EXPECT_NE(out.find("Connection: close"), std::string::npos) << out;
  EXPECT_NE(out.find("done"), std::string::npos);
  // No longer accepting.
  EXPECT_EQ(http_exchange(port_, "GET /ping HTTP/1.1\r\n\r\n", std::chrono::seconds(2)).find("200"),
            std::string::npos);
}

TEST_F(SocketTest, ShutdownClosesIdleKeepAliveConnections) {
  ServerOptions o;
  o.read_timeout = std::chrono::seconds(60);
  start(o);
  std::string out;
  std::thread client([&] { out = http_exchange(port_, "GET /ping HTTP/1.1\r\nHost: x\r\n\r\n"); });
  std::this_thread::sleep_for(std::chrono::milliseconds(200));  // answered, now idle
  const auto t0 = std::chrono::steady_clock::now();
  server_->shutdown();
  thread_.join();
  client.join();
  EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::seconds(5));
  EXPECT_EQ(count(out, "HTTP/1.1 200 OK"), 1) << out;
}

}  // namespace
}  // namespace atio::server
