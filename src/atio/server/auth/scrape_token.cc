#include "atio/server/auth/scrape_token.h"

#include "atio/core/private_file.h"
#include "atio/server/auth/api_keys.h"
#include "atio/server/auth/crypto.h"
#include "atio/server/auth/permissions.h"

namespace atio::server::auth {

namespace {

// Long enough that it cannot be guessed: new_secret() makes 64 hex digits,
// `openssl rand -hex 32` as many.
constexpr std::size_t kMinTokenLength = 32;

}  // namespace

ScrapeTokenAuthenticator::ScrapeTokenAuthenticator(const Authenticator& inner,
                                                   const std::string& token)
    : inner_(inner), token_hash_(sha256_hex(token)) {}

Result<Principal> ScrapeTokenAuthenticator::authenticate(const Request& request) const {
  const std::string bearer = bearer_token(request);
  if (!bearer.empty() && constant_time_equal(sha256_hex(bearer), token_hash_)) {
    Principal p;
    p.kind = "api-key";  // recorded as a key in the audit log, should it be refused somewhere
    p.id = "metrics-token";
    p.name = "metrics scrape token";
    p.role = std::string(kMetricsScraperRole);
    return p;
  }
  return inner_.authenticate(request);
}

Result<std::string> read_scrape_token(const std::string& path) {
  ATIO_ASSIGN_OR_RETURN(std::string text, read_private_file(path, "metrics token file"));
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r' || text.back() == ' ')) {
    text.pop_back();
  }
  if (text.find_first_of(" \t\r\n") != std::string::npos) {
    return Status(Code::kInvalidArgument,
                  path + ": the metrics token must be one line without spaces");
  }
  if (text.size() < kMinTokenLength) {
    return Status(Code::kInvalidArgument, path + ": the metrics token has " +
                                              std::to_string(text.size()) +
                                              " characters; it needs at least " +
                                              std::to_string(kMinTokenLength));
  }
  return text;
}

}  // namespace atio::server::auth
