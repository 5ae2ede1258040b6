// The workflow monitor over the API: its notifications (a paged list and a
// live server-sent-events feed), monitor triggers (playbooks started by
// changes), and GET /api/v1/workflows, atio's playbooks in the shape of
// Shuffle's workflow list so that x-atio-monitor (or the reference system's
// monitor) can watch atio like a remote Shuffle.
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <mutex>

#include "atio/core/ids.h"
#include "atio/core/event_hub.h"
#include "atio/monitor/channels.h"
#include "atio/monitor/events.h"
#include "atio/monitor/watcher.h"
#include "atio/server/api/common.h"
#include "atio/server/api/context.h"
#include "atio/server/audit_trail.h"

namespace atio::server {

namespace {

bj::object stored_event_json(const store::MonitorEventRecord& e) {
  bj::object o{{"seq", e.seq}, {"event_id", e.id}, {"time", timestamp_json(e.time_ms)},
               {"source", e.source}};
  boost::system::error_code ec;
  bj::value body = bj::parse(e.body, ec);
  if (!ec && body.is_object()) {
    for (auto& kv : body.as_object()) o[kv.key()] = kv.value();
  }
  return o;
}

Response list_events(ApiContext& ctx, const Request& r) {
  store::SeqPage page;
  Response error;
  if (!seq_page_query(r, 1000, &page, &error)) return error;
  const std::int64_t limit = page.limit;
  page.limit = limit + 1;  // one more tells whether there is a next page
  auto events = ctx.store->list_monitor_events(page);
  if (!events.is_ok()) return error_response(events.status());
  bj::value next = nullptr;
  if (static_cast<std::int64_t>(events->size()) > limit) {
    events->resize(static_cast<std::size_t>(limit));
    next = events->back().seq;
  }
  bj::array out;
  for (const auto& e : *events) out.push_back(stored_event_json(e));
  return json_response(200, bj::object{{"events", std::move(out)}, {"next", next}});
}

// The live feed of one client: stored notifications after its cursor, then
// each new one as the hub announces it; a comment line on the hub's
// heartbeat keeps idle connections open (and finds closed ones).
class FeedStream final : public ResponseStream,
                         public std::enable_shared_from_this<FeedStream> {
 public:
  FeedStream(store::Store& store, EventHub& hub, std::int64_t after)
      : store_(store), hub_(hub), after_(after) {}

  void next(std::function<void(std::optional<std::string>)> write) override {
    if (!started_) {
      started_ = true;
      return write(": atio monitor feed\nretry: 1000\n\n");
    }
    const std::uint64_t seen = hub_.generation();
    std::unique_lock<std::mutex> lk(mu_);
    if (closed_) {
      lk.unlock();
      return write(std::nullopt);
    }
    std::string chunk = pending_events();
    if (!chunk.empty()) {
      lk.unlock();
      return write(std::move(chunk));
    }
    waiting_ = std::move(write);
    lk.unlock();
    hub_.wait(seen, [self = shared_from_this()] { self->wake(); });
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

 private:
  void wake() {
    std::function<void(std::optional<std::string>)> w;
    std::string chunk;
    {
      std::lock_guard<std::mutex> lk(mu_);
      if (!waiting_) return;
      w.swap(waiting_);
      if (!closed_) chunk = pending_events();
    }
    if (closed_) return w(std::nullopt);
    w(chunk.empty() ? std::string(": keep-alive\n\n") : std::move(chunk));
  }

  // REQUIRES: mu_ held.
  std::string pending_events() {
    auto events = store_.list_monitor_events(store::SeqPage{.after_seq = after_, .limit = 100});
    std::string out;
    if (!events.is_ok()) return out;
    for (const auto& e : *events) {
      out += "id: " + std::to_string(e.seq) + "\nevent: notification\ndata: " +
             bj::serialize(stored_event_json(e)) + "\n\n";
      after_ = e.seq;
    }
    return out;
  }

  store::Store& store_;
  EventHub& hub_;
  std::mutex mu_;
  std::int64_t after_;
  bool started_ = false;
  bool closed_ = false;
  std::function<void(std::optional<std::string>)> waiting_;
};

Response stream_events(ApiContext& ctx, const Request& r) {
  if (!ctx.monitor_feed) {
    return error_response(503, "unavailable", "the live feed is not running in this process");
  }
  std::int64_t after = -1;
  Response error;
  if (!integer_query(r, "after", 0, INT64_MAX, &after, &error)) return error;
  const std::string last = std::string(r.header("last-event-id"));
  if (after < 0 && !last.empty() && last.find_first_not_of("0123456789") == std::string::npos &&
      last.size() < 18) {
    after = std::stoll(last);
  }
  if (after < 0) {
    // From now on: only notifications made after the client connected.
    auto head = ctx.store->last_monitor_event_seq();
    if (!head.is_ok()) return error_response(head.status());
    after = *head;
  }
  Response res;
  res.status = 200;
  res.content_type = "text/event-stream";
  res.header("Cache-Control", "no-cache");
  res.stream = std::make_shared<FeedStream>(*ctx.store, *ctx.monitor_feed, after);
  return res;
}

bj::object trigger_json(const store::MonitorTriggerRecord& t) {
  bj::array kinds;
  for (const auto& k : t.kinds) kinds.push_back(bj::string(k));
  return bj::object{{"id", t.id},
                    {"playbook_id", t.playbook_id},
                    {"name", t.name},
                    {"kinds", std::move(kinds)},
                    {"created_at", timestamp_json(t.created_at_ms)}};
}

void create_trigger(ApiContext& ctx, Request& request, Respond respond) {
  bj::object body;
  Response error;
  if (!parse_object_body(request, ctx.limits, false, &body, &error)) return respond(std::move(error));
  FieldReader f(body);
  f.reject_unknown({"playbook_id", "name", "kinds"});
  auto playbook_id = f.string("playbook_id", true);
  store::MonitorTriggerRecord t;
  t.name = f.string("name").value_or("");
  if (const bj::value* k = body.if_contains("kinds")) {
    if (!k->is_array()) {
      f.add("kinds", "must be an array of creation, modification, deletion");
    } else {
      for (std::size_t i = 0; i < k->as_array().size(); ++i) {
        const bj::value& v = k->as_array()[i];
        monitor::ChangeKind kind;
        if (!v.is_string() || !monitor::parse_change_kind(v.get_string(), &kind)) {
          f.add("kinds/" + std::to_string(i), "must be creation, modification or deletion");
        } else {
          t.kinds.emplace_back(v.get_string());
        }
      }
    }
  }
  if (playbook_id) {
    auto pb = ctx.store->get_playbook(*playbook_id);
    if (!pb.is_ok()) return respond(error_response(pb.status()));
    if (!*pb) f.add("playbook_id", "no playbook has this id");
  }
  if (!f.errors().empty()) {
    return respond(unprocessable("invalid_request", "the trigger is not valid", f.errors()));
  }
  t.id = uuid_v4();
  t.playbook_id = *playbook_id;
  t.created_at_ms = now_ms();
  bj::object out = trigger_json(t);
  std::vector<store::WriteOp> ops{store::PutMonitorTrigger{t}};
  add_audit(request, ops, out, t.id);
  ctx.store->submit(std::move(ops), [out = std::move(out), respond = std::move(respond)](Status s) {
    if (!s.is_ok()) return respond(error_response(s));
    respond(json_response(201, out));
  });
}

Response list_triggers(ApiContext& ctx) {
  auto all = ctx.store->list_monitor_triggers();
  if (!all.is_ok()) return error_response(all.status());
  bj::array out;
  for (const auto& t : *all) out.push_back(trigger_json(t));
  return json_response(200, bj::object{{"triggers", std::move(out)}});
}

void delete_trigger(ApiContext& ctx, Request& request, Respond respond) {
  const std::string id = request.param("id");
  auto all = ctx.store->list_monitor_triggers();
  if (!all.is_ok()) return respond(error_response(all.status()));
  const store::MonitorTriggerRecord* found = nullptr;
  for (const auto& t : *all) {
    if (t.id == id) found = &t;
  }
  if (!found) return respond(error_response(404, "not_found", "monitor trigger " + id + " not found"));
  std::vector<store::WriteOp> ops{store::DeleteMonitorTrigger{id}};
  add_audit(request, ops, trigger_json(*found));
  ctx.store->submit(std::move(ops), [respond = std::move(respond)](Status s) {
    if (!s.is_ok()) return respond(error_response(s));
    respond(empty_response(204));
  });
}

}  // namespace

// Shuffle-shaped workflow list (workflows.cc).
Response shuffle_workflows(ApiContext& ctx);

void add_monitor_routes(Router& router, ApiContext& ctx) {
  router.add({.method = "GET",
              .pattern = "/api/v1/monitor/events",
              .permission = Permission::kPlaybookRead,
              .doc = {.operation_id = "listMonitorEvents",
                      .summary = "The monitor's notifications, oldest first (or newest first)",
                      .tag = "monitor",
                      .query = {{"order", "string",
                                 "asc (oldest first, the default) or desc (newest first)"},
                                {"after", "integer",
                                 "Paging, oldest first: notifications with seq > after (the "
                                 "`next` of the page before)"},
                                {"before", "integer",
                                 "Paging, newest first: notifications with seq < before (the "
                                 "`next` of the page before)"},
                                {"limit", "integer", "1-1000 (default 100)"}},
                      .responses = {{200, "The notifications", "MonitorEventList"}}},
              .handler = sync_handler([&ctx](Request& r) { return list_events(ctx, r); })});
  router.add({.method = "GET",
              .pattern = "/api/v1/monitor/events/stream",
              .permission = Permission::kPlaybookRead,
              .doc = {.operation_id = "streamMonitorEvents",
                      .summary = "Live feed of the monitor's notifications (server-sent events)",
                      .tag = "monitor",
                      .query = {{"after", "integer",
                                 "Replay notifications with seq > after first (also Last-Event-ID); "
                                 "default: only new ones"}},
                      .responses = {{200, "text/event-stream", "MonitorEventStream", "text/event-stream"},
                                    {503, "No live feed in this process", "Error"}}},
              .handler = sync_handler([&ctx](Request& r) { return stream_events(ctx, r); })});
  router.add({.method = "GET",
              .pattern = "/api/v1/monitor/triggers",
              .permission = Permission::kTriggerRead,
              .doc = {.operation_id = "listMonitorTriggers",
                      .summary = "Playbooks started by the monitor's notifications",
                      .tag = "monitor",
                      .responses = {{200, "The triggers", "MonitorTriggerList"}}},
              .handler = sync_handler([&ctx](Request&) { return list_triggers(ctx); })});
  router.add({.method = "POST",
              .pattern = "/api/v1/monitor/triggers",
              .permission = Permission::kTriggerManage,
              .doc = {.operation_id = "createMonitorTrigger",
                      .summary = "Start a playbook (the notification as __event__) on each notification "
                                 "with an event of the given kinds",
                      .tag = "monitor",
                      .request_schema = "MonitorTriggerCreate",
                      .responses = {{201, "Created", "MonitorTrigger"},
                                    {422, "Not valid (every problem listed)", "Error"}}},
              .handler = [&ctx](Request& r, Respond done) { create_trigger(ctx, r, std::move(done)); },
              .audit = {"monitor_trigger.create", "monitor_trigger", ""}});
  router.add({.method = "DELETE",
              .pattern = "/api/v1/monitor/triggers/{id}",
              .permission = Permission::kTriggerManage,
              .doc = {.operation_id = "deleteMonitorTrigger",
                      .summary = "Delete a monitor trigger",
                      .tag = "monitor",
                      .path_params = {{"id", "string", "The trigger's id"}},
                      .responses = {{204, "Deleted", ""}, {404, "No such trigger", "Error"}}},
              .handler = [&ctx](Request& r, Respond done) { delete_trigger(ctx, r, std::move(done)); },
              .audit = {"monitor_trigger.delete", "monitor_trigger", "id"}});
  router.add({.method = "GET",
              .pattern = "/api/v1/workflows",
              .permission = Permission::kPlaybookRead,
              .doc = {.operation_id = "listWorkflows",
                      .summary = "The playbooks in the shape of Shuffle's GET /api/v1/workflows (a JSON array)",
                      .tag = "monitor",
                      .responses = {{200, "The workflows", "ShuffleWorkflowList"}}},
              .handler = sync_handler([&ctx](Request&) { return shuffle_workflows(ctx); })});
}

}  // namespace atio::server
