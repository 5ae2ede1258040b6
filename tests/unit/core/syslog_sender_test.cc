// The syslog sender against collectors of the test's own on 127.0.0.1: one
// datagram per message over UDP, RFC 6587 octet-counted frames over TCP, a
// reconnect after the collector went away, and collector addresses refused
// by rule.
#include "atio/core/syslog_sender.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <string>

#include "support/loopback_socket.h"

namespace atio {
namespace {

// A socket bound to 127.0.0.1 on a free port.
int bound(int type, int* port) {
  const int fd = testing::bound_loopback(type, port);
  EXPECT_GE(fd, 0);
  return fd;
}

// Reads until `n` bytes have come (or the 5 s receive timeout).
std::string read_n(int fd, std::size_t n) {
  std::string out;
  char buf[4096];
  while (out.size() < n) {
    const ssize_t got = ::recv(fd, buf, std::min(sizeof buf, n - out.size()), 0);
    if (got <= 0) break;
    out.append(buf, static_cast<std::size_t>(got));
  }
  return out;
}

TEST(SyslogSender, UdpSendsOneDatagramPerMessage) {
  int port = 0;
  const int fd = bound(SOCK_DGRAM, &port);
  auto s = SyslogSender::open("udp://127.0.0.1:" + std::to_string(port));
  ASSERT_TRUE(s.is_ok()) << s.status().to_string();
  ASSERT_TRUE(s->send("<109>1 first").is_ok());
  ASSERT_TRUE(s->send("<109>1 second").is_ok());
  char buf[256];
  ASSERT_EQ(::recv(fd, buf, sizeof buf, 0), 12);
  EXPECT_EQ(std::string(buf, 12), "<109>1 first");
  ASSERT_EQ(::recv(fd, buf, sizeof buf, 0), 13);
  ::close(fd);
}

TEST(SyslogSender, TcpFramesByOctetCountingAndReconnects) {
  int port = 0;
  int listener = bound(SOCK_STREAM, &port);
  ASSERT_EQ(::listen(listener, 4), 0);
  auto s = SyslogSender::open("tcp://127.0.0.1:" + std::to_string(port));
  ASSERT_TRUE(s.is_ok());
  ASSERT_TRUE(s->send("<109>1 é").is_ok());  // two bytes for é: the count is in octets
  ASSERT_TRUE(s->send("<109>1 b").is_ok());
  int conn = ::accept(listener, nullptr, nullptr);
  ASSERT_GE(conn, 0);
  ::close(listener);  // the collector goes away
  const std::string frames = "9 <109>1 é8 <109>1 b";
  EXPECT_EQ(read_n(conn, frames.size()), frames);
  ::close(conn);
  // The next send fails: it is not written into the closed connection ...
  EXPECT_FALSE(s->send("<109>1 not lost").is_ok());
  // ... and succeed again once a collector listens on the port again.
  listener = ::socket(AF_INET, SOCK_STREAM, 0);
  int one = 1;
  ::setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  a.sin_port = htons(static_cast<std::uint16_t>(port));
  ASSERT_EQ(::bind(listener, reinterpret_cast<sockaddr*>(&a), sizeof a), 0);
  ASSERT_EQ(::listen(listener, 4), 0);
  EXPECT_TRUE(s->send("<109>1 back").is_ok());
  conn = ::accept(listener, nullptr, nullptr);
  ASSERT_GE(conn, 0);
  s = SyslogSender::open("udp://127.0.0.1:1");  // closes the TCP connection
  EXPECT_EQ(read_n(conn, 14), "11 <109>1 back");
  ::close(conn);
  ::close(listener);
}

// A collector that closes a connection and accepts the next one (a restart,
// an idle timeout) gets the next message on the new connection: it is not
// handed to the old one, where the kernel would take it and drop it.
TEST(SyslogSender, TcpMessageAfterTheCollectorClosedGoesOnANewConnection) {
  int port = 0;
  const int listener = bound(SOCK_STREAM, &port);
  ASSERT_EQ(::listen(listener, 4), 0);
  auto s = SyslogSender::open("tcp://127.0.0.1:" + std::to_string(port));
  ASSERT_TRUE(s.is_ok());
  ASSERT_TRUE(s->send("<109>1 a").is_ok());
  int conn = ::accept(listener, nullptr, nullptr);
  ASSERT_GE(conn, 0);
  EXPECT_EQ(read_n(conn, 10), "8 <109>1 a");
  ::close(conn);  // the collector ends this connection but still listens
  ASSERT_TRUE(s->send("<109>1 b").is_ok());
  conn = ::accept(listener, nullptr, nullptr);
  ASSERT_GE(conn, 0);
  EXPECT_EQ(read_n(conn, 10), "8 <109>1 b");
  ::close(conn);
  ::close(listener);
}

TEST(SyslogSender, CollectorAddressesFollowTheirRule) {
  for (const char* bad : {"", "nowhere", "tcp://host", "udp://:514", "host:0", "host:65536",
                          "host:51x", "[::1]514", "ftp://host:21"}) {
    auto s = SyslogSender::open(bad);
    ASSERT_FALSE(s.is_ok()) << bad;
    EXPECT_EQ(s.status().code(), Code::kInvalidArgument) << bad;
    EXPECT_NE(s.status().message().find("tcp://host:port"), std::string::npos) << bad;
  }
  std::string host, port;
  ASSERT_TRUE(parse_host_port("[::1]:514", &host, &port));
  EXPECT_EQ(host, "::1");
  EXPECT_EQ(port, "514");
  EXPECT_TRUE(SyslogSender::open("127.0.0.1:514").is_ok());
  EXPECT_FALSE(SyslogSender::open("127.0.0.1:514")->tcp());
}

}  // namespace
}  // namespace atio
