// GET /healthz and GET /readyz: what an orchestrator sees of a node whose
// store fails or hangs, or whose engine has stopped.
#include <condition_variable>
#include <mutex>

#include "server_test_support.h"

namespace atio::server::testing {
namespace {

// A store whose reads fail, or hang until released; counts the reads the
// readiness check makes.
class BrokenStore final : public store::Store {
 public:
  enum class Mode { kFail, kHang };
  explicit BrokenStore(Mode mode) : mode_(mode) {}
  ~BrokenStore() override { release(); }

  void release() {
    std::lock_guard<std::mutex> lk(mu_);
    mode_ = Mode::kFail;
    released_ = true;
    cv_.notify_all();
  }
  void heal() {
    release();
    std::lock_guard<std::mutex> lk(mu_);
    healed_ = true;
  }
  int head_reads() {
    std::lock_guard<std::mutex> lk(mu_);
    return head_reads_;
  }

  Result<store::AuditHead> audit_head() override {
    std::unique_lock<std::mutex> lk(mu_);
    ++head_reads_;
    if (mode_ == Mode::kHang) cv_.wait(lk, [this] { return released_; });
    if (healed_) return store::AuditHead{};
    return failure();
  }

  void submit(std::vector<store::WriteOp>, std::function<void(Status)> done) override {
    done(failure());
  }
  Result<std::optional<store::PlaybookRecord>> get_playbook(const std::string&) override {
    return failure();
  }
  Result<std::vector<store::PlaybookRecord>> list_playbooks() override { return failure(); }
  Result<std::optional<store::ExecutionRecord>> get_execution(const std::string&) override {
    return failure();
  }
  Result<std::vector<store::ExecutionRecord>> list_executions(
      const store::ExecutionFilter&) override {
    return failure();
  }
  Result<std::vector<store::ExecutionRecord>> unfinished_executions() override {
    return failure();
  }
  Result<std::vector<store::StepRecord>> get_steps(const std::string&) override {
    return failure();
  }
  void close() override {}

  // Names a file, as real store errors do: it must not reach the caller.
  static constexpr const char* kDetail = "/srv/private/atio.db: disk I/O error";

 private:
  static Status failure() { return Status(Code::kIo, kDetail); }

  std::mutex mu_;
  std::condition_variable cv_;
  Mode mode_;
  bool released_ = false;
  bool healed_ = false;
  int head_reads_ = 0;
};

class HealthTest : public ServerTest {
 protected:
  void TearDown() override {
    broken_router_.reset();
    ServerTest::TearDown();
  }

  // The health routes of a router like the fixture's, over `store`, with
  // a short bound.
  void use_store(store::Store& store, std::chrono::milliseconds bound) {
    broken_ctx_ = ctx_;
    broken_ctx_.store = &store;
    broken_ctx_.health_timeout = bound;
    broken_router_ = std::make_unique<Router>(*authenticator_);
    add_health_routes(*broken_router_, broken_ctx_);
  }

  Response get(const std::string& target) {
    if (!broken_router_) return call("GET", target, "", {}, false);
    Request r;
    r.method = "GET";
    r.target = target;
    auto p = std::make_shared<std::promise<Response>>();
    auto f = p->get_future();
    broken_router_->dispatch(std::move(r), [p](Response res) { p->set_value(std::move(res)); });
    EXPECT_EQ(f.wait_for(std::chrono::seconds(20)), std::future_status::ready) << target;
    return f.get();
  }

  static std::string text(const bj::value& v, std::initializer_list<const char*> path) {
    const bj::value* at = &v;
    for (const char* k : path) {
      if (!at->is_object() || !at->as_object().contains(k)) return "<missing " + std::string(k) + ">";
      at = &at->as_object().at(k);
    }
    return at->is_string() ? std::string(at->as_string()) : "<not a string>";
  }

  ApiContext broken_ctx_;
  std::unique_ptr<Router> broken_router_;
};

TEST_F(HealthTest, AWorkingNodeIsAliveAndReadyWithoutCredentials) {
  Response live = call("GET", "/healthz", "", {}, false);
  EXPECT_EQ(live.status, 200) << live.body;
  EXPECT_EQ(text(body(live), {"status"}), "ok");
  EXPECT_EQ(header(live, "Cache-Control"), "no-store");

  Response ready = call("GET", "/readyz", "", {}, false);
  EXPECT_EQ(ready.status, 200) << ready.body;
  bj::value b = body(ready);
  EXPECT_EQ(text(b, {"status"}), "ready");
  EXPECT_EQ(text(b, {"checks", "store", "status"}), "ok");
  EXPECT_EQ(text(b, {"checks", "engine", "status"}), "ok");
  EXPECT_EQ(text(b, {"version"}), std::string(kVersion));
  EXPECT_EQ(header(ready, "Cache-Control"), "no-store");
}

TEST_F(HealthTest, AStoreWhoseReadsFailMakesTheNodeNotReadyButStillAlive) {
  BrokenStore broken(BrokenStore::Mode::kFail);
  use_store(broken, std::chrono::milliseconds(2000));

  Response ready = get("/readyz");
  EXPECT_EQ(ready.status, 503) << ready.body;
  bj::value b = body(ready);
  EXPECT_EQ(text(b, {"status"}), "not_ready");
  EXPECT_EQ(text(b, {"checks", "store", "status"}), "failing");
  EXPECT_EQ(text(b, {"checks", "engine", "status"}), "ok");
  EXPECT_EQ(text(b, {"reason"}).rfind("store: ", 0), 0u) << ready.body;
  EXPECT_NE(text(b, {"reason"}).find("(io;"), std::string::npos) << ready.body;
  // The store's own words (a path here) stay in the log: /readyz answers anyone.
  EXPECT_EQ(ready.body.find("/srv/private"), std::string::npos) << ready.body;
  EXPECT_GE(broken.head_reads(), 1);

  // Restarting the node would not bring the database back: liveness holds.
  Response live = get("/healthz");
  EXPECT_EQ(live.status, 200) << live.body;
}

TEST_F(HealthTest, AHangingStoreIsReportedWithinTheBoundAndProbedByOneReadAtATime) {
  BrokenStore broken(BrokenStore::Mode::kHang);
  use_store(broken, std::chrono::milliseconds(100));

  Response first = get("/readyz");
  EXPECT_EQ(first.status, 503) << first.body;
  EXPECT_NE(text(body(first), {"reason"}).find("the store did not answer within 100 ms"),
            std::string::npos)
      << first.body;
  // Probes while the read hangs join it rather than piling up more reads.
  for (int i = 0; i < 3; ++i) {
    Response again = get("/readyz");
    EXPECT_EQ(again.status, 503) << again.body;
    EXPECT_EQ(text(body(again), {"checks", "store", "status"}), "failing");
  }
  EXPECT_EQ(broken.head_reads(), 1);

  // Once the store answers again the node is ready again.
  broken.heal();
  int status = 0;
  for (int i = 0; i < 100 && status != 200; ++i) {
    status = get("/readyz").status;
    if (status != 200) std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  EXPECT_EQ(status, 200);
}

TEST_F(HealthTest, AStoppedEngineIsNeitherAliveNorReady) {
  use_store(*store_, std::chrono::milliseconds(1000));
  engine_->stop();

  Response live = get("/healthz");
  EXPECT_EQ(live.status, 503) << live.body;
  EXPECT_EQ(text(body(live), {"status"}), "unhealthy");
  EXPECT_NE(text(body(live), {"reason"}).find("engine"), std::string::npos) << live.body;

  Response ready = get("/readyz");
  EXPECT_EQ(ready.status, 503) << ready.body;
  EXPECT_EQ(text(body(ready), {"checks", "store", "status"}), "ok");
  EXPECT_EQ(text(body(ready), {"reason"}).rfind("engine: ", 0), 0u) << ready.body;
}

TEST_F(HealthTest, BothProbesAreInTheOpenApiDocumentWithoutSecurity) {
  Response r = call("GET", "/api/v1/openapi.json", "", {}, false);
  ASSERT_EQ(r.status, 200);
  const bj::value doc = body(r);
  for (const char* path : {"/healthz", "/readyz"}) {
    const auto* p = doc.at("paths").as_object().if_contains(path);
    ASSERT_NE(p, nullptr) << path;
    const auto& get_op = p->at("get").as_object();
    EXPECT_TRUE(get_op.at("security").as_array().empty()) << path;
    EXPECT_TRUE(get_op.at("responses").as_object().contains("503")) << path;
  }
}

}  // namespace
}  // namespace atio::server::testing
