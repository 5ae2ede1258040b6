// The CACAO ssh command against a real OpenSSH sshd that the test starts on
// a free 127.0.0.1 port (tests/support/sshd_server.py; needs root, as CI
// runs): password and key logins with credentials from the secret store,
// stdin and out_args, host keys that are unknown or changed, refused logins,
// exit codes, a timeout that ends the remote command, cancel, large stdout,
// and validation errors naming the rule.
#include "atio/actions/ssh/ssh_command.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <boost/json/parse.hpp>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <future>
#include <map>
#include <sstream>
#include <thread>

#include "support/command_runner.h"
#include "support/map_secrets.h"

namespace atio::actions {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

const std::string kSshd = std::string(ATIO_SOURCE_DIR) + "/tests/support/sshd_server.py";


std::string shell(const std::string& cmd) {
  std::string out;
  FILE* p = ::popen(cmd.c_str(), "r");
  if (!p) return out;
  char buf[4096];
  std::size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
  ::pclose(p);
  return out;
}

// One sshd for the whole suite.
class SshCommandTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    if (::geteuid() != 0) return;
    dir_ = new std::string(fs::temp_directory_path() / ("atio-sshd-" + std::to_string(::getpid())));
    std::string ready = shell("python3 " + kSshd + " start " + *dir_ + " 2>&1");
    ASSERT_NE(ready.find("ready"), std::string::npos) << ready;
    std::ifstream in(*dir_ + "/sshd.json");
    std::stringstream text;
    text << in.rdbuf();
    info_ = new bj::object(boost::json::parse(text.str()).as_object());
  }
  static void TearDownTestSuite() {
    if (dir_ == nullptr) return;
    shell("python3 " + kSshd + " stop " + *dir_);
    std::error_code ec;
    fs::remove_all(*dir_, ec);
    delete dir_;
    delete info_;
    dir_ = nullptr;
    info_ = nullptr;
  }

  void SetUp() override {
    if (::geteuid() != 0) GTEST_SKIP() << "the test sshd needs root (CI runs as root)";
    ASSERT_NE(info_, nullptr);
    known_hosts_ = *dir_ + "/known_hosts-" +
                   ::testing::UnitTest::GetInstance()->current_test_info()->name();
    write_known_hosts(str("known_hosts_line"));
    // The target: the test's sshd, logging in with a secret from the store.
    cacao::AgentTarget target;
    target.id = "ssh--1";
    target.type = "ssh";
    target.raw = {{"type", "ssh"},
                  {"name", "test host"},
                  {"address", {{"ipv4", bj::array{"127.0.0.1"}}}},
                  {"port", std::to_string(port())},
                  {"authentication_info", "user-auth--1"}};
    playbook_.targets[target.id] = target;
    use_password_secret();
    step_.id = "action--1";
    step_.kind = cacao::StepKind::kAction;
    step_.targets = {"ssh--1"};
  }

  static std::string str(const char* key) { return std::string(info_->at(key).as_string()); }
  static int port() { return static_cast<int>(info_->at("port").as_int64()); }

  void write_known_hosts(const std::string& text) {
    std::ofstream(known_hosts_) << text << "\n";
  }

  void set_auth(const std::string& type, bj::object raw) {
    cacao::AuthInfo auth;
    auth.id = "user-auth--1";
    auth.type = type;
    raw["type"] = type;
    auth.raw = std::move(raw);
    playbook_.auth_infos[auth.id] = auth;
  }
  void use_password_secret(const std::string& password = "") {
    set_auth("user-auth", {{"username", str("user")}, {"kms", true},
                           {"kms_key_identifier", "host-password"}});
    secrets_.values["host-password"] = password.empty() ? str("password") : password;
  }
  void use_key_secret(bj::value secret) {
    set_auth("private-key", {{"user_id", str("user")}, {"kms", true},
                             {"kms_key_identifier", "host-key"}});
    secrets_.values["host-key"] = std::move(secret);
  }

  SshOptions options() {
    SshOptions o;
    o.known_hosts = known_hosts_;
    o.connect_timeout = 10s;
    o.spool_dir = *dir_;
    return o;
  }
  SshRunner& runner() {
    if (!runner_) runner_ = std::make_unique<SshRunner>(options());
    return *runner_;
  }
  SshCommand& type() {
    if (!type_) type_ = std::make_unique<SshCommand>(runner(), &secrets_, inline_bytes_);
    return *type_;
  }

  Invocation invocation(const std::string& command, bj::object in_args = {},
                        std::chrono::milliseconds timeout = 0ms) {
    Invocation inv;
    inv.execution_id = "execution--test";
    inv.step_id = step_.id;
    inv.playbook = &playbook_;
    inv.step = &step_;
    inv.command.type = "ssh";
    inv.command.raw = {{"type", "ssh"}, {"command", command}};
    inv.in_args = std::move(in_args);
    inv.timeout = timeout;
    inv.cancel = std::make_shared<CancelToken>();
    return inv;
  }
  Outcome run(const std::string& command, bj::object in_args = {},
              std::chrono::milliseconds timeout = 0ms) {
    auto o = testing::run_command(type(), invocation(command, std::move(in_args), timeout), 60s);
    EXPECT_TRUE(o.has_value()) << "done was not called";
    return o ? std::move(*o) : Outcome{};
  }
  json::FieldErrors validate(const bj::object& raw) {
    cacao::Command c;
    c.type = "ssh";
    c.raw = raw;
    json::FieldErrors errors;
    type().validate(c, playbook_, step_, "/workflow/action--1/commands/0", &errors);
    return errors;
  }
  static std::string describe(const json::FieldErrors& errors) {
    std::string out;
    for (const auto& e : errors) out += e.pointer + ": " + e.message + "\n";
    return out;
  }

  static std::string* dir_;
  static bj::object* info_;
  std::string known_hosts_;
  testing::MapSecrets secrets_;
  cacao::Playbook playbook_;
  cacao::Step step_;
  std::size_t inline_bytes_ = 1 << 20;
  std::unique_ptr<SshRunner> runner_;
  std::unique_ptr<SshCommand> type_;
};

std::string* SshCommandTest::dir_ = nullptr;
bj::object* SshCommandTest::info_ = nullptr;

TEST_F(SshCommandTest, PasswordLoginRunsTheCommandWithInArgsOnStdin) {
  step_.out_args = {"__count__"};
  Outcome o = run("cat; echo from $(id -u) >&2", {{"__count__", 5}, {"__host__", "web1"}});
  ASSERT_TRUE(o.status.is_ok()) << o.status.to_string();
  EXPECT_EQ(o.outputs.at("exit_code").as_int64(), 0);
  EXPECT_EQ(o.outputs.at("json").as_object().at("__host__").as_string(), "web1");
  EXPECT_EQ(o.outputs.at("stderr").as_string(), "from 65534\n");
  EXPECT_EQ(o.outputs.at("host").as_string(), "atiotest@127.0.0.1:" + std::to_string(port()));
  EXPECT_EQ(o.out_args.at("__count__").as_int64(), 5);
}

TEST_F(SshCommandTest, ALinuxTargetIsReachedOverSsh) {
  cacao::AgentTarget linux = playbook_.targets["ssh--1"];
  linux.id = "linux--1";
  linux.type = "linux";
  linux.raw["type"] = "linux";
  playbook_.targets[linux.id] = linux;
  step_.targets = {"linux--1"};
  Outcome o = run("echo on linux");
  ASSERT_TRUE(o.status.is_ok()) << o.status.to_string();
  EXPECT_EQ(o.outputs.at("stdout").as_string(), "on linux\n");
}

TEST_F(SshCommandTest, KeyLoginWithAKeyFromTheSecretStore) {
  use_key_secret(bj::value(str("private_key")));
  step_.out_args = {"__uid__"};
  Outcome o = run("id -u");
  ASSERT_TRUE(o.status.is_ok()) << o.status.to_string();
  EXPECT_EQ(o.out_args.at("__uid__").as_int64(), 65534);  // stdout "65534\n" is JSON
}

TEST_F(SshCommandTest, KeyWithAPassphraseNeedsIt) {
  use_key_secret(bj::object{{"private_key", str("locked_key")}, {"passphrase", str("passphrase")}});
  Outcome o = run("echo unlocked");
  ASSERT_TRUE(o.status.is_ok()) << o.status.to_string();
  EXPECT_EQ(o.outputs.at("stdout").as_string(), "unlocked\n");

  type_.reset();
  use_key_secret(bj::value(str("locked_key")));  // no passphrase
  o = run("echo unlocked");
  EXPECT_EQ(o.status.code(), Code::kInvalidArgument) << o.status.to_string();
  EXPECT_NE(o.status.message().find("private key cannot be read"), std::string::npos);
}

TEST_F(SshCommandTest, AHostNotInTheKnownHostsFileIsRefusedWithItsFingerprint) {
  write_known_hosts("");
  Outcome o = run("touch unknown-host-ran");
  EXPECT_EQ(o.status.code(), Code::kPermissionDenied) << o.status.to_string();
  EXPECT_NE(o.status.message().find("SHA256:"), std::string::npos) << o.status.message();
  EXPECT_NE(o.status.message().find(str("known_hosts_line")), std::string::npos)
      << "the message gives the line to add: " << o.status.message();
  EXPECT_FALSE(fs::exists(str("home") + "/unknown-host-ran"));
}

TEST_F(SshCommandTest, AChangedHostKeyIsRefused) {
  // The same host listed with another key: what a man in the middle shows.
  std::string other = shell("ssh-keygen -y -f " + *dir_ + "/other_key");
  std::istringstream parts(other);
  std::string kind, key;
  parts >> kind >> key;
  write_known_hosts("[127.0.0.1]:" + std::to_string(port()) + " " + kind + " " + key);
  Outcome o = run("touch changed-key-ran");
  EXPECT_EQ(o.status.code(), Code::kPermissionDenied) << o.status.to_string();
  EXPECT_NE(o.status.message().find("is not the one"), std::string::npos) << o.status.message();
  EXPECT_FALSE(fs::exists(str("home") + "/changed-key-ran"));
}

TEST_F(SshCommandTest, RefusedLoginsSayWhichCredential) {
  use_password_secret("not the password");
  Outcome o = run("true");
  EXPECT_EQ(o.status.code(), Code::kPermissionDenied) << o.status.to_string();
  EXPECT_NE(o.status.message().find("refused the password"), std::string::npos);

  use_key_secret(bj::value(str("other_key")));
  o = run("true");
  EXPECT_EQ(o.status.code(), Code::kPermissionDenied) << o.status.to_string();
  EXPECT_NE(o.status.message().find("refused the private key"), std::string::npos);

  secrets_.values.erase("host-key");
  o = run("true");
  EXPECT_EQ(o.status.code(), Code::kNotFound) << o.status.to_string();
  EXPECT_NE(o.status.message().find("atio secret set host-key"), std::string::npos);
}

TEST_F(SshCommandTest, ANonZeroExitFailsTheStepWithItsCodeAndStderr) {
  Outcome o = run("echo partial; echo 'no such unit: nginx' >&2; exit 3");
  EXPECT_EQ(o.status.code(), Code::kFailed);
  EXPECT_NE(o.status.message().find("exited with code 3: no such unit: nginx"), std::string::npos)
      << o.status.message();
  EXPECT_EQ(o.outputs.at("exit_code").as_int64(), 3);
  EXPECT_EQ(o.outputs.at("stdout").as_string(), "partial\n");
}

TEST_F(SshCommandTest, ATimeoutEndsTheRemoteCommand) {
  Outcome o = run("echo started; exec sleep 4242", {}, 1500ms);
  EXPECT_EQ(o.status.code(), Code::kTimeout) << o.status.to_string();
  // The remote sleep is sent SIGKILL, not left running on the host.
  bool gone = false;
  for (int i = 0; i < 200 && !gone; ++i) {
    gone = shell("pgrep -f 'slee[p] 4242'").empty();  // [p]: not this shell's own line
    if (!gone) std::this_thread::sleep_for(50ms);
  }
  EXPECT_TRUE(gone) << "the remote command outlived its step";
}

TEST_F(SshCommandTest, CancelAbortsTheCommand) {
  auto inv = invocation("exec sleep 4343");
  auto cancel = inv.cancel;
  std::thread canceller([cancel] {
    std::this_thread::sleep_for(1s);
    cancel->cancel();
  });
  auto o = testing::run_command(type(), std::move(inv), 60s);
  canceller.join();
  ASSERT_TRUE(o.has_value());
  EXPECT_EQ(o->status.code(), Code::kAborted) << o->status.to_string();
}

TEST_F(SshCommandTest, NoServerOnThePortIsUnavailable) {
  playbook_.targets["ssh--1"].raw["port"] = "1";
  Outcome o = run("true");
  EXPECT_EQ(o.status.code(), Code::kUnavailable) << o.status.to_string();
  EXPECT_NE(o.status.message().find("atiotest@127.0.0.1:1"), std::string::npos);
}

TEST_F(SshCommandTest, ALargeStdoutGoesToTheEngineAsAFile) {
  inline_bytes_ = 64 * 1024;
  Outcome o = run("head -c 3000000 /dev/zero | tr '\\0' x");
  ASSERT_TRUE(o.status.is_ok()) << o.status.to_string();
  ASSERT_EQ(o.files.size(), 1u);
  EXPECT_EQ(o.files[0].name, "stdout");
  EXPECT_EQ(o.outputs.at("stdout_bytes").as_uint64(), 3000000u);
  EXPECT_EQ(::lseek(o.files[0].fd.get(), 0, SEEK_END), 3000000);
}

TEST_F(SshCommandTest, StdoutPastTheCapStopsTheCommand) {
  SshOptions o = options();
  o.max_output_bytes = 100000;
  runner_ = std::make_unique<SshRunner>(o);
  Outcome out = run("head -c 1000000 /dev/zero; exec sleep 4444");
  EXPECT_EQ(out.status.code(), Code::kFailed) << out.status.to_string();
  EXPECT_NE(out.status.message().find("more than 100000 bytes"), std::string::npos);
}

TEST_F(SshCommandTest, RunsAtOnceEachGetTheirOwnStdin) {
  SshOptions o = options();
  o.max_running = 4;
  runner_ = std::make_unique<SshRunner>(o);
  std::vector<std::future<Outcome>> futures;
  for (int i = 0; i < 12; ++i) {
    auto promise = std::make_shared<std::promise<Outcome>>();
    futures.push_back(promise->get_future());
    type().start(invocation("cat", {{"__i__", i}}),
                 [promise](Outcome out) { promise->set_value(std::move(out)); });
  }
  for (int i = 0; i < 12; ++i) {
    ASSERT_EQ(futures[i].wait_for(120s), std::future_status::ready);
    Outcome out = futures[i].get();
    ASSERT_TRUE(out.status.is_ok()) << out.status.to_string();
    EXPECT_EQ(out.outputs.at("json").as_object().at("__i__").as_int64(), i);
  }
}

TEST_F(SshCommandTest, ValidationNamesWhatIsMissing) {
  EXPECT_TRUE(validate({{"type", "ssh"}, {"command", "uptime"}}).empty());
  EXPECT_TRUE(validate({{"type", "ssh"}, {"command_b64", "dXB0aW1l"}}).empty());

  auto errors = validate({{"type", "ssh"}, {"command", "  "}});
  ASSERT_EQ(errors.size(), 1u) << describe(errors);
  EXPECT_EQ(errors[0].pointer, "/workflow/action--1/commands/0/command");

  step_.targets.clear();
  errors = validate({{"type", "ssh"}, {"command", "uptime"}});
  ASSERT_EQ(errors.size(), 1u) << describe(errors);
  EXPECT_EQ(errors[0].pointer, "/workflow/action--1/commands/0");
  EXPECT_NE(errors[0].message.find("no ssh or linux target"), std::string::npos);
  step_.targets = {"ssh--1"};

  playbook_.targets["ssh--1"].raw["port"] = "70000";
  errors = validate({{"type", "ssh"}, {"command", "uptime"}});
  ASSERT_EQ(errors.size(), 1u) << describe(errors);
  EXPECT_NE(errors[0].message.find("port must be a number from 1 to 65535"), std::string::npos);
  playbook_.targets["ssh--1"].raw["port"] = "22";

  set_auth("http-basic", {{"user_id", "u"}, {"password", "p"}});
  errors = validate({{"type", "ssh"}, {"command", "uptime"}});
  ASSERT_EQ(errors.size(), 1u) << describe(errors);
  EXPECT_NE(errors[0].message.find("ssh logs in with user-auth or private-key"), std::string::npos);

  set_auth("user-auth", {{"username", "soc"}});
  errors = validate({{"type", "ssh"}, {"command", "uptime"}});
  ASSERT_EQ(errors.size(), 1u) << describe(errors);
  EXPECT_NE(errors[0].message.find("has no password"), std::string::npos);

  set_auth("private-key", {{"kms", true}, {"kms_key_identifier", "k"}});
  errors = validate({{"type", "ssh"}, {"command", "uptime"}});
  ASSERT_EQ(errors.size(), 1u) << describe(errors);
  EXPECT_NE(errors[0].message.find("names no user (user_id)"), std::string::npos);

  playbook_.targets["ssh--1"].raw.erase("authentication_info");
  errors = validate({{"type", "ssh"}, {"command", "uptime"}});
  ASSERT_EQ(errors.size(), 1u) << describe(errors);
  EXPECT_NE(errors[0].message.find("has no authentication_info"), std::string::npos);
}

}  // namespace
}  // namespace atio::actions
