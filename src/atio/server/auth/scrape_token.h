// The metrics scrape token (atio serve --metrics-token-file): a fixed bearer
// credential for a Prometheus server, kept in a file beside atio rather than
// in the store, that may read GET /metrics and nothing else.
//
// Contract: a request whose `Authorization: Bearer` credential is the token
// is the principal "metrics-token" with role kMetricsScraperRole, which
// grants only metrics.read (so any other route answers it 403). Every other
// request is judged by the wrapped Authenticator, unchanged.
#pragma once

#include <string>

#include "atio/core/status.h"
#include "atio/server/router.h"

namespace atio::server::auth {

class ScrapeTokenAuthenticator final : public Authenticator {
 public:
  // REQUIRES: `inner` outlives this object; `token` is not empty.
  ScrapeTokenAuthenticator(const Authenticator& inner, const std::string& token);

  Result<Principal> authenticate(const Request& request) const override;

 private:
  const Authenticator& inner_;
  std::string token_hash_;  // SHA-256 hex: compared in constant time at a fixed length
};

// Reads the token from `path`: a file only its owner may read (like atio's
// key files), holding one line of at least 32 characters. Errors name the
// file and what is wrong.
Result<std::string> read_scrape_token(const std::string& path);

}  // namespace atio::server::auth
