#include "atio/actions/connectors/email_command.h"

#include <curl/curl.h>

#include <algorithm>
#include <cctype>
#include <cstring>
#include <ctime>
#include <random>

#include "atio/actions/http/http_api_request.h"
#include "atio/core/base64.h"

namespace atio::actions::connectors {

namespace {

using T = ParamType;

CommandSpec email_spec() {
  CommandSpec s;
  s.type = "x-atio-email";
  Param tls{"tls", T::kString};
  tls.allowed = {"required", "opportunistic", "none"};
  s.operations = {
      {"send",
       {{"to", T::kArray, true},
        {"cc", T::kArray},
        {"from", T::kString, true},
        {"subject", T::kString, true},
        {"body", T::kString, true},
        {"html", T::kString},
        {"server", T::kString},
        tls}},
  };
  s.default_operation = "send";
  return s;
}

bool ascii(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return static_cast<unsigned char>(c) < 128; });
}

bool has_line_break(std::string_view s) { return s.find_first_of("\r\n") != std::string_view::npos; }

// Base64 in lines of 76 characters (RFC 2045 section 6.8).
std::string base64_lines(std::string_view data) {
  std::string b64 = base64_encode(data), out;
  for (std::size_t i = 0; i < b64.size(); i += 76) out += b64.substr(i, 76) + "\r\n";
  return out;
}

// "Name <a@b>" with a non-ASCII name as encoded-words; an address as it is.
std::string mailbox_header(std::string_view mailbox) {
  if (ascii(mailbox)) return std::string(mailbox);
  auto lt = mailbox.rfind('<');
  if (lt == std::string_view::npos) return std::string(mailbox);
  std::string_view name = mailbox.substr(0, lt);
  while (!name.empty() && name.back() == ' ') name.remove_suffix(1);
  return encode_header(name) + " " + std::string(mailbox.substr(lt));
}

std::string join_mailboxes(const std::vector<std::string>& list) {
  std::string out;
  for (const auto& m : list) out += (out.empty() ? "" : ",\r\n ") + mailbox_header(m);
  return out;
}

std::string rfc5322_now() {
  std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  static constexpr const char* kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                            "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  char buf[64];
  std::snprintf(buf, sizeof buf, "%s, %02d %s %04d %02d:%02d:%02d +0000", kDays[tm.tm_wday],
                tm.tm_mday, kMonths[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min,
                tm.tm_sec);
  return buf;
}

// A Message-ID from the invocation's idempotency key: the same on every
// attempt and after a resume. dot-atom-text keeps letters, digits, '-' and '.'.
std::string message_id(const std::string& key, const std::string& from) {
  std::string left = "atio.";
  for (char c : key) left += std::isalnum(static_cast<unsigned char>(c)) || c == '-' ? c : '.';
  if (key.empty()) {
    std::random_device rd;
    left += std::to_string(rd()) + std::to_string(rd());
  }
  std::string domain = from.substr(from.find('@') + 1);
  return "<" + left + "@" + domain + ">";
}

// What check_operation and run both check of literal values: (parameter,
// rule) pairs.
std::vector<std::pair<std::string, std::string>> message_errors(const bj::object& raw) {
  std::vector<std::pair<std::string, std::string>> errors;
  auto mailbox = [&](const bj::value& v, const std::string& where) {
    if (!v.is_string()) {
      errors.push_back({where, "must be a string"});
      return;
    }
    if (mentions_variable(v.get_string())) return;
    if (has_line_break(v.get_string()) || addr_spec(v.get_string()).empty()) {
      errors.push_back({where, "must be an email address (\"soc@example.org\" or \"SOC "
                               "<soc@example.org>\")"});
    }
  };
  for (const char* list : {"to", "cc"}) {
    const bj::array* items = json::get_array(raw, list);
    if (items == nullptr) continue;
    if (items->empty() && std::string_view(list) == "to") {
      errors.push_back({"/to", "must name at least one recipient"});
    }
    for (std::size_t i = 0; i < items->size(); ++i) {
      mailbox((*items)[i], json::pointer_join(std::string("/") + list, i));
    }
  }
  if (const bj::value* from = raw.if_contains("from"); from && from->is_string()) {
    mailbox(*from, "/from");
  }
  if (const bj::string* subject = json::get_string(raw, "subject");
      subject && has_line_break(*subject)) {
    errors.push_back({"/subject", "must be one line (no CR or LF)"});
  }
  return errors;
}

bool credentials_type(const std::string& type) { return type == "user-auth" || type == "http-basic"; }

struct Server {
  std::string url;
  std::string user, password;  // empty: no AUTH
  bool has_auth = false;
};

// Where and as whom (see the header). kCheck at validation, kReveal to run.
Result<Server> server_of(const std::string& param, const cacao::Playbook& playbook,
                         const cacao::Step& step, http_api::SecretUse use,
                         const SecretSource* secrets, const std::string& purpose) {
  Server s;
  const cacao::AgentTarget* target = http_api::find_definition(playbook, step, "net-address");
  ATIO_ASSIGN_OR_RETURN(
      s.url, net_address(param, playbook, step, "smtp", "587",
                         "x-atio-email needs a server parameter or a net-address target (address "
                         "url \"smtps://mail.example.org:465\", or a dname/ipv4 for smtp:// port "
                         "587)"));
  if (!(s.url.rfind("smtp://", 0) == 0 || s.url.rfind("smtps://", 0) == 0) ||
      s.url.find_first_of(" \t\r\n") != std::string::npos) {
    return Status(Code::kInvalidArgument,
                  "the SMTP server must be an smtp:// or smtps:// URL, got \"" + s.url + "\"");
  }
  if (target == nullptr) return s;
  ATIO_ASSIGN_OR_RETURN(std::optional<cacao::AuthInfo> auth,
                        http_api::resolve_auth_info(playbook, *target, secrets, use, purpose));
  if (!auth) return s;
  if (!credentials_type(auth->type)) {
    return Status(Code::kInvalidArgument,
                  "authentication_info " + auth->id + " has type \"" + auth->type +
                      "\"; SMTP AUTH takes user-auth (username, password) or http-basic "
                      "(user_id, password)");
  }
  s.has_auth = true;
  const char* user_key = auth->type == "user-auth" ? "username" : "user_id";
  if (const bj::string* u = json::get_string(auth->raw, user_key)) s.user = std::string(*u);
  if (const bj::string* p = json::get_string(auth->raw, "password")) s.password = std::string(*p);
  if (use == http_api::SecretUse::kReveal && s.user.empty()) {
    return Status(Code::kInvalidArgument,
                  "authentication_info " + auth->id + " has no " + user_key);
  }
  return s;
}

// One SMTP transaction through libcurl's easy interface (on a pool thread).
struct Transfer {
  std::string data;
  std::size_t sent = 0;
  std::string last_reply;
  std::string last_refusal;  // the last 4xx or 5xx reply (curl QUITs after it)
  std::shared_ptr<CancelToken> cancel;
};

size_t read_message(char* buf, size_t size, size_t count, void* user) {
  auto* t = static_cast<Transfer*>(user);
  size_t n = std::min(size * count, t->data.size() - t->sent);
  std::memcpy(buf, t->data.data() + t->sent, n);
  t->sent += n;
  return n;
}

int on_debug(CURL*, curl_infotype type, char* data, size_t size, void* user) {
  if (type != CURLINFO_HEADER_IN) return 0;
  std::string line(data, size);
  while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.pop_back();
  if (line.empty()) return 0;
  auto* t = static_cast<Transfer*>(user);
  t->last_reply = line;
  if (line[0] == '4' || line[0] == '5') t->last_refusal = line;
  return 0;
}

int on_progress(void* user, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
  auto* t = static_cast<Transfer*>(user);
  return t->cancel && t->cancel->cancelled() ? 1 : 0;
}

struct Envelope {
  std::string from;
  std::vector<std::string> recipients;
};

Status send_mail(const Server& server, const std::string& tls, bool verify_tls,
                 const std::optional<std::string>& ca_file, const Envelope& envelope,
                 const std::string& message, std::shared_ptr<CancelToken> cancel,
                 std::chrono::milliseconds left, std::string* reply) {
  CURL* e = curl_easy_init();
  if (e == nullptr) return Status(Code::kInternal, "curl_easy_init failed");
  Transfer t;
  t.data = message;
  t.cancel = std::move(cancel);
  curl_slist* rcpts = nullptr;
  for (const auto& r : envelope.recipients) rcpts = curl_slist_append(rcpts, ("<" + r + ">").c_str());
  const std::string from = "<" + envelope.from + ">";
  char error[CURL_ERROR_SIZE] = {0};
  curl_easy_setopt(e, CURLOPT_URL, server.url.c_str());
  curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
  curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(e, CURLOPT_ERRORBUFFER, error);
  curl_easy_setopt(e, CURLOPT_MAIL_FROM, from.c_str());
  curl_easy_setopt(e, CURLOPT_MAIL_RCPT, rcpts);
  curl_easy_setopt(e, CURLOPT_UPLOAD, 1L);
  curl_easy_setopt(e, CURLOPT_READFUNCTION, read_message);
  curl_easy_setopt(e, CURLOPT_READDATA, &t);
  curl_easy_setopt(e, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(t.data.size()));
  curl_easy_setopt(e, CURLOPT_VERBOSE, 1L);  // the replies, through on_debug only
  curl_easy_setopt(e, CURLOPT_DEBUGFUNCTION, on_debug);
  curl_easy_setopt(e, CURLOPT_DEBUGDATA, &t);
  curl_easy_setopt(e, CURLOPT_NOPROGRESS, 0L);
  curl_easy_setopt(e, CURLOPT_XFERINFOFUNCTION, on_progress);
  curl_easy_setopt(e, CURLOPT_XFERINFODATA, &t);
  curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, static_cast<long>(std::max<long long>(1, left.count())));
  curl_easy_setopt(e, CURLOPT_SSL_VERIFYPEER, verify_tls ? 1L : 0L);
  curl_easy_setopt(e, CURLOPT_SSL_VERIFYHOST, verify_tls ? 2L : 0L);
  if (ca_file) curl_easy_setopt(e, CURLOPT_CAINFO, ca_file->c_str());
  long use_ssl = tls == "none" ? CURLUSESSL_NONE
                 : tls == "opportunistic" ? CURLUSESSL_TRY
                                          : CURLUSESSL_ALL;
  curl_easy_setopt(e, CURLOPT_USE_SSL, use_ssl);
  if (server.has_auth) {
    curl_easy_setopt(e, CURLOPT_USERNAME, server.user.c_str());
    curl_easy_setopt(e, CURLOPT_PASSWORD, server.password.c_str());
  }
  const CURLcode rc = curl_easy_perform(e);
  long code = 0;
  curl_easy_getinfo(e, CURLINFO_RESPONSE_CODE, &code);
  curl_slist_free_all(rcpts);
  curl_easy_cleanup(e);
  *reply = t.last_refusal.empty() ? t.last_reply : t.last_refusal;
  if (rc == CURLE_OK) return Status::ok();
  const std::string what = "SMTP " + http_api::redact_url(server.url) + ": ";
  if (code >= 400 && code <= 599) {
    // 4xx: transient (RFC 5321 section 4.2.1), worth another attempt.
    return Status(code < 500 ? Code::kUnavailable : Code::kFailed,
                  what + (t.last_refusal.empty() ? std::to_string(code) : t.last_refusal));
  }
  const std::string detail = error[0] ? std::string(error) : curl_easy_strerror(rc);
  switch (rc) {
    case CURLE_OPERATION_TIMEDOUT: return Status(Code::kTimeout, what + detail);
    case CURLE_ABORTED_BY_CALLBACK: return Status(Code::kAborted, what + "cancelled");
    case CURLE_LOGIN_DENIED: return Status(Code::kFailed, what + detail);
    case CURLE_URL_MALFORMAT:
    case CURLE_UNSUPPORTED_PROTOCOL: return Status(Code::kInvalidArgument, what + detail);
    case CURLE_USE_SSL_FAILED: return Status(Code::kFailed, what + detail + " (tls: required)");
    default: return Status(Code::kUnavailable, what + detail);
  }
}

std::vector<std::string> strings(const bj::value* list) {
  std::vector<std::string> out;
  if (list == nullptr) return out;
  for (const auto& v : list->get_array()) {
    if (v.is_string()) out.emplace_back(v.get_string());
  }
  return out;
}

}  // namespace

std::string addr_spec(std::string_view mailbox) {
  std::string_view a = mailbox;
  if (auto lt = a.rfind('<'); lt != std::string_view::npos) {
    auto gt = a.find('>', lt);
    if (gt == std::string_view::npos || gt + 1 != a.size()) return "";
    a = a.substr(lt + 1, gt - lt - 1);
  }
  while (!a.empty() && a.front() == ' ') a.remove_prefix(1);
  while (!a.empty() && a.back() == ' ') a.remove_suffix(1);
  const auto at = a.find('@');
  if (at == std::string_view::npos || at == 0 || at + 1 == a.size() ||
      a.find('@', at + 1) != std::string_view::npos) {
    return "";
  }
  bool ok = std::all_of(a.begin(), a.end(), [](char c) {
    return c > 32 && c < 127 && std::string_view("<>()[],;:\\\"").find(c) == std::string_view::npos;
  });
  return ok ? std::string(a) : "";
}

std::string encode_header(std::string_view text) {
  if (ascii(text)) return std::string(text);
  // Encoded-words of at most 75 characters (RFC 2047 section 2): 45 bytes
  // make 60 base64 characters; a UTF-8 character is never split.
  std::string out;
  std::size_t i = 0;
  while (i < text.size()) {
    std::size_t end = std::min(text.size(), i + 45);
    while (end < text.size() && end > i && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) {
      --end;
    }
    out += (out.empty() ? "" : "\r\n ") + std::string("=?UTF-8?B?") +
           base64_encode(text.substr(i, end - i)) + "?=";
    i = end;
  }
  return out;
}

std::string format_email(const EmailMessage& m) {
  std::string out = "Date: " + m.date + "\r\nFrom: " + mailbox_header(m.from) +
                    "\r\nTo: " + join_mailboxes(m.to) + "\r\n";
  if (!m.cc.empty()) out += "Cc: " + join_mailboxes(m.cc) + "\r\n";
  out += "Subject: " + encode_header(m.subject) + "\r\nMessage-ID: " + m.message_id +
         "\r\nMIME-Version: 1.0\r\n";
  auto part = [](std::string_view type, std::string_view text) {
    return "Content-Type: " + std::string(type) +
           "; charset=UTF-8\r\nContent-Transfer-Encoding: base64\r\n\r\n" + base64_lines(text);
  };
  if (m.html.empty()) return out + part("text/plain", m.body);
  out += "Content-Type: multipart/alternative; boundary=\"" + m.boundary + "\"\r\n\r\n";
  out += "--" + m.boundary + "\r\n" + part("text/plain", m.body);
  out += "--" + m.boundary + "\r\n" + part("text/html", m.html);
  out += "--" + m.boundary + "--\r\n";
  return out;
}

EmailCommand::EmailCommand(BlockingServices services)
    : BlockingCommand(email_spec(), std::move(services)) {}

void EmailCommand::check_operation(const Operation&, const bj::object& raw,
                                   const cacao::Playbook& playbook, const cacao::Step& step,
                                   const std::string& pointer, json::FieldErrors* errors) const {
  for (auto& [where, rule] : message_errors(raw)) errors->push_back({pointer + where, rule});
  const bj::string* server = json::get_string(raw, "server");
  if (server != nullptr && mentions_variable(*server)) return;
  auto s = server_of(server ? std::string(*server) : "", playbook, step,
                     http_api::SecretUse::kCheck, nullptr, "");
  if (!s) {
    errors->push_back({pointer + (server ? "/server" : ""), s.status().message()});
    return;
  }
  const bj::string* tls = json::get_string(raw, "tls");
  if (s->has_auth && tls != nullptr && *tls == "none" && s->url.rfind("smtps://", 0) != 0) {
    errors->push_back({pointer + "/tls", "must not be none when the server takes credentials "
                                         "(the password would travel in clear)"});
  }
}

void EmailCommand::run(Invocation inv, Params p, Done done) {
  auto fail = [&](Status s) {
    Outcome o;
    o.status = std::move(s).with_context("x-atio-email");
    done(std::move(o));
  };
  auto broken = message_errors(p.values);
  if (!broken.empty()) {
    return fail(Status(Code::kInvalidArgument, broken[0].first.substr(1) + " " + broken[0].second));
  }
  if (inv.playbook == nullptr || inv.step == nullptr) {
    return fail(Status(Code::kInvalidArgument, "needs its step and playbook"));
  }
  auto server = server_of(p.string("server"), *inv.playbook, *inv.step,
                          http_api::SecretUse::kReveal, options().secrets,
                          "execution " + inv.execution_id + " step " + inv.step_id);
  if (!server) return fail(server.status());
  const std::string tls = p.has("tls") ? p.string("tls") : "required";
  if (server->has_auth && tls == "none" && server->url.rfind("smtps://", 0) != 0) {
    return fail(Status(Code::kInvalidArgument,
                       "tls must not be none when the server takes credentials"));
  }
  EmailMessage m;
  m.from = p.string("from");
  m.to = strings(p.get("to"));
  m.cc = strings(p.get("cc"));
  m.subject = p.string("subject");
  m.body = p.string("body");
  m.html = p.string("html");
  m.date = rfc5322_now();
  Envelope envelope;
  envelope.from = addr_spec(m.from);
  m.message_id = message_id(inv.idempotency_key, envelope.from);
  m.boundary = "atio-" + base64_encode(m.message_id).substr(0, 24);
  std::replace(m.boundary.begin(), m.boundary.end(), '/', '-');
  std::replace(m.boundary.begin(), m.boundary.end(), '+', '_');
  bj::array recipients;
  for (const auto* list : {&m.to, &m.cc}) {
    for (const auto& r : *list) {
      envelope.recipients.push_back(addr_spec(r));
      recipients.emplace_back(envelope.recipients.back());
    }
  }
  const std::string text = format_email(m);
  const bool verify = options().verify_tls;
  const std::optional<std::string> ca_file = options().ca_file;
  std::vector<std::string> out_args = inv.step->out_args;
  attempt(
      inv,
      [server = *server, tls, verify, ca_file, envelope, text, cancel = inv.cancel](
          std::chrono::milliseconds left, std::string* reply) {
        return send_mail(server, tls, verify, ca_file, envelope, text, cancel, left, reply);
      },
      [url = http_api::redact_url(server->url), id = m.message_id, recipients = std::move(recipients), out_args,
       done = std::move(done)](Exchange ex) {
        Outcome o = attempts_outcome(ex);
        o.outputs["server"] = url;
        o.outputs["message_id"] = id;
        o.outputs["recipients"] = recipients;
        if (o.status.is_ok() && !out_args.empty()) o.out_args[out_args[0]] = id;
        done(std::move(o));
      });
}

}  // namespace atio::actions::connectors
