// Sockets on 127.0.0.1 for tests that play a peer (a syslog collector, ...).
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

namespace atio::testing {

// A socket of `type` (SOCK_DGRAM, SOCK_STREAM) bound to 127.0.0.1 on a free
// port, set in `*port`, with a receive timeout of `timeout_s` seconds; -1
// when it cannot be made. SO_REUSEADDR is on: a test that binds the port
// again finds an accepted connection of this socket in TIME_WAIT, and Linux
// lets it bind only when both sockets set it.
inline int bound_loopback(int type, int* port, int timeout_s = 5) {
  const int fd = ::socket(AF_INET, type, 0);
  if (fd < 0) return -1;
  int one = 1;
  ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) {
    ::close(fd);
    return -1;
  }
  socklen_t len = sizeof a;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
  *port = ntohs(a.sin_port);
  timeval tv{timeout_s, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  return fd;
}

}  // namespace atio::testing
