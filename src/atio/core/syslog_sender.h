// Sends RFC 5424 messages to a syslog collector, so that a SIEM keeps its own
// copy of what atio records (audit records, monitor events).
//
// Collector: "udp://host:port", "tcp://host:port", "tls://host:port", or
// "host:port" (UDP).
//  - UDP (RFC 5426): one datagram per message; fire and forget.
//  - TCP (RFC 6587 octet counting, "LEN SP MSG"): the connection is opened on
//    first use, again after a failure, and again when the collector has
//    closed its end (checked before each message, as rsyslog does, so a frame
//    is not written into a connection the collector no longer reads); send()
//    reports whether the message was handed to the kernel, so a caller that
//    must not lose records can retry later. Plain TCP syslog has no
//    acknowledgement: a collector that stops between our check and its read
//    loses what was in flight.
//  - TLS (RFC 5425: the same octet-counted frames inside TLS 1.2 or later):
//    as TCP, and the collector's certificate is verified against the system
//    CAs or `ca_file`, its name against the host of the collector address
//    (an IP address against the certificate's IP SANs). No client
//    certificate is sent.
// Not thread-safe: one thread sends.
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include "atio/core/status.h"

namespace atio {

// "host:port" -> the parts (IPv6 in brackets: "[::1]:514"); false when malformed.
bool parse_host_port(const std::string& text, std::string* host, std::string* port);

// A collector address split into scheme ("udp", "tcp" or "tls"; "udp" when
// none is written), host and port; kInvalidArgument naming the forms
// accepted when malformed. Resolves nothing.
Status parse_syslog_collector(const std::string& collector, std::string* scheme,
                              std::string* host, std::string* port);

struct SyslogSenderOptions {
  bool verify_tls = true;              // tls://: the collector's certificate and name
  std::optional<std::string> ca_file;  // tls://: PEM bundle replacing the system CAs
  // TCP and TLS: the longest a connect, the TLS handshake or one write may
  // take (0: the system's own limits).
  std::chrono::milliseconds timeout{0};
};

class SyslogSender {
 public:
  // kInvalidArgument naming the rule when `collector` is malformed. The
  // address is resolved here (kUnavailable when it cannot be); a CA file
  // that cannot be read is kInvalidArgument.
  static Result<SyslogSender> open(const std::string& collector,
                                   const SyslogSenderOptions& options = {});

  SyslogSender(SyslogSender&& other) noexcept;
  SyslogSender& operator=(SyslogSender&& other) noexcept;
  SyslogSender(const SyslogSender&) = delete;
  SyslogSender& operator=(const SyslogSender&) = delete;
  ~SyslogSender();

  // kUnavailable when the message could not be sent (TCP: not connected, or
  // the connection broke; it is reopened on the next call; TLS: also a
  // handshake or certificate failure, whose reason the message names).
  Status send(const std::string& message);

  bool tcp() const { return tcp_; }
  bool tls() const { return tls_ != nullptr; }
  const std::string& collector() const { return collector_; }

 private:
  SyslogSender() = default;
  Status connect();
  void close_fd();
  bool peer_closed() const;  // TCP: the collector closed or reset the connection

  struct Tls;  // OpenSSL's context and connection, kept out of this header
  struct TlsDeleter {
    void operator()(Tls* t) const;
  };
  Status handshake();
  Status write_all(const std::string& bytes);

  std::string collector_;
  std::string host_;
  SyslogSenderOptions options_;
  std::unique_ptr<Tls, TlsDeleter> tls_;  // set for tls://
  bool tcp_ = false;
  int fd_ = -1;
  std::string addr_;  // sockaddr bytes
  int family_ = 0;
};

}  // namespace atio
