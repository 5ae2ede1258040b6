// Sends RFC 5424 messages to a syslog collector, so that a SIEM keeps its own
// copy of what atio records (audit records, monitor events).
//
// Collector: "udp://host:port", "tcp://host:port", or "host:port" (UDP).
//  - UDP (RFC 5426): one datagram per message; fire and forget.
//  - TCP (RFC 6587 octet counting, "LEN SP MSG"): the connection is opened on
//    first use, again after a failure, and again when the collector has
//    closed its end (checked before each message, as rsyslog does, so a frame
//    is not written into a connection the collector no longer reads); send()
//    reports whether the message was handed to the kernel, so a caller that
//    must not lose records can retry later. Plain TCP syslog has no
//    acknowledgement: a collector that stops between our check and its read
//    loses what was in flight.
// Not thread-safe: one thread sends.
#pragma once

#include <string>

#include "atio/core/status.h"

namespace atio {

// "host:port" -> the parts (IPv6 in brackets: "[::1]:514"); false when malformed.
bool parse_host_port(const std::string& text, std::string* host, std::string* port);

class SyslogSender {
 public:
  // kInvalidArgument naming the rule when `collector` is malformed. The
  // address is resolved here (kUnavailable when it cannot be).
  static Result<SyslogSender> open(const std::string& collector);

  SyslogSender(SyslogSender&& other) noexcept;
  SyslogSender& operator=(SyslogSender&& other) noexcept;
  SyslogSender(const SyslogSender&) = delete;
  SyslogSender& operator=(const SyslogSender&) = delete;
  ~SyslogSender();

  // kUnavailable when the message could not be sent (TCP: not connected, or
  // the connection broke; it is reopened on the next call).
  Status send(const std::string& message);

  bool tcp() const { return tcp_; }
  const std::string& collector() const { return collector_; }

 private:
  SyslogSender() = default;
  Status connect();
  void close_fd();
  bool peer_closed() const;  // TCP: the collector closed or reset the connection

  std::string collector_;
  bool tcp_ = false;
  int fd_ = -1;
  std::string addr_;  // sockaddr bytes
  int family_ = 0;
};

}  // namespace atio
