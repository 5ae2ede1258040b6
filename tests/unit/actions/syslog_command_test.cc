// x-atio-syslog against collectors of the test's own on 127.0.0.1: a TCP and
// a TLS collector that read RFC 6587 octet-counted frames (RFC 5425 inside
// TLS) and parse each message by RFC 5424's grammar, written here apart from
// atio's formatter; a UDP collector; a collector that is down, then up.
#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <condition_variable>
#include <map>
#include <mutex>
#include <thread>

#include "atio/actions/connectors/syslog_command.h"
#include "support/command_runner.h"
#include "support/loopback_socket.h"
#include "support/stream_server.h"
#include "support/tls_test_ca.h"
#include "unit/actions/connector_fixture.h"

namespace atio::actions::connectors {
namespace {

using atio::testing::Stream;
using atio::testing::StreamServer;
using atio::testing::TestCa;
using testing::errors_text;
using testing::obj;

// One message by RFC 5424 section 6's ABNF.
struct Parsed {
  int pri = -1;
  std::string version, timestamp, hostname, app_name, procid, msgid;
  std::map<std::string, std::map<std::string, std::string>> sd;
  std::string msg;
  bool bom = false;
  std::string error;  // "" when the text follows the grammar
};

Parsed parse_5424(const std::string& text) {
  Parsed p;
  std::size_t i = 0;
  auto fail = [&](std::string why) {
    p.error = why + " at " + std::to_string(i) + " in: " + text;
    return p;
  };
  if (text.empty() || text[0] != '<') return fail("no PRI");
  auto close = text.find('>');
  if (close == std::string::npos || close > 4) return fail("bad PRI");
  p.pri = std::stoi(text.substr(1, close - 1));
  i = close + 1;
  auto field = [&](std::string* out) {
    auto sp = text.find(' ', i);
    if (sp == std::string::npos) return false;
    *out = text.substr(i, sp - i);
    i = sp + 1;
    return !out->empty();
  };
  for (std::string* f : {&p.version, &p.timestamp, &p.hostname, &p.app_name, &p.procid, &p.msgid}) {
    if (!field(f)) return fail("missing header field");
  }
  if (p.version != "1") return fail("VERSION is not 1");
  if (text[i] == '-') {
    ++i;
  } else {
    while (i < text.size() && text[i] == '[') {
      ++i;
      auto end = text.find_first_of(" ]", i);
      std::string id = text.substr(i, end - i);
      i = end;
      auto& params = p.sd[id];
      while (text[i] == ' ') {
        ++i;
        auto eq = text.find('=', i);
        std::string name = text.substr(i, eq - i);
        i = eq + 1;
        if (text[i] != '"') return fail("PARAM-VALUE without quote");
        ++i;
        std::string value;
        while (i < text.size() && text[i] != '"') {
          if (text[i] == '\\' && i + 1 < text.size() &&
              (text[i + 1] == '"' || text[i + 1] == '\\' || text[i + 1] == ']')) {
            ++i;
          } else if (text[i] == ']') {
            return fail("unescaped ] in PARAM-VALUE");
          }
          value += text[i++];
        }
        ++i;  // closing quote
        params[name] = value;
      }
      if (text[i] != ']') return fail("SD-ELEMENT not closed");
      ++i;
    }
  }
  if (i < text.size()) {
    if (text[i] != ' ') return fail("no space before MSG");
    p.msg = text.substr(i + 1);
    if (p.msg.rfind("\xEF\xBB\xBF", 0) == 0) {
      p.bom = true;
      p.msg = p.msg.substr(3);
    }
  }
  return p;
}

// Collects the octet-counted frames of every connection (plain or TLS).
class Collector {
 public:
  explicit Collector(SSL_CTX* tls = nullptr, bool listen_now = true)
      : tls_(tls), server_([this](Stream& s) { serve(s); }, listen_now) {}

  int port() const { return server_.port(); }
  void listen() { server_.listen(); }

  // The first `n` frames, or fewer when they did not come within 10 s.
  std::vector<std::string> frames(std::size_t n) {
    std::unique_lock<std::mutex> lock(mu_);
    cv_.wait_for(lock, std::chrono::seconds(10), [&] { return frames_.size() >= n; });
    return frames_;
  }
  std::vector<std::string> errors() {
    std::lock_guard<std::mutex> lock(mu_);
    return errors_;
  }

 private:
  void serve(Stream& s) {
    if (tls_ && !s.start_tls(tls_)) {
      std::lock_guard<std::mutex> lock(mu_);
      errors_.push_back("TLS handshake failed");
      return;
    }
    std::string length, frame;
    while (s.read_until(' ', &length)) {
      bool digits = !length.empty() && length.find_first_not_of("0123456789") == std::string::npos;
      if (!digits || !s.read_exact(std::stoul(length), &frame)) {
        std::lock_guard<std::mutex> lock(mu_);
        errors_.push_back("not an octet-counted frame: " + length);
        return;
      }
      std::lock_guard<std::mutex> lock(mu_);
      frames_.push_back(frame);
      cv_.notify_all();
    }
  }

  SSL_CTX* tls_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<std::string> frames_;
  std::vector<std::string> errors_;
  StreamServer server_;  // last: its threads stop before the rest goes
};

struct SyslogWorld : testing::BlockingWorld {
  using BlockingWorld::BlockingWorld;
  Outcome run(const std::string& command, std::chrono::milliseconds timeout = std::chrono::seconds(10)) {
    return run_with<SyslogCommand>(command, timeout);
  }
  json::FieldErrors validate(const std::string& command) const {
    return validate_with<SyslogCommand>(command);
  }
};

TEST(SyslogCommandTest, TcpSendsOneOctetCountedRfc5424MessageWithEscapedStructuredData) {
  Collector collector;
  SyslogWorld world;
  world.step.out_args = {"__sent__"};
  Outcome o = world.run(R"({"type":"x-atio-syslog",
      "collector":"tcp://127.0.0.1:)" + std::to_string(collector.port()) + R"(",
      "message":"blocked 10.0.0.5 – café", "severity":"warning", "facility":"local4",
      "app_name":"soc playbook", "msgid":"BLOCK", "hostname":"atio-1",
      "structured_data":{"alert@32473":{"sig":"ET \"SCAN\" ]\\x","count":3,"fp":false}}})");
  ASSERT_TRUE(o.status.is_ok()) << o.status.to_string();
  auto frames = collector.frames(1);
  ASSERT_EQ(frames.size(), 1u) << errors_text({});
  Parsed m = parse_5424(frames[0]);
  ASSERT_EQ(m.error, "");
  EXPECT_EQ(m.pri, 20 * 8 + 4);  // local4.warning
  EXPECT_EQ(m.hostname, "atio-1");
  EXPECT_EQ(m.app_name, "soc_playbook");  // no spaces in a header field
  EXPECT_EQ(m.procid, "-");
  EXPECT_EQ(m.msgid, "BLOCK");
  EXPECT_EQ(m.timestamp.size(), 24u) << m.timestamp;  // 2024-05-01T10:00:00.000Z
  EXPECT_EQ(m.timestamp.back(), 'Z');
  EXPECT_EQ(m.sd["alert@32473"]["sig"], "ET \"SCAN\" ]\\x");
  EXPECT_EQ(m.sd["alert@32473"]["count"], "3");
  EXPECT_EQ(m.sd["alert@32473"]["fp"], "false");
  EXPECT_EQ(m.sd["atio@32473"]["execution"], "exec-1");
  EXPECT_EQ(m.sd["atio@32473"]["step"], world.step.id);
  EXPECT_TRUE(m.bom);  // a UTF-8 MSG starts with the BOM (section 6.4)
  EXPECT_EQ(m.msg, "blocked 10.0.0.5 – café");
  EXPECT_EQ(o.out_args.at("__sent__").as_string(), frames[0]);
  EXPECT_TRUE(collector.errors().empty());
}

TEST(SyslogCommandTest, TlsVerifiesTheCollectorAgainstTheCaFile) {
  TestCa ca;
  ASSERT_TRUE(ca.ok());
  SSL_CTX* server_ctx = ca.server_context();
  {
    Collector collector(server_ctx);
    SyslogWorld world;
    world.services.options.ca_file = ca.ca_file();
    const std::string command = R"({"type":"x-atio-syslog","message":"over TLS","severity":3,
        "collector":"tls://127.0.0.1:)" + std::to_string(collector.port()) + R"("})";
    Outcome o = world.run(command);
    ASSERT_TRUE(o.status.is_ok()) << o.status.to_string();
    auto frames = collector.frames(1);
    ASSERT_EQ(frames.size(), 1u);
    Parsed m = parse_5424(frames[0]);
    ASSERT_EQ(m.error, "");
    EXPECT_EQ(m.pri, 1 * 8 + 3);  // user.error
    EXPECT_EQ(m.msg, "over TLS");
    EXPECT_FALSE(m.bom);

    // Without the test CA the collector's certificate is not trusted: the
    // step fails naming the reason, and nothing reaches the collector.
    SyslogWorld untrusting;
    Outcome refused = untrusting.run(command, std::chrono::milliseconds(500));
    EXPECT_EQ(refused.status.code(), Code::kUnavailable);
    EXPECT_NE(refused.status.message().find("certificate"), std::string::npos)
        << refused.status.message();
    EXPECT_EQ(collector.frames(1).size(), 1u);
  }
  SSL_CTX_free(server_ctx);
}

TEST(SyslogCommandTest, ACollectorThatIsDownThenUpGetsTheMessage) {
  Collector collector(nullptr, /*listen_now=*/false);  // bound, refusing connections
  RetryPolicy patient = testing::fast_policy();
  patient.max_attempts = 100;
  SyslogWorld world{patient};
  std::optional<Outcome> outcome;
  std::thread step([&] {
    outcome = world.run(R"({"type":"x-atio-syslog","message":"eventually",
        "collector":"tcp://127.0.0.1:)" + std::to_string(collector.port()) + R"("})",
                        std::chrono::seconds(20));
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(300));  // order, not timing
  collector.listen();
  step.join();
  ASSERT_TRUE(outcome->status.is_ok()) << outcome->status.to_string();
  EXPECT_GE(outcome->outputs.at("attempts").as_int64(), 2);
  auto frames = collector.frames(1);
  ASSERT_EQ(frames.size(), 1u);
  EXPECT_EQ(parse_5424(frames[0]).msg, "eventually");

  // Down for the whole timeout: the step fails naming the refusal and why
  // it gave up.
  StreamServer down([](Stream&) {}, /*listen_now=*/false);
  Outcome failed = world.run(R"({"type":"x-atio-syslog","message":"lost",
      "collector":"tcp://127.0.0.1:)" + std::to_string(down.port()) + R"("})",
                             std::chrono::milliseconds(400));
  EXPECT_EQ(failed.status.code(), Code::kUnavailable);
  EXPECT_NE(failed.status.message().find("Connection refused"), std::string::npos)
      << failed.status.message();
  EXPECT_NE(failed.status.message().find("gave up"), std::string::npos);
}

TEST(SyslogCommandTest, UdpSendsOneDatagramToTheNetAddressTargetsUrl) {
  int port = 0;
  const int fd = atio::testing::bound_loopback(SOCK_DGRAM, &port, 10);
  ASSERT_GE(fd, 0);

  SyslogWorld world;
  cacao::AgentTarget siem;
  siem.id = "net-address--44444444-4444-4444-8444-444444444444";
  siem.type = "net-address";
  siem.raw = obj(R"({"type":"net-address","name":"SIEM","address":{"url":["udp://127.0.0.1:)" +
                 std::to_string(port) + R"("]}})");
  world.playbook.targets[siem.id] = siem;
  world.step.targets = {siem.id};
  Outcome o = world.run(R"({"type":"x-atio-syslog","message":"by datagram","severity":"debug"})");
  ASSERT_TRUE(o.status.is_ok()) << o.status.to_string();
  char buf[2048];
  const ssize_t n = ::recv(fd, buf, sizeof buf, 0);
  ::close(fd);
  ASSERT_GT(n, 0);
  Parsed m = parse_5424(std::string(buf, static_cast<std::size_t>(n)));  // no framing over UDP
  ASSERT_EQ(m.error, "");
  EXPECT_EQ(m.pri, 1 * 8 + 7);
  EXPECT_EQ(m.msg, "by datagram");
}

TEST(SyslogCommandTest, CollectorComesFromTheParameterOrTheNetAddressTarget) {
  cacao::Playbook pb;
  cacao::Step step;
  EXPECT_EQ(syslog_collector("tls://siem.example.org:6514", pb, step).value(),
            "tls://siem.example.org:6514");
  EXPECT_FALSE(syslog_collector("", pb, step).is_ok());
  cacao::AgentTarget t;
  t.id = "net-address--1";
  t.type = "net-address";
  t.raw = obj(R"({"type":"net-address","address":{"ipv4":["10.0.0.9"]}})");
  pb.targets[t.id] = t;
  step.targets = {t.id};
  EXPECT_EQ(syslog_collector("", pb, step).value(), "udp://10.0.0.9:514");
  pb.targets[t.id].raw = obj(R"({"type":"net-address","address":{"url":["ftp://x.org:1"]}})");
  EXPECT_FALSE(syslog_collector("", pb, step).is_ok());
}

TEST(SyslogCommandTest, ValidationNamesTheParameterAndTheRule) {
  SyslogWorld world;
  auto errors = world.validate(R"({"type":"x-atio-syslog","message":"m","severity":"loud",
      "facility":24,"collector":"tcp://h:1","structured_data":{"bad id":{"k":"v"},
      "ok@1":{"x=y":"v","n":{"deep":1}}}})");
  ASSERT_EQ(errors.size(), 5u) << errors_text(errors);
  EXPECT_EQ(errors[0].pointer, "/workflow/x/commands/0/severity");
  EXPECT_NE(errors[0].message.find("RFC 5424 severity"), std::string::npos);
  EXPECT_EQ(errors[1].pointer, "/workflow/x/commands/0/facility");
  EXPECT_EQ(errors[2].pointer, "/workflow/x/commands/0/structured_data/bad id");
  EXPECT_NE(errors[2].message.find("SD-ID is not an SD-NAME"), std::string::npos);
  EXPECT_EQ(errors[3].pointer, "/workflow/x/commands/0/structured_data/ok@1/x=y");
  EXPECT_EQ(errors[4].pointer, "/workflow/x/commands/0/structured_data/ok@1/n");

  errors = world.validate(R"({"type":"x-atio-syslog","message":"m"})");
  ASSERT_EQ(errors.size(), 1u) << errors_text(errors);
  EXPECT_NE(errors[0].message.find("needs a collector parameter or a net-address target"),
            std::string::npos);
  errors = world.validate(R"({"type":"x-atio-syslog","message":"m","collector":"http://x/"})");
  ASSERT_EQ(errors.size(), 1u) << errors_text(errors);
  EXPECT_EQ(errors[0].pointer, "/workflow/x/commands/0/collector");
  errors = world.validate(R"({"type":"x-atio-syslog","severity":"err","collector":"h:514"})");
  ASSERT_EQ(errors.size(), 1u) << errors_text(errors);
  EXPECT_EQ(errors[0].pointer, "/workflow/x/commands/0/message");
  EXPECT_TRUE(world.validate(R"({"type":"x-atio-syslog","message":"m","severity":"__s__:value",
      "collector":"tls://siem.example.org:6514"})").empty());
}

}  // namespace
}  // namespace atio::actions::connectors
