// What a jailed script must not be able to do. Each test runs a script that
// tries, and checks both that the script failed and that nothing outside the
// jail changed.
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <thread>

#include "support/script_fixture.h"

namespace atio::actions {
namespace {

namespace fs = std::filesystem;
using testing::ScriptFixture;

bool running_as_root() { return ::geteuid() == 0; }

// A uid no other process on the machine uses, so that "processes of the
// jail's uid" are exactly the jail's.
uid_t fresh_uid() {
  std::random_device rd;
  return static_cast<uid_t>(3'000'000 + rd() % 1'000'000);
}

// Processes running as `uid` on the host, counted from /proc.
int processes_of(uid_t uid) {
  int n = 0;
  for (const auto& e : fs::directory_iterator("/proc")) {
    std::string name = e.path().filename();
    if (name.find_first_not_of("0123456789") != std::string::npos) continue;
    struct stat st;
    if (::stat(e.path().c_str(), &st) == 0 && st.st_uid == uid) ++n;
  }
  return n;
}

class JailEscapeTest : public ScriptFixture {
 protected:
  void SetUp() override {
    JailOptions o;
    o.uid = fresh_uid();
    o.gid = o.uid;
    o.limits.processes = 32;
    o.limits.wall = std::chrono::seconds(20);
    o.limits.memory_bytes = 512ull << 20;
    uid_ = o.uid;
    use_options(o);
    // Stand-ins for atio's own files, outside any temp directory.
    dir_ = fs::current_path() / ("jail-escape-" + std::to_string(::getpid()));
    fs::create_directories(dir_);
    db_ = dir_ / "atio.db";
    key_ = dir_ / "atio.db.secret-key";
    std::ofstream(db_) << "SQLite format 3 atio-database-content";
    std::ofstream(key_) << "atio-master-key-content";
    fs::permissions(key_, fs::perms::owner_read | fs::perms::owner_write);
  }
  void TearDown() override { fs::remove_all(dir_); }

  // The script failed, and none of `secrets` reached its outputs.
  void expect_failed_without(const Outcome& o, std::initializer_list<std::string> secrets) {
    EXPECT_FALSE(o.status.is_ok()) << "the script succeeded: " << bj::serialize(o.outputs);
    std::string all = bj::serialize(o.outputs) + bj::serialize(o.out_args);
    for (const auto& s : secrets) EXPECT_EQ(all.find(s), std::string::npos) << s;
  }

  uid_t uid_ = 0;
  fs::path dir_, db_, key_;
};

TEST_F(JailEscapeTest, CannotReadEtcShadow) {
  ASSERT_TRUE(fs::exists("/etc/shadow"));
  Outcome o = run_bash("cat /etc/shadow");
  expect_failed_without(o, {"root:"});
  EXPECT_NE(o.outputs.at("stderr").as_string().find("No such file"), bj::string::npos);
}

TEST_F(JailEscapeTest, CannotReadAtiosDatabaseOrKeyFiles) {
  Outcome o = run_bash("cat '" + db_.string() + "' '" + key_.string() + "'");
  expect_failed_without(o, {"atio-database-content", "atio-master-key-content"});
  o = run_python("import os, sys\nprint(os.listdir('" + dir_.string() + "'))\n");
  expect_failed_without(o, {"atio.db"});
  // Nor through the process table: atio's own /proc entries are not there.
  o = run_bash("cat /proc/" + std::to_string(::getpid()) + "/environ");
  EXPECT_FALSE(o.status.is_ok());
}

TEST_F(JailEscapeTest, SeesNoneOfAtiosEnvironment) {
  ::setenv("ATIO_SECRET_KEY", "env-master-key-value", 1);
  Outcome o = run_bash("env; cat /proc/1/environ; cat /proc/self/environ");
  ::unsetenv("ATIO_SECRET_KEY");
  ASSERT_TRUE(o.status.is_ok()) << o.status.to_string();
  std::string out(o.outputs.at("stdout").as_string());
  EXPECT_EQ(out.find("env-master-key-value"), std::string::npos);
  EXPECT_NE(out.find("PATH=/usr/local/bin:/usr/bin:/bin"), std::string::npos);
}

TEST_F(JailEscapeTest, CannotWriteOutsideItsTemp) {
  for (const char* target : {"/usr/atio-escape", "/atio-escape", "/run/atio/script",
                             "/etc/ssl/atio-escape", "/proc/sys/kernel/hostname"}) {
    Outcome o = run_bash(std::string("echo x > ") + target);
    EXPECT_FALSE(o.status.is_ok()) << target;
  }
  std::string host = (dir_ / "written").string();
  Outcome o = run_bash("echo x > '" + host + "'");
  EXPECT_FALSE(o.status.is_ok());
  EXPECT_FALSE(fs::exists(host));
  EXPECT_FALSE(fs::exists("/usr/atio-escape"));
  // Its own temp directory is writable, and private to the run.
  o = run_bash("echo kept > /tmp/f && cat /tmp/f && ls -A /tmp");
  ASSERT_TRUE(o.status.is_ok()) << o.status.to_string();
  EXPECT_EQ(o.outputs.at("stdout"), bj::value("kept\nf\n"));
  o = run_bash("ls -A /tmp");
  ASSERT_TRUE(o.status.is_ok()) << o.status.to_string();
  EXPECT_EQ(o.outputs.at("stdout"), bj::value("")) << "a run sees an earlier run's files";
}

TEST_F(JailEscapeTest, CannotOpenANetworkConnection) {
  // A server on the host's loopback: the script must not reach it.
  int server = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  ASSERT_GE(server, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(::bind(server, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  ASSERT_EQ(::listen(server, 8), 0);
  socklen_t len = sizeof addr;
  ::getsockname(server, reinterpret_cast<sockaddr*>(&addr), &len);
  int port = ntohs(addr.sin_port);
  Outcome o = run_python(
      "import socket\n"
      "for host in ['127.0.0.1', '1.1.1.1', '10.0.0.1']:\n"
      "    s = socket.socket(); s.settimeout(2)\n"
      "    try:\n"
      "        s.connect((host, " + std::to_string(port) + "))\n"
      "        print('connected', host)\n"
      "    except OSError as e:\n"
      "        print('refused', host, e)\n"
      "import urllib.request\n"
      "urllib.request.urlopen('http://example.com', timeout=2)\n");
  expect_failed_without(o, {"connected"});
  pollfd p{server, POLLIN, 0};
  EXPECT_EQ(::poll(&p, 1, 0), 0) << "a connection reached the host";
  ::close(server);
}

TEST_F(JailEscapeTest, ForkBombIsContainedAndLeavesNothingBehind) {
  if (!running_as_root()) GTEST_SKIP() << "counts the jail uid's processes: needs root";
  Outcome o = run(bash_type(), {{"type", "bash"}, {"command", "bomb() { bomb | bomb & }; bomb; sleep 5"}},
                  {}, {}, std::chrono::seconds(4));
  EXPECT_FALSE(o.status.is_ok());
  // Every process of the jail is gone with it.
  EXPECT_EQ(processes_of(uid_), 0);
  // The host is not affected: the next script runs.
  o = run_bash("echo fine");
  ASSERT_TRUE(o.status.is_ok()) << o.status.to_string();
}

TEST_F(JailEscapeTest, ProcessLimitStopsForks) {
  // Python's fork fails at once at the limit (bash retries for seconds, and
  // then cannot fork its own pipeline either).
  Outcome o = run_python(
      "import os, time\n"
      "started = 0\n"
      "for _ in range(100):\n"
      "    try:\n"
      "        pid = os.fork()\n"
      "    except OSError:\n"
      "        break\n"
      "    if pid == 0:\n"
      "        time.sleep(3)\n"
      "        os._exit(0)\n"
      "    started += 1\n"
      "print(started)\n");
  ASSERT_TRUE(o.status.is_ok()) << o.status.to_string();
  int started = std::stoi(std::string(o.outputs.at("stdout").as_string()));
  EXPECT_LT(started, 32);
  EXPECT_GT(started, 0);
}

TEST_F(JailEscapeTest, BackgroundProcessesDieWithTheRun) {
  if (!running_as_root()) GTEST_SKIP() << "counts the jail uid's processes: needs root";
  Outcome o = run_bash("(sleep 300 &) ; nohup sleep 301 >/dev/null 2>&1 & disown; echo done");
  ASSERT_TRUE(o.status.is_ok()) << o.status.to_string();
  EXPECT_EQ(processes_of(uid_), 0);
}

TEST_F(JailEscapeTest, CannotSignalHostProcesses) {
  if (!running_as_root()) GTEST_SKIP() << "starts a host process as the jail's uid: needs root";
  pid_t victim = ::fork();
  ASSERT_GE(victim, 0);
  if (victim == 0) {
    if (::setgid(uid_) != 0 || ::setuid(uid_) != 0) ::_exit(1);
    ::execl("/usr/bin/sleep", "sleep", "30", nullptr);
    ::_exit(1);
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  Outcome o = run_bash("kill -9 -1; pkill -9 sleep; echo tried");
  int status = 0;
  EXPECT_EQ(::waitpid(victim, &status, WNOHANG), 0) << "the host process was killed";
  ::kill(victim, SIGKILL);
  ::waitpid(victim, &status, 0);
}

TEST_F(JailEscapeTest, MemoryPastTheCapFails) {
  Outcome o = run_python("b = bytearray(1024 * 1024 * 1024)\nprint('allocated')\n");
  expect_failed_without(o, {"allocated"});
  EXPECT_NE(o.outputs.at("stderr").as_string().find("MemoryError"), bj::string::npos);
}

TEST_F(JailEscapeTest, EndlessLoopIsKilledAtItsWallTime) {
  Outcome o = run(bash_type(), {{"type", "bash"}, {"command", "while :; do :; done"}}, {}, {},
                  std::chrono::milliseconds(800));
  EXPECT_EQ(o.status.code(), Code::kTimeout);
}

TEST_F(JailEscapeTest, CpuTimeLimitKillsABusyScript) {
  JailOptions opts;
  opts.limits.cpu = std::chrono::seconds(1);
  use_options(opts);
  Outcome o = run_python("while True:\n    pass\n");
  EXPECT_EQ(o.status.code(), Code::kFailed);
  EXPECT_NE(o.status.message().find("SIGXCPU"), std::string::npos) << o.status.message();
}

TEST_F(JailEscapeTest, OutputPastTheFileLimitKillsTheScript) {
  JailOptions opts;
  opts.limits.file_bytes = 1 << 20;
  use_options(opts);
  Outcome o = run_bash("yes atio");
  EXPECT_EQ(o.status.code(), Code::kFailed);
  EXPECT_NE(o.status.message().find("SIGXFSZ"), std::string::npos) << o.status.message();
}

TEST_F(JailEscapeTest, CannotMakeANestedNamespaceOrRaisePrivileges) {
  Outcome o = run_bash("unshare --user --map-root-user true");
  EXPECT_FALSE(o.status.is_ok());
  o = run_bash("id -u; cat /proc/self/status | grep CapEff");
  ASSERT_TRUE(o.status.is_ok()) << o.status.to_string();
  EXPECT_NE(o.outputs.at("stdout").as_string().find("CapEff:\t0000000000000000"),
            bj::string::npos);
}

}  // namespace
}  // namespace atio::actions
