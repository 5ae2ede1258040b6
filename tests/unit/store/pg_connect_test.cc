// Connecting to PostgreSQL and losing it: what a node sees when the
// database is unreachable or restarts (kUnavailable, so callers can retry),
// and that no message ever shows the password.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <libpq-fe.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <string>

#include "atio/store/postgres/conn.h"
#include "pg_test.h"

namespace atio::store::postgres {
namespace {

using PgConnectTest = PgTest;

// A port on 127.0.0.1 where nothing listens (bound, then released).
int unused_port() {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof a;
  EXPECT_EQ(bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a), 0);
  EXPECT_EQ(getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len), 0);
  close(fd);
  return ntohs(a.sin_port);
}

TEST(PgConnectErrorsTest, AnUnreachableServerIsUnavailableAndNamedWithoutThePassword) {
  const std::string port = std::to_string(unused_port());
  for (const std::string& conninfo :
       {"postgresql://atio:s3cr3t-pw@127.0.0.1:" + port + "/atiodb",
        "host=127.0.0.1 port=" + port + " dbname=atiodb user=atio password=s3cr3t-pw"}) {
    auto c = PgConn::connect(conninfo);
    ASSERT_FALSE(c.is_ok());
    const std::string m = c.status().message();
    EXPECT_EQ(c.status().code(), Code::kUnavailable) << m;
    EXPECT_NE(m.find("127.0.0.1:" + port + "/atiodb as atio"), std::string::npos) << m;
    EXPECT_NE(m.find("Connection refused"), std::string::npos) << m;
    EXPECT_EQ(m.find("s3cr3t-pw"), std::string::npos) << m;
  }
}

TEST(PgConnectErrorsTest, AnUnreadableConninfoIsInvalidAndKeepsThePasswordOut) {
  // libpq quotes the offending token, here inside the password.
  for (const std::string& conninfo : {std::string("postgresql://atio:pw%zzsecret@127.0.0.1/x"),
                                      std::string("host=127.0.0.1 password=pwsecret nosuch=1"),
                                      std::string("postgresql://127.0.0.1/x?nosuch=pwsecret")}) {
    auto c = PgConn::connect(conninfo);
    ASSERT_FALSE(c.is_ok()) << conninfo;
    EXPECT_EQ(c.status().code(), Code::kInvalidArgument) << c.status().message();
    EXPECT_NE(c.status().message().find("cannot read the connection string"), std::string::npos);
    if (conninfo.find("nosuch=pwsecret") == std::string::npos) {
      EXPECT_EQ(c.status().message().find("secret"), std::string::npos) << c.status().message();
    }
  }
}

// The keepalive settings of a connection's socket, as the kernel has them.
std::vector<int> keepalive_options(PgConn* c) {
  const int fd = PQsocket(c->native());
  std::vector<int> out;
  for (auto [level, name] : {std::pair{SOL_SOCKET, SO_KEEPALIVE},
                             {IPPROTO_TCP, TCP_KEEPIDLE},
                             {IPPROTO_TCP, TCP_KEEPINTVL},
                             {IPPROTO_TCP, TCP_KEEPCNT},
                             {IPPROTO_TCP, TCP_USER_TIMEOUT}}) {
    int v = -1;
    socklen_t len = sizeof v;
    EXPECT_EQ(getsockopt(fd, level, name, &v, &len), 0);
    out.push_back(v);
  }
  return out;
}

TEST_F(PgConnectTest, ConnectionsNoticeADeadServerWithinSecondsUnlessTheConninfoSaysOtherwise) {
  EXPECT_EQ(conn_->dialect(), sql::Dialect::kPostgres);
  EXPECT_TRUE(conn_->connected());
  EXPECT_EQ(conn_->server().rfind("127.0.0.1:", 0), 0) << conn_->server();
  EXPECT_EQ(column("SHOW application_name"), std::vector<std::string>{"atio"});
  EXPECT_EQ(column("SHOW client_encoding"), std::vector<std::string>{"UTF8"});
  // On: idle 10 s, probes every 5 s, 3 lost; unacknowledged data for 20 s.
  EXPECT_EQ(keepalive_options(conn_.get()), (std::vector<int>{1, 10, 5, 3, 20000}));
  auto c = PgConn::connect(conninfo_ + "?application_name=node-7&keepalives_idle=30");
  ASSERT_TRUE(c.is_ok()) << c.status().to_string();
  EXPECT_EQ(column("SHOW application_name", c->get()), std::vector<std::string>{"node-7"});
  EXPECT_EQ(keepalive_options(c->get()), (std::vector<int>{1, 30, 5, 3, 20000}));
}

TEST_F(PgConnectTest, AStoppedServerIsUnavailableAndReconnectWorksOnceItIsBack) {
  testing::PgServer& server = testing::PgServer::get();
  exec("CREATE TABLE t (k BIGINT); INSERT INTO t VALUES (1)");
  sql::Stmt count(conn_.get(), "SELECT count(*) FROM t");
  ASSERT_EQ(count.step(), sql::kRow);
  count.reset();

  ASSERT_TRUE(server.stop().is_ok());
  EXPECT_EQ(count.step(), sql::kError);
  EXPECT_EQ(conn_->error_code(), Code::kUnavailable) << conn_->error();
  EXPECT_FALSE(conn_->connected());
  EXPECT_EQ(sql::error_status(conn_.get(), "counting").code(), Code::kUnavailable);
  count.reset();
  // Still down: reconnecting fails (refused at once, bounded by connect_timeout).
  EXPECT_FALSE(conn_->reconnect());
  EXPECT_EQ(conn_->error_code(), Code::kUnavailable);
  const Status down = conn_->exec("SELECT 1");
  EXPECT_EQ(down.code(), Code::kUnavailable) << down.to_string();
  auto fresh = PgConn::connect(conninfo_);
  ASSERT_FALSE(fresh.is_ok());
  EXPECT_EQ(fresh.status().code(), Code::kUnavailable);

  ASSERT_TRUE(server.start().is_ok());
  ASSERT_TRUE(conn_->reconnect()) << conn_->error();
  EXPECT_TRUE(conn_->connected());
  // The statement prepared before the restart runs on the new session.
  ASSERT_EQ(count.step(), sql::kRow) << conn_->error();
  EXPECT_EQ(count.int64(0), 1);
}

TEST_F(PgConnectTest, ASessionEndedByTheServerIsUnavailable) {
  auto other = connect();
  ASSERT_NE(other, nullptr);
  const std::string pid = column("SELECT pg_backend_pid()", other.get()).at(0);
  // Waits (at most 5 s) until the session is gone.
  EXPECT_EQ(column("SELECT pg_terminate_backend(" + pid + ", 5000)"),
            std::vector<std::string>{"t"});
  const Status s = other->exec("SELECT 1");
  EXPECT_EQ(s.code(), Code::kUnavailable) << s.to_string();
  EXPECT_TRUE(other->reconnect()) << other->error();
  EXPECT_EQ(column("SELECT 40 + 2", other.get()), std::vector<std::string>{"42"});
}

}  // namespace
}  // namespace atio::store::postgres
