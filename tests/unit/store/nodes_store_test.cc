// The nodes working on the store, on every backend: a record replaced by id,
// listed the most recently started first, forgotten when silent too long.
#include <gtest/gtest.h>

#include "backend_test.h"

namespace atio::store {
namespace {

class NodesStoreTest : public BackendTest {
 protected:
  static NodeRecord node(const std::string& id, std::int64_t started, std::int64_t heartbeat) {
    NodeRecord n;
    n.id = id;
    n.version = "0.1.0";
    n.hostname = "host-" + id;
    n.started_at_ms = started;
    n.heartbeat_at_ms = heartbeat;
    return n;
  }
};
ATIO_ON_EVERY_BACKEND(NodesStoreTest);

TEST_P(NodesStoreTest, ReplacedByIdListedNewestFirstAndPruned) {
  ASSERT_TRUE(store_->write({PutNode{node("a", 100, 150)}, PutNode{node("b", 200, 250)}}).is_ok());
  NodeRecord a = node("a", 100, 900);
  a.executions_running = 7;
  a.state = "stopped";
  ASSERT_TRUE(store_->write({PutNode{a}}).is_ok());
  auto nodes = store_->list_nodes();
  ASSERT_TRUE(nodes.is_ok()) << nodes.status().to_string();
  ASSERT_EQ(nodes->size(), 2u);
  EXPECT_EQ((*nodes)[0].id, "b");
  EXPECT_EQ((*nodes)[0].hostname, "host-b");
  EXPECT_EQ((*nodes)[1].id, "a");
  EXPECT_EQ((*nodes)[1].heartbeat_at_ms, 900);
  EXPECT_EQ((*nodes)[1].executions_running, 7);
  EXPECT_EQ((*nodes)[1].state, "stopped");
  ASSERT_TRUE(store_->write({PruneNodes{300}}).is_ok());  // b's last beat was at 250
  nodes = store_->list_nodes();
  ASSERT_TRUE(nodes.is_ok());
  ASSERT_EQ(nodes->size(), 1u);
  EXPECT_EQ((*nodes)[0].id, "a");
}

}  // namespace
}  // namespace atio::store
