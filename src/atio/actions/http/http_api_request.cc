#include "atio/actions/http/http_api_request.h"

#include <algorithm>
#include <array>
#include <cctype>

#include "atio/core/base64.h"
#include "atio/core/text.h"

namespace atio::actions::http_api {

namespace {

constexpr std::array<std::string_view, 7> kMethods = {"GET",    "POST", "PUT",    "PATCH",
                                                      "DELETE", "HEAD", "OPTIONS"};

std::string upper(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

bool iprefix(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && iequals(s.substr(0, prefix.size()), prefix);
}

bool valid_dname(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == '_';
  });
}

bool valid_ipv4(std::string_view s) {
  int parts = 0;
  std::size_t i = 0;
  while (i <= s.size()) {
    std::size_t j = s.find('.', i);
    if (j == std::string_view::npos) j = s.size();
    std::string_view p = s.substr(i, j - i);
    if (p.empty() || p.size() > 3 ||
        !std::all_of(p.begin(), p.end(), [](char c) { return c >= '0' && c <= '9'; }) ||
        std::stoi(std::string(p)) > 255) {
      return false;
    }
    ++parts;
    i = j + 1;
  }
  return parts == 4;
}

bool valid_ipv6(std::string_view s) {
  return s.find(':') != std::string_view::npos && std::all_of(s.begin(), s.end(), [](char c) {
           return std::isxdigit(static_cast<unsigned char>(c)) || c == ':' || c == '.';
         });
}

// RFC 9110 token characters.
bool valid_header_name(std::string_view name) {
  static constexpr std::string_view kExtra = "!#$%&'*+-.^_`|~";
  return !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || kExtra.find(c) != std::string_view::npos;
  });
}

Result<std::string> basic(const cacao::AuthInfo& auth, std::string_view user_key) {
  const bj::string* user = json::get_string(auth.raw, user_key);
  const bj::string* password = json::get_string(auth.raw, "password");
  if (!user) {
    return Status(Code::kInvalidArgument, "authentication_info " + auth.id + " (" + auth.type +
                                              ") has no " + std::string(user_key));
  }
  std::string pair = std::string(*user) + ":" + (password ? std::string(*password) : "");
  return "Basic " + base64_encode(pair);
}

}  // namespace

Result<RequestLine> parse_request_line(std::string_view command) {
  std::vector<std::string_view> parts;
  std::size_t i = 0;
  while (i < command.size()) {
    while (i < command.size() && std::isspace(static_cast<unsigned char>(command[i]))) ++i;
    std::size_t j = i;
    while (j < command.size() && !std::isspace(static_cast<unsigned char>(command[j]))) ++j;
    if (j > i) parts.push_back(command.substr(i, j - i));
    i = j;
  }
  if (parts.size() < 2 || parts.size() > 3) {
    return Status(Code::kInvalidArgument,
                  "command must be an HTTP request line \"METHOD /path HTTP/1.1\", got \"" +
                      std::string(command) + "\"");
  }
  RequestLine line{upper(parts[0]), std::string(parts[1]),
                   parts.size() == 3 ? std::string(parts[2]) : ""};
  if (std::find(kMethods.begin(), kMethods.end(), line.method) == kMethods.end()) {
    return Status(Code::kInvalidArgument,
                  "unknown HTTP method \"" + std::string(parts[0]) +
                      "\" (GET, POST, PUT, PATCH, DELETE, HEAD or OPTIONS)");
  }
  if (!line.version.empty() && !iprefix(line.version, "HTTP")) {
    return Status(Code::kInvalidArgument,
                  "third part of the request line must be an HTTP version such as HTTP/1.1, "
                  "got \"" + line.version + "\"");
  }
  return line;
}

bool is_absolute_url(std::string_view target) {
  return iprefix(target, "http://") || iprefix(target, "https://");
}

std::string first_address(const bj::object& address, std::string_view key) {
  const bj::array* list = json::get_array(address, key);
  if (!list) return "";
  for (const auto& v : *list) {
    if (v.is_string() && !v.get_string().empty()) return std::string(v.get_string());
  }
  return "";
}

const cacao::AgentTarget* find_definition(const cacao::Playbook& playbook,
                                          const cacao::Step& step, std::string_view type) {
  for (const auto& id : step.targets) {
    auto it = playbook.targets.find(id);
    if (it != playbook.targets.end() && it->second.type == type) return &it->second;
  }
  if (!step.agent.empty()) {
    auto it = playbook.agents.find(step.agent);
    if (it != playbook.agents.end() && it->second.type == type) return &it->second;
  }
  return nullptr;
}

const cacao::AgentTarget* find_endpoint(const cacao::Playbook& playbook,
                                        const cacao::Step& step) {
  return find_definition(playbook, step, "http-api");
}

Result<HostPort> host_port(const cacao::AgentTarget& endpoint, std::string_view default_port) {
  const std::string who = endpoint.id.empty() ? endpoint.type + " definition" : endpoint.id;
  const bj::object* address = json::get_object(endpoint.raw, "address");
  if (!address) return Status(Code::kInvalidArgument, who + " has no address");
  std::string host;
  bool ipv6 = false;
  if (std::string d = first_address(*address, "dname"); !d.empty()) {
    if (!valid_dname(d)) {
      return Status(Code::kInvalidArgument,
                    who + ": address dname must be a host name without scheme, port or path, "
                          "got \"" + d + "\"");
    }
    host = d;
  } else if (std::string v4 = first_address(*address, "ipv4"); !v4.empty()) {
    if (!valid_ipv4(v4)) {
      return Status(Code::kInvalidArgument, who + ": address ipv4 \"" + v4 + "\" is not an IPv4 address");
    }
    host = v4;
  } else if (std::string v6 = first_address(*address, "ipv6"); !v6.empty()) {
    if (!valid_ipv6(v6)) {
      return Status(Code::kInvalidArgument, who + ": address ipv6 \"" + v6 + "\" is not an IPv6 address");
    }
    host = v6;
    ipv6 = true;
  } else {
    return Status(Code::kInvalidArgument, who + ": address has no url, dname, ipv4 or ipv6");
  }

  std::string port(default_port);
  if (const bj::value* p = endpoint.raw.if_contains("port")) {
    if (!p->is_string()) return Status(Code::kInvalidArgument, who + ": port must be a string");
    port = std::string(p->get_string());
  }
  bool digits = !port.empty() && port.size() <= 5 &&
                std::all_of(port.begin(), port.end(), [](char c) { return c >= '0' && c <= '9'; });
  if (!digits || std::stoi(port) < 1 || std::stoi(port) > 65535) {
    return Status(Code::kInvalidArgument,
                  who + ": port must be a number from 1 to 65535, got \"" + port + "\"");
  }
  return HostPort{host, port, ipv6};
}

Result<std::string> address_host(const cacao::AgentTarget& endpoint) {
  ATIO_ASSIGN_OR_RETURN(HostPort hp, host_port(endpoint, "1"));
  return hp.ipv6 ? "[" + hp.host + "]" : hp.host;
}

Result<std::string> base_url(const cacao::AgentTarget& endpoint) {
  const std::string who = endpoint.id.empty() ? "http-api definition" : endpoint.id;
  const bj::object* address = json::get_object(endpoint.raw, "address");
  if (!address) return Status(Code::kInvalidArgument, who + " has no address");

  if (std::string url = first_address(*address, "url"); !url.empty()) {
    if (!is_absolute_url(url) ||
        url.find_first_of(" \t\r\n") != std::string::npos) {
      return Status(Code::kInvalidArgument,
                    who + ": address url must be an http:// or https:// URL, got \"" + url + "\"");
    }
    while (url.size() > 1 && url.back() == '/') url.pop_back();
    return url;
  }

  ATIO_ASSIGN_OR_RETURN(HostPort hp, host_port(endpoint, "80"));
  const std::string host = hp.ipv6 ? "[" + hp.host + "]" : hp.host;
  const std::string& port = hp.port;
  std::string scheme = (port == "80" || port == "8080") ? "http" : "https";
  bool default_port = (scheme == "http" && port == "80") || (scheme == "https" && port == "443");
  return scheme + "://" + host + (default_port ? "" : ":" + port);
}

namespace {

// `auth` with the fields of its kms secret filled in: a string secret is the
// password (http-basic, user-auth), the token (oauth2) or the private_key
// (private-key); an object secret gives the fields it names.
Result<cacao::AuthInfo> with_secret(const cacao::AuthInfo& auth, const SecretSource* secrets,
                                    SecretUse use, const std::string& purpose) {
  const bj::string* name = json::get_string(auth.raw, "kms_key_identifier");
  if (name == nullptr || name->empty()) {
    return Status(Code::kInvalidArgument,
                  "authentication_info " + auth.id +
                      " has kms: true but no kms_key_identifier naming its secret in atio's "
                      "secret store");
  }
  if (use == SecretUse::kCheck) return auth;
  if (secrets == nullptr) {
    return Status(Code::kUnavailable,
                  "authentication_info " + auth.id + " names secret " + std::string(*name) +
                      ", but this atio has no secret store");
  }
  auto secret = secrets->reveal(std::string(*name), purpose);
  if (!secret.is_ok()) {
    return Status(secret.status().code(),
                  "authentication_info " + auth.id + ": " + secret.status().message() +
                      " (set it with `atio secret set " + std::string(*name) +
                      "` or PUT /api/v1/secrets/" + std::string(*name) + ")");
  }
  cacao::AuthInfo filled = auth;
  if (secret->is_string()) {
    const char* field = auth.type == "oauth2"        ? "token"
                        : auth.type == "private-key" ? "private_key"
                                                     : "password";
    filled.raw[field] = secret->get_string();
  } else if (secret->is_object()) {
    for (const auto& kv : secret->get_object()) filled.raw[kv.key()] = kv.value();
  }
  return filled;
}

}  // namespace

Result<std::optional<cacao::AuthInfo>> resolve_auth_info(const cacao::Playbook& playbook,
                                                         const cacao::AgentTarget& endpoint,
                                                         const SecretSource* secrets,
                                                         SecretUse use,
                                                         const std::string& purpose) {
  const bj::value* ref = endpoint.raw.if_contains("authentication_info");
  if (!ref) return std::optional<cacao::AuthInfo>();
  if (!ref->is_string()) {
    return Status(Code::kInvalidArgument, endpoint.id + ": authentication_info must be an id");
  }
  std::string id(ref->get_string());
  auto it = playbook.auth_infos.find(id);
  if (it == playbook.auth_infos.end()) {
    return Status(Code::kInvalidArgument,
                  endpoint.id + ": authentication_info " + id +
                      " is not in authentication_info_definitions");
  }
  const cacao::AuthInfo& auth = it->second;
  if (const bj::value* kms = auth.raw.if_contains("kms"); kms && kms->is_bool() && kms->get_bool()) {
    ATIO_ASSIGN_OR_RETURN(cacao::AuthInfo filled, with_secret(auth, secrets, use, purpose));
    return std::optional<cacao::AuthInfo>(std::move(filled));
  }
  return std::optional<cacao::AuthInfo>(auth);
}

Result<std::string> authorization(const cacao::Playbook& playbook,
                                  const cacao::AgentTarget& endpoint, const SecretSource* secrets,
                                  SecretUse use, const std::string& purpose) {
  ATIO_ASSIGN_OR_RETURN(std::optional<cacao::AuthInfo> resolved,
                        resolve_auth_info(playbook, endpoint, secrets, use, purpose));
  if (!resolved) return std::string();
  const cacao::AuthInfo* auth = &*resolved;
  const std::string& id = auth->id;
  const bj::value* kms = auth->raw.if_contains("kms");
  const bool filled = kms && kms->is_bool() && kms->get_bool();
  if (auth->type != "http-basic" && auth->type != "user-auth" && auth->type != "oauth2") {
    return Status(Code::kInvalidArgument, "authentication_info " + id + " has type \"" +
                                              auth->type + "\", which http-api cannot use");
  }
  if (use == SecretUse::kCheck && filled) return std::string();  // the secret is read at run time
  if (auth->type == "http-basic") return basic(*auth, "user_id");
  if (auth->type == "user-auth") return basic(*auth, "username");
  const bj::string* token = json::get_string(auth->raw, "token");
  if (token && !token->empty()) return "Bearer " + std::string(*token);
  const bj::string* header = json::get_string(auth->raw, "oauth_header");
  if (header && !header->empty()) return std::string(*header);
  return Status(Code::kInvalidArgument,
                "authentication_info " + id + " (oauth2) has neither token nor oauth_header");
}

void check_command_fields(const bj::object& raw, const std::string& pointer,
                          json::FieldErrors* errors) {
  // Property types and header value lists are schema rules, reported by the
  // CACAO validator (playbook/cacao/semantic_commands.cc); only what the
  // schema cannot say is checked here.
  if (const bj::object* headers = json::get_object(raw, "headers")) {
    for (const auto& kv : *headers) {
      if (!valid_header_name(kv.key())) {
        errors->push_back({json::pointer_join(pointer + "/headers", kv.key()),
                           "header name must be a token (letters, digits and !#$%&'*+-.^_`|~)"});
      }
    }
  }
  const bj::string* b64 = json::get_string(raw, "content_b64");
  if (b64 && !base64_decode(*b64)) {
    errors->push_back({pointer + "/content_b64", "content_b64 is not valid base64"});
  }
  if (raw.contains("content") && raw.contains("content_b64")) {
    errors->push_back({pointer, "content and content_b64 are mutually exclusive"});
  }
}

Result<HttpRequest> build_request(const Invocation& inv, const BuildOptions& options) {
  ATIO_ASSIGN_OR_RETURN(RequestLine line, parse_request_line(inv.command.command));
  const bj::object& raw = inv.command.raw;
  HttpRequest req;
  req.method = line.method;
  std::string auth_header;
  if (is_absolute_url(line.target)) {
    req.url = line.target;
  } else {
    if (!inv.playbook || !inv.step) {
      return Status(Code::kInvalidArgument,
                    "\"" + inv.command.command + "\" has a relative target but no step to find its "
                    "http-api target or agent in");
    }
    const cacao::AgentTarget* endpoint = find_endpoint(*inv.playbook, *inv.step);
    if (!endpoint) {
      return Status(Code::kInvalidArgument,
                    "step has no http-api target or agent to send \"" + inv.command.command +
                        "\" to");
    }
    ATIO_ASSIGN_OR_RETURN(std::string base, base_url(*endpoint));
    ATIO_ASSIGN_OR_RETURN(auth_header,
                          authorization(*inv.playbook, *endpoint, options.secrets,
                                        SecretUse::kReveal,
                                        "execution " + inv.execution_id + " step " + inv.step_id));
    req.url = base + (line.target.front() == '/' ? "" : "/") + line.target;
  }

  if (const bj::value* h = raw.if_contains("headers"); h && h->is_object()) {
    for (const auto& kv : h->get_object()) {
      const bj::value& values = kv.value();
      if (values.is_string()) {  // tolerated: a single value without the array
        req.headers.emplace_back(std::string(kv.key()), std::string(values.get_string()));
        continue;
      }
      if (!values.is_array()) {
        return Status(Code::kInvalidArgument, "header " + std::string(kv.key()) +
                                                  " must be an array of strings");
      }
      for (const auto& v : values.get_array()) {
        if (!v.is_string()) {
          return Status(Code::kInvalidArgument, "header " + std::string(kv.key()) +
                                                    " must be an array of strings");
        }
        req.headers.emplace_back(std::string(kv.key()), std::string(v.get_string()));
      }
    }
  }
  auto has = [&](std::string_view name) {
    return std::any_of(req.headers.begin(), req.headers.end(),
                       [&](const auto& kv) { return iequals(kv.first, name); });
  };
  if (!auth_header.empty() && !has("Authorization")) {
    req.headers.emplace_back("Authorization", auth_header);
  }
  if (!inv.idempotency_key.empty() && !has("Idempotency-Key")) {
    req.headers.emplace_back("Idempotency-Key", inv.idempotency_key);
  }

  const bj::string* content = json::get_string(raw, "content");
  const bj::string* b64 = json::get_string(raw, "content_b64");
  if (content && b64) {
    return Status(Code::kInvalidArgument, "content and content_b64 are mutually exclusive");
  }
  if (content) req.body = std::string(*content);
  if (b64) {
    auto decoded = base64_decode(*b64);
    if (!decoded) return Status(Code::kInvalidArgument, "content_b64 is not valid base64");
    req.body = std::move(*decoded);
  }

  req.timeout = inv.timeout.count() > 0 ? inv.timeout : options.default_timeout;
  req.verify_tls = options.verify_tls;
  req.ca_file = options.ca_file;
  req.cancel = inv.cancel;
  return req;
}

namespace {

bool credential_header(std::string_view name) {
  std::string n = ascii_lower(name);
  if (n == "authorization" || n == "proxy-authorization" || n == "cookie") return true;
  for (const char* part : {"token", "secret", "password", "api-key", "apikey", "api_key"}) {
    if (n.find(part) != std::string::npos) return true;
  }
  return false;
}

}  // namespace

bj::object redact_credential_headers(bj::object view) {
  if (auto* headers = view.if_contains("headers"); headers && headers->is_object()) {
    for (auto& kv : headers->get_object()) {
      if (!credential_header(kv.key())) continue;
      if (kv.value().is_array()) {
        for (auto& v : kv.value().get_array()) v = "[redacted]";
      } else {
        kv.value() = "[redacted]";
      }
    }
  }
  return view;
}

std::string redact_url(std::string_view url) {
  auto scheme_end = url.find("://");
  if (scheme_end == std::string_view::npos) return std::string(url);
  auto authority_start = scheme_end + 3;
  auto authority_end = url.find_first_of("/?#", authority_start);
  if (authority_end == std::string_view::npos) authority_end = url.size();
  auto at = url.substr(authority_start, authority_end - authority_start).rfind('@');
  if (at == std::string_view::npos) return std::string(url);
  return std::string(url.substr(0, authority_start)) +
         std::string(url.substr(authority_start + at + 1));
}

}  // namespace atio::actions::http_api
