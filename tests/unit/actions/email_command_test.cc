// x-atio-email against an SMTP server of the test's own on 127.0.0.1 that
// speaks enough of RFC 5321 (EHLO, STARTTLS, AUTH PLAIN and LOGIN, MAIL,
// RCPT, DATA with dot-stuffing undone, QUIT) to check the envelope and the
// RFC 5322 / MIME message a mail system would get; it can answer a
// transaction with a 4xx or 5xx reply.
#include <gtest/gtest.h>

#include <condition_variable>
#include <deque>
#include <mutex>

#include "atio/actions/connectors/email_command.h"
#include "atio/core/base64.h"
#include "support/command_runner.h"
#include "support/stream_server.h"
#include "support/tls_test_ca.h"
#include "unit/actions/connector_fixture.h"

namespace atio::actions::connectors {
namespace {

using atio::testing::Stream;
using atio::testing::StreamServer;
using atio::testing::TestCa;
using testing::errors_text;
using testing::MapSecrets;
using testing::obj;

struct Mail {
  std::string mail_from;
  std::vector<std::string> rcpt_to;
  std::string data;
  std::string auth_user;  // "" when the client did not authenticate
  std::string mechanism;
  bool tls = false;
};

class SmtpServer {
 public:
  // `tls`: offer STARTTLS (and AUTH only after it). `mechanisms`: "PLAIN",
  // "LOGIN" or "PLAIN LOGIN"; empty: no AUTH offered.
  SmtpServer(SSL_CTX* tls, std::string mechanisms, std::string user, std::string password)
      : tls_(tls), mechanisms_(std::move(mechanisms)), user_(std::move(user)),
        password_(std::move(password)), server_([this](Stream& s) { serve(s); }) {}

  int port() const { return server_.port(); }
  // The reply to the next MAIL FROM, instead of 250 (in order, once each).
  void fail_next_mail(std::string reply) {
    std::lock_guard<std::mutex> lock(mu_);
    mail_replies_.push_back(std::move(reply));
  }
  void refuse_recipient(std::string address, std::string reply) {
    std::lock_guard<std::mutex> lock(mu_);
    refused_ = {std::move(address), std::move(reply)};
  }
  std::vector<Mail> mails() {
    std::lock_guard<std::mutex> lock(mu_);
    return mails_;
  }
  std::vector<std::string> violations() {
    std::lock_guard<std::mutex> lock(mu_);
    return violations_;
  }

 private:
  void violation(std::string what) {
    std::lock_guard<std::mutex> lock(mu_);
    violations_.push_back(std::move(what));
  }

  static std::string upper(std::string s) {
    for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return s;
  }

  // "<a@b>" after "MAIL FROM:" / "RCPT TO:"; "" when malformed.
  static std::string path_of(const std::string& line, std::size_t after) {
    auto lt = line.find('<', after), gt = line.find('>', after);
    if (lt != after || gt == std::string::npos) return "";
    return line.substr(lt + 1, gt - lt - 1);
  }

  void serve(Stream& s) {
    s.write("220 test.local ESMTP\r\n");
    Mail mail;
    bool greeted = false;
    std::string line;
    while (s.read_line(&line)) {
      const std::string verb = upper(line.substr(0, line.find(' ')));
      if (verb == "EHLO") {
        greeted = true;
        std::string reply = "250-test.local\r\n";
        if (tls_ && !s.tls()) reply += "250-STARTTLS\r\n";
        if (!mechanisms_.empty() && (!tls_ || s.tls())) reply += "250-AUTH " + mechanisms_ + "\r\n";
        s.write(reply + "250 8BITMIME\r\n");
      } else if (verb == "STARTTLS" && tls_ && !s.tls()) {
        s.write("220 2.0.0 ready\r\n");
        if (!s.start_tls(tls_)) return violation("TLS handshake failed");
        greeted = false;  // RFC 3207: the client must EHLO again
        mail = Mail{};
      } else if (verb == "AUTH") {
        if (!greeted) violation("AUTH before EHLO");
        std::string user, password;
        std::string rest = line.size() > 5 ? line.substr(5) : "";
        std::string mech = upper(rest.substr(0, rest.find(' ')));
        std::string initial = rest.find(' ') == std::string::npos ? "" : rest.substr(rest.find(' ') + 1);
        if (mech == "PLAIN" && mechanisms_.find("PLAIN") != std::string::npos) {
          if (initial.empty()) {
            s.write("334 \r\n");
            s.read_line(&initial);
          }
          std::string decoded = base64_decode(initial).value_or("");
          auto a = decoded.find('\0'), b = decoded.find('\0', a + 1);
          if (a == std::string::npos || b == std::string::npos) return violation("bad PLAIN");
          user = decoded.substr(a + 1, b - a - 1);
          password = decoded.substr(b + 1);
        } else if (mech == "LOGIN" && mechanisms_.find("LOGIN") != std::string::npos) {
          std::string u = initial, p;
          if (u.empty()) {
            s.write("334 VXNlcm5hbWU6\r\n");
            s.read_line(&u);
          }
          s.write("334 UGFzc3dvcmQ6\r\n");
          s.read_line(&p);
          user = base64_decode(u).value_or("");
          password = base64_decode(p).value_or("");
        } else {
          s.write("504 5.5.4 mechanism not offered\r\n");
          continue;
        }
        if (user == user_ && password == password_) {
          mail.auth_user = user;
          mail.mechanism = mech;
          s.write("235 2.7.0 authenticated\r\n");
        } else {
          s.write("535 5.7.8 bad credentials\r\n");
        }
      } else if (verb == "MAIL") {
        if (!greeted) violation("MAIL before EHLO");
        if (!user_.empty() && mail.auth_user.empty()) {
          s.write("530 5.7.0 authentication required\r\n");
          continue;
        }
        std::string reply;
        {
          std::lock_guard<std::mutex> lock(mu_);
          if (!mail_replies_.empty()) {
            reply = mail_replies_.front();
            mail_replies_.pop_front();
          }
        }
        if (!reply.empty()) {
          s.write(reply + "\r\n");
          continue;
        }
        if (upper(line).rfind("MAIL FROM:", 0) != 0) return violation("bad MAIL: " + line);
        mail.mail_from = path_of(line, 10);
        s.write("250 2.1.0 ok\r\n");
      } else if (verb == "RCPT") {
        if (upper(line).rfind("RCPT TO:", 0) != 0) return violation("bad RCPT: " + line);
        std::string to = path_of(line, 8);
        std::pair<std::string, std::string> refused;
        {
          std::lock_guard<std::mutex> lock(mu_);
          refused = refused_;
        }
        if (to == refused.first) {
          s.write(refused.second + "\r\n");
          continue;
        }
        mail.rcpt_to.push_back(to);
        s.write("250 2.1.5 ok\r\n");
      } else if (verb == "DATA") {
        if (mail.mail_from.empty() || mail.rcpt_to.empty()) violation("DATA without envelope");
        s.write("354 end with <CRLF>.<CRLF>\r\n");
        std::string data;
        while (s.read_line(&line) && line != ".") {
          if (line.rfind("..", 0) == 0) line.erase(0, 1);  // dot-stuffing (RFC 5321 4.5.2)
          data += line + "\r\n";
        }
        mail.data = data;
        mail.tls = s.tls();
        {
          std::lock_guard<std::mutex> lock(mu_);
          mails_.push_back(mail);
        }
        s.write("250 2.0.0 queued\r\n");
        mail.mail_from.clear();
        mail.rcpt_to.clear();
      } else if (verb == "RSET") {
        mail.mail_from.clear();
        mail.rcpt_to.clear();
        s.write("250 ok\r\n");
      } else if (verb == "QUIT") {
        s.write("221 bye\r\n");
        return;
      } else {
        s.write("502 5.5.2 not implemented\r\n");
      }
    }
  }

  SSL_CTX* tls_;
  std::string mechanisms_, user_, password_;
  std::mutex mu_;
  std::deque<std::string> mail_replies_;
  std::pair<std::string, std::string> refused_;
  std::vector<Mail> mails_;
  std::vector<std::string> violations_;
  StreamServer server_;  // last: its threads stop first
};

// Headers of an RFC 5322 message (unfolded) and its body.
struct Message {
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  std::string header(std::string_view name) const {
    for (const auto& [n, v] : headers) {
      if (n == name) return v;
    }
    return "";
  }
};

Message parse_message(const std::string& data) {
  Message m;
  std::size_t i = 0;
  while (i < data.size()) {
    auto eol = data.find("\r\n", i);
    std::string line = data.substr(i, eol - i);
    i = eol + 2;
    if (line.empty()) break;
    if (line[0] == ' ' || line[0] == '\t') {  // unfolding removes only the CRLF
      m.headers.back().second += line;
      continue;
    }
    auto colon = line.find(':');
    m.headers.emplace_back(line.substr(0, colon), line.substr(colon + 2));
  }
  m.body = data.substr(i);
  return m;
}

// RFC 2047 B encoded-words (UTF-8) back to text.
std::string decode_words(std::string v) {
  std::string out;
  std::size_t i = 0;
  while (i < v.size()) {
    auto start = v.find("=?UTF-8?B?", i);
    if (start == std::string::npos) {
      out += v.substr(i);
      break;
    }
    std::string between = v.substr(i, start - i);
    // White space between two adjacent encoded-words is not shown (RFC 2047 6.2).
    if (!(i > 0 && between.find_first_not_of(" \t") == std::string::npos)) out += between;
    auto end = v.find("?=", start + 10);
    out += base64_decode(v.substr(start + 10, end - start - 10)).value_or("<bad>");
    i = end + 2;
  }
  return out;
}

std::string unbase64_lines(const std::string& text) {
  std::string joined;
  for (char c : text) {
    if (c != '\r' && c != '\n') joined += c;
  }
  return base64_decode(joined).value_or("<bad base64>");
}

constexpr const char* kAuth = "user-auth--55555555-5555-4555-8555-555555555555";
constexpr const char* kMailTarget = "net-address--66666666-6666-4666-8666-666666666666";

struct EmailWorld : testing::BlockingWorld {
  MapSecrets secrets;

  explicit EmailWorld(bool with_auth = true) {
    services.options.secrets = &secrets;
    cacao::AgentTarget t;
    t.id = kMailTarget;
    t.type = "net-address";
    t.raw = obj(R"({"type":"net-address","name":"mail relay","address":{"dname":["mail.example.org"]}})");
    if (with_auth) {
      t.raw["authentication_info"] = kAuth;
      cacao::AuthInfo auth;
      auth.id = kAuth;
      auth.type = "user-auth";
      auth.raw = obj(R"({"type":"user-auth","username":"soc-bot","kms":true,"kms_key_identifier":"smtp"})");
      playbook.auth_infos[kAuth] = auth;
      secrets.values["smtp"] = bj::value("s3cret pass");
    }
    playbook.targets[kMailTarget] = t;
    step.targets = {kMailTarget};
  }

  Outcome run(const std::string& command, std::chrono::milliseconds timeout = std::chrono::seconds(10)) {
    return run_with<EmailCommand>(command, timeout);
  }
  json::FieldErrors validate(const std::string& command) const {
    return validate_with<EmailCommand>(command);
  }
};

std::string server_param(int port) {
  return R"("server":"smtp://127.0.0.1:)" + std::to_string(port) + "\"";
}

TEST(EmailCommandTest, SendsAMimeMessageOverStartTlsWithAuthPlain) {
  TestCa ca;
  ASSERT_TRUE(ca.ok());
  SSL_CTX* ctx = ca.server_context();
  {
    SmtpServer smtp(ctx, "PLAIN", "soc-bot", "s3cret pass");
    EmailWorld world;
    world.services.options.ca_file = ca.ca_file();
    world.step.out_args = {"__message_id__"};
    Outcome o = world.run(R"({"type":"x-atio-email",)" + server_param(smtp.port()) + R"(,
        "from":"atio <atio@soc.example.org>", "to":["analyst@example.org","Sébastien <seb@example.org>"],
        "cc":["lead@example.org"], "subject":"Blocked 10.0.0.5 – ET SCAN répété",
        "body":"The source was blocked.\n.\nA line that was a lone dot.",
        "html":"<p>The source was <b>blocked</b>.</p>"})");
    ASSERT_TRUE(o.status.is_ok()) << o.status.to_string();
    EXPECT_TRUE(smtp.violations().empty()) << smtp.violations().front();
    auto mails = smtp.mails();
    ASSERT_EQ(mails.size(), 1u);
    const Mail& mail = mails[0];
    EXPECT_TRUE(mail.tls);
    EXPECT_EQ(mail.auth_user, "soc-bot");
    EXPECT_EQ(mail.mechanism, "PLAIN");
    EXPECT_EQ(mail.mail_from, "atio@soc.example.org");
    EXPECT_EQ(mail.rcpt_to, (std::vector<std::string>{"analyst@example.org", "seb@example.org",
                                                      "lead@example.org"}));
    Message m = parse_message(mail.data);
    EXPECT_EQ(m.header("From"), "atio <atio@soc.example.org>");
    EXPECT_EQ(decode_words(m.header("To")), "analyst@example.org, Sébastien <seb@example.org>");
    EXPECT_EQ(m.header("Cc"), "lead@example.org");
    EXPECT_EQ(decode_words(m.header("Subject")), "Blocked 10.0.0.5 – ET SCAN répété");
    EXPECT_NE(m.header("Subject").rfind("=?UTF-8?B?", 0), std::string::npos);
    EXPECT_EQ(m.header("MIME-Version"), "1.0");
    EXPECT_FALSE(m.header("Date").empty());
    EXPECT_EQ(m.header("Message-ID"), o.out_args.at("__message_id__").as_string());
    EXPECT_NE(m.header("Message-ID").find("@soc.example.org>"), std::string::npos);
    const std::string type = m.header("Content-Type");
    ASSERT_EQ(type.rfind("multipart/alternative; boundary=\"", 0), 0u) << type;
    const std::string boundary = type.substr(type.find('"') + 1, type.rfind('"') - type.find('"') - 1);
    // The two parts, each UTF-8 in base64.
    auto first = m.body.find("--" + boundary + "\r\n");
    auto second = m.body.find("--" + boundary + "\r\n", first + 1);
    auto end = m.body.find("--" + boundary + "--");
    ASSERT_TRUE(first != std::string::npos && second != std::string::npos && end != std::string::npos);
    Message text = parse_message(m.body.substr(first + boundary.size() + 4, second - first - boundary.size() - 4));
    Message html = parse_message(m.body.substr(second + boundary.size() + 4, end - second - boundary.size() - 4));
    EXPECT_EQ(text.header("Content-Type"), "text/plain; charset=UTF-8");
    EXPECT_EQ(text.header("Content-Transfer-Encoding"), "base64");
    EXPECT_EQ(unbase64_lines(text.body), "The source was blocked.\n.\nA line that was a lone dot.");
    EXPECT_EQ(html.header("Content-Type"), "text/html; charset=UTF-8");
    EXPECT_EQ(unbase64_lines(html.body), "<p>The source was <b>blocked</b>.</p>");
  }
  SSL_CTX_free(ctx);
}

TEST(EmailCommandTest, AuthLoginAndAPlainTextMessage) {
  TestCa ca;
  ASSERT_TRUE(ca.ok());
  SSL_CTX* ctx = ca.server_context();
  {
    SmtpServer smtp(ctx, "LOGIN", "soc-bot", "s3cret pass");
    EmailWorld world;
    world.services.options.ca_file = ca.ca_file();
    Outcome o = world.run(R"({"type":"x-atio-email",)" + server_param(smtp.port()) + R"(,
        "from":"atio@soc.example.org", "to":["analyst@example.org"], "subject":"plain",
        "body":"hello"})");
    ASSERT_TRUE(o.status.is_ok()) << o.status.to_string();
    auto mails = smtp.mails();
    ASSERT_EQ(mails.size(), 1u);
    EXPECT_EQ(mails[0].mechanism, "LOGIN");
    Message m = parse_message(mails[0].data);
    EXPECT_EQ(m.header("Subject"), "plain");
    EXPECT_EQ(m.header("Content-Type"), "text/plain; charset=UTF-8");
    EXPECT_EQ(unbase64_lines(m.body), "hello");
  }
  SSL_CTX_free(ctx);
}

TEST(EmailCommandTest, A4xxReplyIsRetriedThenTheMailIsAccepted) {
  SmtpServer smtp(nullptr, "", "", "");
  smtp.fail_next_mail("451 4.3.0 greylisted, try again later");
  EmailWorld world{/*with_auth=*/false};
  Outcome o = world.run(R"({"type":"x-atio-email",)" + server_param(smtp.port()) + R"(,
      "tls":"none", "from":"atio@soc.example.org", "to":["analyst@example.org"],
      "subject":"retry", "body":"b"})");
  ASSERT_TRUE(o.status.is_ok()) << o.status.to_string();
  EXPECT_EQ(o.outputs.at("attempts").as_int64(), 2);
  ASSERT_EQ(smtp.mails().size(), 1u);
  // The same message on the retry: the same Message-ID.
  EXPECT_EQ(parse_message(smtp.mails()[0].data).header("Message-ID"),
            o.outputs.at("message_id").as_string());
}

TEST(EmailCommandTest, A5xxReplyFailsAtOnceNamingTheReply) {
  SmtpServer smtp(nullptr, "", "", "");
  smtp.refuse_recipient("gone@example.org", "550 5.1.1 <gone@example.org>: user unknown");
  EmailWorld world{/*with_auth=*/false};
  Outcome o = world.run(R"({"type":"x-atio-email",)" + server_param(smtp.port()) + R"(,
      "tls":"none", "from":"atio@soc.example.org", "to":["gone@example.org"],
      "subject":"s", "body":"b"})");
  EXPECT_EQ(o.status.code(), Code::kFailed);
  EXPECT_NE(o.status.message().find("550 5.1.1 <gone@example.org>: user unknown"), std::string::npos)
      << o.status.message();
  EXPECT_EQ(o.outputs.at("attempts").as_int64(), 1);
  EXPECT_TRUE(smtp.mails().empty());
}

TEST(EmailCommandTest, RequiredTlsIsNotGivenUpWhenTheServerOffersNoStartTls) {
  SmtpServer smtp(nullptr, "PLAIN", "soc-bot", "s3cret pass");  // no STARTTLS offered
  EmailWorld world;
  Outcome o = world.run(R"({"type":"x-atio-email",)" + server_param(smtp.port()) + R"(,
      "from":"atio@soc.example.org", "to":["analyst@example.org"], "subject":"s", "body":"b"})");
  EXPECT_FALSE(o.status.is_ok());
  EXPECT_TRUE(smtp.mails().empty());
}

TEST(EmailCommandTest, ValidationNamesTheParameterAndTheRule) {
  EmailWorld world;
  auto errors = world.validate(R"({"type":"x-atio-email","from":"not an address",
      "to":["ok@example.org","bad"],"subject":"two\r\nlines","body":"b","tls":"none",
      "server":"smtp://mail.example.org:25"})");
  ASSERT_EQ(errors.size(), 4u) << errors_text(errors);
  EXPECT_EQ(errors[0].pointer, "/workflow/x/commands/0/to/1");
  EXPECT_EQ(errors[1].pointer, "/workflow/x/commands/0/from");
  EXPECT_EQ(errors[2].pointer, "/workflow/x/commands/0/subject");
  EXPECT_EQ(errors[3].pointer, "/workflow/x/commands/0/tls");

  errors = world.validate(R"({"type":"x-atio-email","from":"a@b.org","to":"x@y.org","body":"b"})");
  ASSERT_EQ(errors.size(), 2u) << errors_text(errors);
  EXPECT_EQ(errors[0].pointer, "/workflow/x/commands/0/to");
  EXPECT_EQ(errors[1].pointer, "/workflow/x/commands/0/subject");

  errors = world.validate(R"({"type":"x-atio-email","from":"a@b.org","to":["x@y.org"],
      "subject":"s","body":"b","server":"http://mail/"})");
  ASSERT_EQ(errors.size(), 1u) << errors_text(errors);
  EXPECT_EQ(errors[0].pointer, "/workflow/x/commands/0/server");

  // The net-address target alone is enough: smtp://mail.example.org:587.
  EXPECT_TRUE(world.validate(R"({"type":"x-atio-email","from":"a@b.org","to":["__who__:value"],
      "subject":"s","body":"b"})").empty());
}

TEST(EmailCommandTest, HeadersAreEncodedAndAddressesRead) {
  EXPECT_EQ(addr_spec("SOC <soc@example.org>"), "soc@example.org");
  EXPECT_EQ(addr_spec("soc@example.org"), "soc@example.org");
  EXPECT_EQ(addr_spec("soc@exa mple.org"), "");
  EXPECT_EQ(addr_spec("a@b@c"), "");
  EXPECT_EQ(encode_header("plain"), "plain");
  std::string long_subject;
  for (int i = 0; i < 40; ++i) long_subject += "é";
  std::string encoded = encode_header(long_subject);
  EXPECT_EQ(decode_words(std::string(encoded).erase(encoded.find("\r\n "), 3)), long_subject);
  std::size_t start = 0;
  while (start < encoded.size()) {  // every encoded-word is at most 75 characters
    auto end = encoded.find("\r\n ", start);
    std::string word = encoded.substr(start, end == std::string::npos ? std::string::npos : end - start);
    EXPECT_LE(word.size(), 75u) << word;
    start = end == std::string::npos ? encoded.size() : end + 3;
  }
}

}  // namespace
}  // namespace atio::actions::connectors
