// The engine: creates executions durably, walks their CACAO workflow on a
// bounded worker pool, journals every step, and resumes unfinished
// executions after a crash.
//
// Threading: every public method is thread-safe. Steps run as short tasks on
// the scheduler's workers; outside calls (HTTP, manual answers, timers)
// complete asynchronously, so a slow call never holds a worker.
#pragma once

#include <boost/json/object.hpp>

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "atio/actions/manual/manual_board.h"
#include "atio/actions/registry.h"
#include "atio/core/status.h"
#include "atio/playbook/cacao/model.h"
#include "atio/store/store.h"

namespace atio::metrics {
class Metrics;
}

namespace atio::engine {

namespace bj = boost::json;

// Where the engine finds playbooks by id (the store, or files for `atio run`).
class PlaybookSource {
 public:
  virtual ~PlaybookSource() = default;
  virtual Result<std::shared_ptr<const cacao::Playbook>> get(const std::string& id) = 0;
};

struct EngineOptions {
  std::size_t workers = 2;
  // Executions accepted and not finished (running or queued); start() beyond
  // this answers kResourceExhausted and stores nothing.
  std::size_t max_active_executions = 20000;
  // Executions walked at once. More wait, stored as pending, in a FIFO queue
  // and start as others finish, so a burst cannot exhaust memory and the
  // executions that run finish quickly. An execution waiting for a person
  // (a manual step) does not count while it waits.
  std::size_t max_running_executions = 1024;
  // A while-condition that loops more often fails its step.
  int max_while_iterations = 1000;
  // playbook-action nesting limit (also stops a playbook calling itself forever).
  int max_playbook_depth = 8;
  // A command's output value whose JSON is larger than this many bytes is
  // kept outside the journal, as is every file a command hands over, and
  // the step's outputs hold a reference (engine/large_outputs.h,
  // docs/large-outputs.md).
  std::size_t large_output_bytes = 1024 * 1024;
  // Counts executions started and ended and times every step run
  // (docs/metrics.md); null: nothing is counted. REQUIRES: outlives the engine.
  metrics::Metrics* metrics = nullptr;
  // Called with an execution's id each time one of its steps has started
  // (listed in live_steps()) or its end has become durable (in the store),
  // and when the execution has ended, so that live views re-read it. Runs
  // on the engine's and the store's threads: it must be cheap and must not
  // block (EventHub::notify). Empty: nobody is told.
  std::function<void(const std::string& execution_id)> on_progress;
  // This node's id (NodeRecord::id). Executions it creates or takes over
  // are its own, and its writes of them are fenced: once another node has
  // taken one over, this one stops it without ending it. "": one process
  // owns the store (atio run, tests), nothing is fenced.
  std::string node_id;
};

struct ExecutionOutcome {
  std::string id;
  store::ExecutionStatus status;
  std::string error;
  std::string playbook_id;  // "" when not known (an execution aborted while queued, unreadable)
};

// Merges live steps (Engine::live_steps) over journal states (Store::get_steps):
// a live step replaces its key's journal record unless that record is already
// an end (the end became durable a moment before the live entry left);
// steps only live are appended in start order.
void merge_live_steps(std::vector<store::StepRecord>& journal,
                      std::vector<store::StepRecord> live);

class Engine {
 public:
  Engine(EngineOptions options, store::Store& store, actions::Registry& registry,
         PlaybookSource& playbooks, actions::ManualBoard& manual_board);
  ~Engine();  // stops; unfinished executions stay in the store for resume
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  // Ops written in the same transaction as new executions (the audit record
  // of the request that starts them), given the executions' ids.
  using WithOps = std::function<std::vector<store::WriteOp>(const std::vector<std::string>& ids)>;

  // Creates one execution per entry of `variables` (all or none), durably,
  // then starts them. `done` runs once they are stored, with their ids, or
  // with the error (kNotFound playbook, kResourceExhausted when full, kIo).
  // The ops `with` gives are stored with them, all or none.
  void start(const std::string& playbook_id, std::vector<bj::object> variables, bj::object trigger,
             std::function<void(Result<std::vector<std::string>>)> done, WithOps with = nullptr);
  // Like start(), then waits for the executions to end: `done` runs once
  // every one has ended (each outcome in the order of `variables`), or when
  // `timeout` has passed (executions still running then have status
  // running), or at once with the error start() would give.
  void start_and_wait(const std::string& playbook_id, std::vector<bj::object> variables,
                      bj::object trigger, std::chrono::milliseconds timeout,
                      std::function<void(Result<std::vector<ExecutionOutcome>>)> done,
                      WithOps with = nullptr);

  // start() and wait for the ids.
  Result<std::vector<std::string>> start_sync(const std::string& playbook_id,
                                              std::vector<bj::object> variables,
                                              bj::object trigger);

  // Resumes every execution the store holds as pending or running: finished
  // steps are not run again; a step that was in flight runs again with the
  // same Idempotency-Key.
  Status resume_unfinished();
  // Takes over, for options.node_id, the unfinished executions of nodes that
  // are gone (stopped, or silent since stale_before_ms: store.h
  // ClaimExecutions) and resumes them as resume_unfinished() does; returns
  // how many it took. REQUIRES: options.node_id is set and this node's own
  // record is in the store. Blocks until the claim is durable.
  Result<std::size_t> claim_orphans(std::int64_t stale_before_ms);
  // Takes the backlog of busy nodes (store.h StealBacklog): executions other
  // nodes accepted before created_before_ms and have not started, as many as
  // this node has free run slots while nothing waits in its own queue; starts
  // them as claim_orphans() does. Returns how many it took.
  Result<std::size_t> steal_backlog(std::int64_t created_before_ms);
  // Resumes the executions stopped because the store was away (their journal
  // or end could not be written, or they could not be read back): they stay
  // unfinished and this node's in the store meanwhile, and run on from their
  // journal. Returns how many it tried; those the store still refuses wait
  // for the next call. Called periodically (server/takeover.h).
  std::size_t resume_deferred();

  // Aborts a running execution: in-flight steps are cancelled and the
  // execution ends as aborted. kNotFound when it is not running here.
  Status abort(const std::string& execution_id, const std::string& who);

  // Steps of an execution running here that are in flight (an outside call,
  // a manual wait, a composite step's branches), as `running` records. Their
  // start is not journaled (only their end is), so readers merge these over
  // the journal to see every step's current state. Empty when the execution
  // is not running here.
  std::vector<store::StepRecord> live_steps(const std::string& execution_id) const;

  // Called (from a worker) each time an execution ends.
  void on_finished(std::function<void(const ExecutionOutcome&)> listener);

  // Executions accepted and not finished (running, being started, queued).
  std::size_t active() const;
  // Executions stored as pending, waiting for a run slot.
  std::size_t queued() const;
  // Runs `reached` on a worker as soon as one is free: the health check's
  // sign that the worker loop turns (GET /healthz). Dropped, never run, once
  // the engine has stopped.
  void heartbeat(std::function<void()> reached);
  // Blocks until no execution is active (tests, `atio run`).
  void wait_idle();
  // Stops the workers; running executions stay unfinished in the store.
  void stop();

  struct Impl;

 private:
  std::shared_ptr<Impl> impl_;
};

}  // namespace atio::engine
