// GET /api/v1/nodes: every node's record, whether it is alive (active with a
// recent heartbeat) and which one answers; the heartbeat that writes them.
#include <chrono>

#include "atio/server/node_heartbeat.h"
#include "server_test_support.h"

namespace atio::server::testing {
namespace {

std::int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

class NodesApiTest : public ServerTest {};

TEST_F(NodesApiTest, ListsNodesNewestFirstWithWhetherAliveAndWhichAnswers) {
  const std::int64_t now = now_ms();
  store::NodeRecord old, silent, stopped;
  old.id = "a";
  old.version = "0.0.9";
  old.started_at_ms = now - 60'000;
  old.heartbeat_at_ms = now - 1'000;
  old.executions_running = 3;
  silent = old;
  silent.id = "b";
  silent.started_at_ms = now - 50'000;
  silent.heartbeat_at_ms = now - kNodeSilentAfter.count() - 1'000;  // killed, say
  stopped = old;
  stopped.id = "c";
  stopped.started_at_ms = now - 40'000;
  stopped.state = "stopped";
  ASSERT_TRUE(store_->write({store::PutNode{old}, store::PutNode{silent}, store::PutNode{stopped}})
                  .is_ok());
  ctx_.node_id = "a";

  Response r = call("GET", "/api/v1/nodes");
  ASSERT_EQ(r.status, 200) << r.body;
  const bj::value listed = body(r);
  const bj::array& nodes = listed.at("nodes").as_array();
  ASSERT_EQ(nodes.size(), 3u);
  EXPECT_EQ(nodes[0].at("id"), "c");  // the most recently started first
  EXPECT_EQ(nodes[2].at("id"), "a");
  EXPECT_EQ(nodes[2].at("alive"), true);
  EXPECT_EQ(nodes[2].at("self"), true);
  EXPECT_EQ(nodes[2].at("executions_running"), 3);
  EXPECT_EQ(nodes[2].at("version"), "0.0.9");
  EXPECT_EQ(nodes[1].at("alive"), false) << "silent for longer than the limit";
  EXPECT_EQ(nodes[1].at("self"), false);
  EXPECT_EQ(nodes[0].at("alive"), false) << "stopped";
  EXPECT_EQ(nodes[0].at("state"), "stopped");
}

TEST_F(NodesApiTest, TheHeartbeatRecordsTheNodeAndItsEnd) {
  {
    NodeHeartbeat heartbeat(*store_, *engine_, "1.2.3", std::chrono::milliseconds(20));
    ASSERT_TRUE(heartbeat.start().is_ok());
    auto nodes = store_->list_nodes();
    ASSERT_TRUE(nodes.is_ok());
    ASSERT_EQ(nodes->size(), 1u);
    EXPECT_EQ(nodes->front().id, heartbeat.id());
    EXPECT_EQ(nodes->front().version, "1.2.3");
    EXPECT_EQ(nodes->front().state, "active");
    const std::int64_t first = nodes->front().heartbeat_at_ms;
    // Beats again: the record's time moves on.
    bool moved = false;
    for (int i = 0; i < 200 && !moved; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
      moved = store_->list_nodes()->front().heartbeat_at_ms > first;
    }
    EXPECT_TRUE(moved);
  }
  auto nodes = store_->list_nodes();
  ASSERT_TRUE(nodes.is_ok());
  ASSERT_EQ(nodes->size(), 1u);
  EXPECT_EQ(nodes->front().state, "stopped");
}

}  // namespace
}  // namespace atio::server::testing
