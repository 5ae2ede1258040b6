// GET /api/v1/executions/{id}/stream: one execution, live, as server-sent
// events. Each `event: execution` carries exactly what GET
// /api/v1/executions/{id} answers, sent on connecting and again whenever it
// changed (a step started or ended, a person is asked, the execution
// ended); once the execution has ended, its last state is followed by
// `event: end` and the stream closes. The engine tells the execution feed
// (EngineOptions::on_progress); the stream re-reads the execution on the
// feed's thread, never on the engine's.
#include <boost/json/serialize.hpp>

#include <mutex>

#include "atio/core/event_hub.h"
#include "atio/server/api/common.h"
#include "atio/server/api/context.h"
#include "atio/server/api/execution_detail.h"

namespace atio::server {

namespace {

class ExecutionStream final : public ResponseStream,
                              public std::enable_shared_from_this<ExecutionStream> {
 public:
  ExecutionStream(ApiContext& ctx, std::string id, const bj::object& first)
      : ctx_(ctx),
        id_(std::move(id)),
        last_(bj::serialize(first)),
        ended_(has_ended(first)),
        remote_(runs_elsewhere(first)) {}

  void next(std::function<void(std::optional<std::string>)> write) override {
    if (!started_) {
      started_ = true;
      return write(": atio execution " + id_ + "\nretry: 1000\n\n" + message(last_));
    }
    std::unique_lock<std::mutex> lk(mu_);
    if (closed_ || end_sent_) {
      lk.unlock();
      return write(std::nullopt);
    }
    if (ended_) {
      end_sent_ = true;
      lk.unlock();
      return write("event: end\ndata: {}\n\n");
    }
    waiting_ = std::move(write);
    const bool remote = remote_;
    lk.unlock();
    if (remote && ctx_.remote_execution_feed) {
      // Never notified: it wakes the stream at its next heartbeat.
      EventHub* feed = ctx_.remote_execution_feed;
      feed->wait(feed->generation(), [self = shared_from_this()] { self->wake(); });
      return;
    }
    ctx_.execution_feed->wait(seen_, [self = shared_from_this()] { self->wake(); });
  }

  void close() override {
    std::function<void(std::optional<std::string>)> w;
    {
      std::lock_guard<std::mutex> lk(mu_);
      closed_ = true;
      w.swap(waiting_);
    }
    if (w) w(std::nullopt);
  }

  // The generation of the feed before the first read.
  void set_seen(std::uint64_t seen) { seen_ = seen; }

 private:
  static std::string message(const std::string& json) {
    return "event: execution\ndata: " + json + "\n\n";
  }

  // Another node runs the execution: this node hears nothing of its steps.
  bool runs_elsewhere(const bj::object& execution) const {
    const bj::value* v = execution.if_contains("node");
    return v && v->is_string() && !v->get_string().empty() && v->get_string() != ctx_.node_id;
  }

  static bool has_ended(const bj::object& execution) {
    store::ExecutionStatus status;
    const bj::value* v = execution.if_contains("status");
    return v && v->is_string() && store::parse_execution_status(v->get_string(), &status) &&
           store::is_terminal(status);
  }

  // On the feed's thread: re-read the execution; send it when it changed,
  // a keep-alive comment when not.
  void wake() {
    const std::uint64_t seen = ctx_.execution_feed->generation();
    std::string now;
    bool ended = false;
    bool remote = false;
    auto detail = execution_detail(ctx_, id_);
    if (detail.is_ok() && *detail) {
      now = bj::serialize(**detail);
      ended = has_ended(**detail);
      remote = runs_elsewhere(**detail);
    }
    std::function<void(std::optional<std::string>)> w;
    std::string chunk;
    bool closed;
    {
      std::lock_guard<std::mutex> lk(mu_);
      if (!waiting_) return;
      w.swap(waiting_);
      seen_ = seen;
      if (detail.is_ok() && *detail) remote_ = remote;
      closed = closed_;
      if (!closed) {
        if (!now.empty() && now != last_) {
          last_ = std::move(now);
          ended_ = ended;
          chunk = message(last_);
        } else {
          chunk = ": keep-alive\n\n";
        }
      }
    }
    if (closed) return w(std::nullopt);
    w(std::move(chunk));
  }

  ApiContext& ctx_;
  const std::string id_;
  std::mutex mu_;
  std::string last_;  // the JSON text last sent
  std::uint64_t seen_ = 0;
  bool ended_;  // the execution in last_ has ended
  bool remote_;  // another node runs it: re-read every half second
  bool started_ = false;
  bool end_sent_ = false;
  bool closed_ = false;
  std::function<void(std::optional<std::string>)> waiting_;
};

Response stream(ApiContext& ctx, const std::string& id) {
  if (!ctx.execution_feed) {
    return error_response(503, "unavailable", "live execution views are not served by this process");
  }
  const std::uint64_t seen = ctx.execution_feed->generation();
  auto detail = execution_detail(ctx, id);
  if (!detail.is_ok()) return error_response(detail.status());
  if (!*detail) return error_response(404, "not_found", "execution " + id + " not found");
  auto s = std::make_shared<ExecutionStream>(ctx, id, **detail);
  s->set_seen(seen);
  Response res;
  res.status = 200;
  res.content_type = "text/event-stream";
  res.header("Cache-Control", "no-cache");
  res.stream = std::move(s);
  return res;
}

}  // namespace

void add_execution_stream_routes(Router& router, ApiContext& ctx) {
  router.add({.method = "GET",
              .pattern = "/api/v1/executions/{id}/stream",
              .permission = Permission::kExecutionRead,
              .doc = {.operation_id = "streamExecution",
                      .summary = "The execution live, as server-sent events: `event: execution` "
                                 "(the JSON of getExecution) on connecting and after every change, "
                                 "then `event: end` once it has ended",
                      .tag = "executions",
                      .path_params = {{"id", "string", "The execution id (uuid)"}},
                      .responses = {{200, "text/event-stream", "ExecutionEventStream",
                                     "text/event-stream"},
                                    {404, "No such execution", "Error"},
                                    {503, "No live views in this process", "Error"}}},
              .handler = sync_handler([&ctx](Request& r) { return stream(ctx, r.param("id")); })});
}

}  // namespace atio::server
