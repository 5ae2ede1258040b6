// Network access for a jailed script, to listed hosts only.
//
// A jail has no network of its own (only loopback). When its step's agent
// lists allowed hosts, atio-jail-init listens on 127.0.0.1:kEgressPort in the
// jail and hands each accepted connection to atio over a Unix socket
// (SCM_RIGHTS); the script's environment names that port as its HTTP and
// HTTPS proxy. atio reads the proxy request: `CONNECT host:port` (HTTPS, any
// TLS end to end) or an absolute-form request `GET http://host/...` (plain
// HTTP); it connects when the host and port are listed and answers 403 naming
// the rule otherwise. A script that ignores the proxy reaches nothing.
//
// Allowed hosts (the `allowed_hosts` list of an `x-atio-jail` agent):
//   "misp.example.org"      ports 80 and 443 of that name
//   "misp.example.org:8443" that port only
//   "*.example.org"         any name under example.org (not example.org itself)
//   "10.1.2.3:9200"         an IP address ("[::1]:443" for IPv6)
// Names are matched as the script asked for them, before resolution; atio
// resolves them itself.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "atio/core/status.h"
#include "atio/core/unique_fd.h"

namespace atio::actions {

inline constexpr int kEgressPort = 3128;

struct AllowedHost {
  std::string host;  // lower case; "*.example.org" for a suffix
  int port = 0;      // 0: 80 and 443
};

// One entry of allowed_hosts, or kInvalidArgument saying what is wrong.
Result<AllowedHost> parse_allowed_host(std::string_view text);

// Whether `host`:`port`, as a script asked for it, is allowed by `allowed`.
bool host_allowed(const std::vector<AllowedHost>& allowed, std::string_view host, int port);

// The atio side of one jail's egress: receives the jail's connections on
// `control` and serves each on a thread of its own. Destroying it ends every
// connection and joins its threads.
class EgressProxy {
 public:
  EgressProxy(UniqueFd control, std::vector<AllowedHost> allowed);
  ~EgressProxy();
  EgressProxy(const EgressProxy&) = delete;
  EgressProxy& operator=(const EgressProxy&) = delete;

  // A socket pair: the first end for EgressProxy, the second for the jail.
  static Result<std::pair<UniqueFd, UniqueFd>> make_control();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace atio::actions
