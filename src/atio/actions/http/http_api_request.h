// From a CACAO `http-api` command and its step to an HttpRequest: request line
// parsing, endpoint address rules, authentication. Pure functions, no I/O, so
// they are tested without a network and shared by validate() and start().
//
// Request line. `command` is "METHOD request-target [HTTP-version]", split on
// white space: "GET /api/v1/x HTTP/1.1" (CACAO 2.0), "GET get HTTP1.1" and
// "GET http://host/x" (SOARCA's examples) are all accepted. The method must be
// GET, POST, PUT, PATCH, DELETE, HEAD or OPTIONS (case-insensitive, sent in
// upper case). The version, when present, must start with "HTTP" and is
// ignored: libcurl negotiates the version.
//
// Where the request goes (first match wins):
//  1. An absolute-form request target ("GET https://host/x") is the whole URL;
//     no agent or target is needed, and no authentication_info is applied, so
//     credentials never follow a URL that variables may have rewritten.
//  2. Else the first entry of step.targets whose definition has type
//     "http-api", else step.agent when its definition has type "http-api".
//     Its `address` gives the base URL:
//       - address.url[0], e.g. "https://misp.local:8443/api": scheme, host,
//         port and base path as written (`port` is ignored);
//       - else address.dname[0], ipv4[0] or ipv6[0] with the `port` property
//         (a string, default "80" per CACAO 2.0). The scheme is http for port
//         80 and 8080 and https for every other port -- SOARCA's rule
//         (pkg/utils/http), which keeps playbooks portable between the two.
//     The request target is appended to the base URL ("/" is inserted when it
//     does not start with one, so "get" becomes "/get").
//
// Authentication (from the endpoint's `authentication_info`, looked up in
// playbook.auth_infos), sent as an Authorization header unless the command
// already has one:
//   http-basic: Basic base64(user_id ":" password)        (RFC 7617)
//   user-auth:  Basic base64(username ":" password)
//   oauth2:     Bearer <token> (RFC 6750); without a token, `oauth_header`
//               verbatim as the header value (RFC 5849 section 3.5.1).
// Objects with `kms: true` take their secret from atio's secret store
// (secrets/secret_store.h): `kms_key_identifier` names the secret; a string
// secret is the password (http-basic, user-auth), the token (oauth2) or the
// private_key (private-key, for ssh), an object secret gives the fields it names (e.g. {"oauth_header": "<key>"}
// for MISP's bare Authorization header). So playbooks carry no credentials
// and executions never record one.
//
// Headers: each name in `headers` is sent once per value, in order. The body
// is `content`, or base64-decoded `content_b64` (never both). No Content-Type
// is guessed; playbooks name it. "Idempotency-Key: <invocation key>" is added
// unless the command sets that header itself.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "atio/actions/action.h"
#include "atio/actions/http/http_client.h"
#include "atio/core/json.h"
#include "atio/core/secret_source.h"
#include "atio/core/status.h"
#include "atio/playbook/cacao/model.h"

namespace atio::actions::http_api {

struct RequestLine {
  std::string method;   // upper case
  std::string target;   // origin-form ("/x?y=1") or absolute-form ("http://h/x")
  std::string version;  // "" when absent
};

// Errors are kInvalidArgument with a sentence about the rule that failed.
Result<RequestLine> parse_request_line(std::string_view command);

// True for "http://..." and "https://..." (case-insensitive scheme).
bool is_absolute_url(std::string_view target);

// The http-api agent or target definition the step's commands go to, per the
// rule above; nullptr when the step has none.
const cacao::AgentTarget* find_endpoint(const cacao::Playbook& playbook, const cacao::Step& step);

// The step's first target of `type`, else its agent when it has that type;
// nullptr when none. find_endpoint() is this with "http-api".
const cacao::AgentTarget* find_definition(const cacao::Playbook& playbook,
                                          const cacao::Step& step, std::string_view type);

// The first non-empty string of address[key] ("url", "dname", ...), "" when none.
std::string first_address(const bj::object& address, std::string_view key);

// The host and port of an agent or target's `address` and `port` (CACAO 2.0
// http-api, ssh, net-address): the first of address.dname, ipv4, ipv6,
// checked for form; `port` a string from 1 to 65535, else `default_port`.
// url is not read. kInvalidArgument naming the rule when none is usable.
struct HostPort {
  std::string host;  // without brackets
  std::string port;
  bool ipv6 = false;
};
Result<HostPort> host_port(const cacao::AgentTarget& endpoint, std::string_view default_port);

// The host of a definition's address as host_port() finds it, an IPv6
// address in brackets.
Result<std::string> address_host(const cacao::AgentTarget& endpoint);

// Base URL of an http-api definition (no trailing slash), e.g.
// "http://10.0.0.1:8080" or "https://misp.local/api".
Result<std::string> base_url(const cacao::AgentTarget& endpoint);

enum class SecretUse {
  kCheck,   // validation: a kms reference must name a secret; nothing is read
  kReveal,  // a request: the secret is read from `secrets`
};

// The Authorization header value for an endpoint, "" when it has no
// authentication_info (or, with kCheck, when its secret is in the store).
Result<std::string> authorization(const cacao::Playbook& playbook,
                                  const cacao::AgentTarget& endpoint,
                                  const SecretSource* secrets = nullptr,
                                  SecretUse use = SecretUse::kCheck,
                                  const std::string& purpose = "");

// The endpoint's authentication_info with the fields of its kms secret
// filled in (kReveal reads the secret; kCheck only checks that one is
// named); nullopt when the endpoint has none. For command types that use a
// credential other than as an Authorization header (e.g. the secret path of
// a chat webhook). authorization() is built on it.
Result<std::optional<cacao::AuthInfo>> resolve_auth_info(const cacao::Playbook& playbook,
                                                         const cacao::AgentTarget& endpoint,
                                                         const SecretSource* secrets = nullptr,
                                                         SecretUse use = SecretUse::kCheck,
                                                         const std::string& purpose = "");

// The command object with the values of credential headers (Authorization,
// Proxy-Authorization, Cookie, and names holding "token", "secret",
// "password" or "api-key"/"apikey") in its `headers` replaced by
// "[redacted]": what the journal may keep.
bj::object redact_credential_headers(bj::object command);

// Checks what the CACAO schema cannot: header names are tokens, content_b64
// is base64, content and content_b64 are not both given. Appends errors under
// `pointer`. (Property types are the schema validator's job.)
void check_command_fields(const bj::object& raw, const std::string& pointer,
                          json::FieldErrors* errors);

struct BuildOptions {
  std::chrono::milliseconds default_timeout{30000};
  bool verify_tls = true;
  std::optional<std::string> ca_file;
  const SecretSource* secrets = nullptr;  // for kms authentication_info
};

// The request for one invocation (command, step, playbook, timeout, key,
// cancel token). Errors are kInvalidArgument naming the field. A relative
// target needs invocation.playbook and invocation.step.
Result<HttpRequest> build_request(const Invocation& invocation, const BuildOptions& options);

// `url` without user:password@, for messages and outputs.
std::string redact_url(std::string_view url);

}  // namespace atio::actions::http_api
