// A jailed script reaches the hosts its step's x-atio-jail agent lists, through
// the jail's proxy, and nothing else (egress.h).
#include "atio/actions/script/egress.h"

#include <gtest/gtest.h>

#include <boost/json/serialize.hpp>

#include "support/http_receiver.h"
#include "support/script_fixture.h"

namespace atio::actions {
namespace {

using testing::HttpReceiver;
using testing::Reply;
using testing::ScriptFixture;

std::vector<AllowedHost> hosts(std::initializer_list<const char*> list) {
  std::vector<AllowedHost> out;
  for (const char* h : list) {
    auto parsed = parse_allowed_host(h);
    EXPECT_TRUE(parsed.is_ok()) << h << ": " << parsed.status().to_string();
    if (parsed) out.push_back(*parsed);
  }
  return out;
}

TEST(AllowedHostTest, RulesOfTheDocumentedForms) {
  auto allowed = hosts({"misp.example.org", "iris.example.org:8443", "*.corp.example",
                        "10.1.2.3:9200", "[::1]:443"});
  EXPECT_TRUE(host_allowed(allowed, "misp.example.org", 443));
  EXPECT_TRUE(host_allowed(allowed, "MISP.Example.org", 80));
  EXPECT_FALSE(host_allowed(allowed, "misp.example.org", 8080)) << "a bare name: 80 and 443 only";
  EXPECT_TRUE(host_allowed(allowed, "iris.example.org", 8443));
  EXPECT_FALSE(host_allowed(allowed, "iris.example.org", 443));
  EXPECT_TRUE(host_allowed(allowed, "a.b.corp.example", 443));
  EXPECT_FALSE(host_allowed(allowed, "corp.example", 443)) << "*. is for names under it";
  EXPECT_FALSE(host_allowed(allowed, "evilcorp.example", 443));
  EXPECT_TRUE(host_allowed(allowed, "10.1.2.3", 9200));
  EXPECT_FALSE(host_allowed(allowed, "10.1.2.30", 9200));
  EXPECT_TRUE(host_allowed(allowed, "::1", 443));
  EXPECT_FALSE(host_allowed(allowed, "misp.example.org.evil.example", 443));
}

TEST(AllowedHostTest, BadEntriesAreRefused) {
  for (const char* bad : {"", "host:", "host:0", "host:70000", "host:abc", "a b", "http://x",
                          "[::1", "x/y"}) {
    EXPECT_FALSE(parse_allowed_host(bad).is_ok()) << bad;
  }
}

class JailEgressTest : public ScriptFixture {
 protected:
  // Runs `script` (python) as a step whose x-atio-jail agent lists `allowed`.
  Outcome run_with_hosts(const std::string& script, const std::vector<std::string>& allowed) {
    playbook_.agents.clear();
    cacao::AgentTarget agent;
    agent.id = "x-atio-jail--11111111-1111-4111-8111-111111111111";
    agent.type = "x-atio-jail";
    bj::array list;
    for (const auto& h : allowed) list.emplace_back(bj::string(h));
    agent.raw = {{"type", "x-atio-jail"}, {"allowed_hosts", list}};
    playbook_.agents[agent.id] = agent;
    Invocation inv = invocation(python_type(), {{"type", "x-atio-python"}, {"command", script}});
    step_ = *inv.step;
    step_.agent = agent.id;
    inv.step = &step_;
    inv.playbook = &playbook_;
    auto o = atio::testing::run_command(python_type(), std::move(inv), std::chrono::seconds(60));
    EXPECT_TRUE(o.has_value());
    return o ? std::move(*o) : Outcome{};
  }

  HttpReceiver receiver_;
  cacao::Playbook playbook_;
  cacao::Step step_;
};

TEST_F(JailEgressTest, ListedHostIsReachedThroughTheProxy) {
  receiver_.set_reply("/events", Reply::json(R"({"found": 3})"));
  std::string hp = "127.0.0.1:" + std::to_string(receiver_.port());
  Outcome o = run_with_hosts(
      "import json, urllib.request\n"
      "body = urllib.request.urlopen('" + receiver_.url("/events?q=1") + "', timeout=10).read()\n"
      "print(body.decode())\n",
      {hp});
  ASSERT_TRUE(o.status.is_ok()) << o.status.to_string() << "\n" << bj::serialize(o.outputs);
  EXPECT_EQ(o.outputs.at("json").at("found"), bj::value(3));
  ASSERT_EQ(receiver_.request_count(), 1u);
  EXPECT_EQ(receiver_.requests()[0].target, "/events?q=1") << "origin-form upstream";
}

TEST_F(JailEgressTest, ConnectTunnelCarriesBytesBothWays) {
  receiver_.set_reply("/tunnel", Reply::json(R"({"via": "connect"})"));
  std::string port = std::to_string(receiver_.port());
  Outcome o = run_with_hosts(
      "import socket\n"
      "s = socket.create_connection(('127.0.0.1', 3128), timeout=10)\n"
      "s.sendall(b'CONNECT 127.0.0.1:" + port + " HTTP/1.1\\r\\nHost: x\\r\\n\\r\\n')\n"
      "head = s.recv(4096)\n"
      "assert head.startswith(b'HTTP/1.1 200'), head\n"
      "s.sendall(b'GET /tunnel HTTP/1.1\\r\\nHost: x\\r\\nConnection: close\\r\\n\\r\\n')\n"
      "data = b''\n"
      "while True:\n"
      "    chunk = s.recv(4096)\n"
      "    if not chunk: break\n"
      "    data += chunk\n"
      "print(data.split(b'\\r\\n\\r\\n', 1)[1].decode())\n",
      {"127.0.0.1:" + port});
  ASSERT_TRUE(o.status.is_ok()) << o.status.to_string() << "\n" << bj::serialize(o.outputs);
  EXPECT_EQ(o.outputs.at("json").at("via"), bj::value("connect"));
}

TEST_F(JailEgressTest, HostNotListedIsRefusedWithTheRule) {
  HttpReceiver other;
  Outcome o = run_with_hosts(
      "import urllib.request, urllib.error\n"
      "try:\n"
      "    urllib.request.urlopen('" + other.url("/x") + "', timeout=10)\n"
      "except urllib.error.HTTPError as e:\n"
      "    print(e.code, e.read().decode())\n",
      {"127.0.0.1:" + std::to_string(receiver_.port())});
  ASSERT_TRUE(o.status.is_ok()) << o.status.to_string();
  std::string out(o.outputs.at("stdout").as_string());
  EXPECT_EQ(out.rfind("403 ", 0), 0u) << out;
  EXPECT_NE(out.find("allowed_hosts"), std::string::npos) << out;
  EXPECT_EQ(other.request_count(), 0u);
}

TEST_F(JailEgressTest, BypassingTheProxyReachesNothing) {
  Outcome o = run_with_hosts(
      "import socket\n"
      "socket.create_connection(('127.0.0.1', " + std::to_string(receiver_.port()) +
          "), timeout=5)\n"
          "print('connected')\n",
      {"127.0.0.1:" + std::to_string(receiver_.port())});
  EXPECT_FALSE(o.status.is_ok());
  EXPECT_EQ(receiver_.connection_count(), 0u);
}

TEST_F(JailEgressTest, ValidationNamesTheBadEntry) {
  cacao::Playbook pb;
  cacao::AgentTarget agent;
  agent.id = "x-atio-jail--11111111-1111-4111-8111-111111111111";
  agent.type = "x-atio-jail";
  agent.raw = {{"type", "x-atio-jail"}, {"allowed_hosts", bj::array{"ok.example.org", "bad host"}}};
  pb.agents[agent.id] = agent;
  cacao::Step step;
  step.id = "action--1";
  step.agent = agent.id;
  cacao::Command c;
  c.type = "bash";
  c.raw = {{"type", "bash"}, {"command", "true"}};
  json::FieldErrors errors;
  bash_type().validate(c, pb, step, "/workflow/action--1/commands/0", &errors);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].pointer, "/agent_definitions/" + agent.id + "/allowed_hosts/1");
}

}  // namespace
}  // namespace atio::actions
