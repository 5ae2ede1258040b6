// Internal: the engine's shared state and one running execution (Run).
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "atio/engine/engine.h"
#include "atio/engine/scheduler.h"
#include "atio/engine/variables.h"

namespace atio::engine {

class Run;

struct Engine::Impl : std::enable_shared_from_this<Engine::Impl> {
  Impl(EngineOptions o, store::Store& s, actions::Registry& r, PlaybookSource& p,
       actions::ManualBoard& b)
      : options(o), store(s), registry(r), playbooks(p), board(b), scheduler(o.workers) {}

  EngineOptions options;
  store::Store& store;
  actions::Registry& registry;
  PlaybookSource& playbooks;
  actions::ManualBoard& board;
  Scheduler scheduler;

  mutable std::mutex mu;  // guards runs, reserved, slots, queued, listeners, waiters
  std::condition_variable idle_cv;
  std::map<std::string, std::shared_ptr<Run>> runs;
  std::size_t reserved = 0;  // executions being stored or loaded, not yet in runs
  // Run slots taken (max_running_executions): by executions launched or about
  // to be, less those waiting for a person.
  std::size_t slots = 0;
  std::deque<std::string> queued;  // stored as pending, waiting for a slot (FIFO)
  std::vector<std::string> deferred;  // stopped while the store was away (resume_deferred)
  std::vector<std::function<void(const ExecutionOutcome&)>> listeners;
  // One-shot callbacks for the end of one execution (start_and_wait).
  std::map<std::string, std::function<void(const ExecutionOutcome&)>> waiters;
  std::atomic<bool> stopped{false};

  // Starts walking a stored execution; `journal` holds its earlier steps.
  void launch(store::ExecutionRecord rec, std::vector<store::StepRecord> journal);
  // Called by a Run when it has ended and its end is durable.
  // `held_slot` is false for a queued execution aborted before it started.
  void finished(const ExecutionOutcome& outcome, bool held_slot = true);
  // Journals the end of an execution and, once durable, calls finished()
  // (a journal error turns it into failed; a lost ownership, dropped()).
  void end_execution(ExecutionOutcome outcome, bool held_slot);
  // Forgets an execution another node took over: no end is recorded or
  // told here (the new owner ends it); a waiter hears it still runs.
  // `resume_later`: the store was away, so it stays this node's and is
  // resumed by resume_deferred().
  void dropped(const std::string& id, const std::string& playbook_id, bool held_slot = true,
               bool resume_later = false);
  // An execution stops being active here: its run slot (or reservation)
  // is freed and the queue moves on; `resume_later` keeps it for
  // resume_deferred().
  void release(const std::string& id, bool held_slot, bool resume_later);
  // Starts or queues executions this node just took over (claimed).
  void adopt(const std::vector<std::string>& ids);
  // On a worker: reads a stored execution and its journal, then launches it.
  // REQUIRES: a slot and a reservation are taken for it (released on failure).
  void load_and_launch(const std::string& id);
  // Launches queued executions while slots are free.
  void pump();
  // A run waits for a person: its slot is free meanwhile (unpark takes it
  // back, even above the limit, so the run can go on).
  void park();
  void unpark();
};

std::int64_t now_ms();

// One playbook being walked: the main one or a sub-playbook.
struct Frame {
  std::shared_ptr<const cacao::Playbook> playbook;
  std::shared_ptr<VariableScope> vars;
  int depth = 0;
};

// What a step ended with.
struct StepResult {
  Status status;
  std::string branch;   // if/while/switch: which way it went
  bj::object outputs;
  bj::object variables;  // variables the step wrote
  bj::object inputs;     // what the step got: in_args, the command(s) as run
};

using StepDone = std::function<void(StepResult)>;
using BranchDone = std::function<void(Status)>;

// One sequential branch being walked: its journal-key prefix, occurrence
// counts of step ids (a step run twice gets distinct keys), and the step that
// ends it when linked to (a while body linking back to its while step).
struct Branch {
  std::string path;
  std::map<std::string, int> counters;
  std::string stop_at;
};

inline std::shared_ptr<Branch> new_branch(std::string path, std::string stop_at = "") {
  auto b = std::make_shared<Branch>();
  b->path = std::move(path);
  b->stop_at = std::move(stop_at);
  return b;
}

class Run : public std::enable_shared_from_this<Run> {
 public:
  Run(std::shared_ptr<Engine::Impl> engine, store::ExecutionRecord rec, Frame main,
      std::vector<store::StepRecord> journal);

  void start();
  void abort(const std::string& why);
  // Drops what the run holds on to (waits on cancellation), so a stopped
  // engine releases it.
  void shutdown();
  const std::string& id() const { return rec_.id; }
  // Steps in flight whose end is not durable yet (Engine::live_steps).
  std::vector<store::StepRecord> live_steps() const;

 // A step's completion that fires once: from the step itself, its timeout,
  // or an abort/cancellation of an enclosing scope.
  struct Completion;
  void remove_wake(std::uint64_t id);

 private:

  void walk(Frame frame, std::shared_ptr<Branch> branch, std::string step_id,
            std::shared_ptr<actions::CancelToken> cancel, BranchDone done);
  void run_step(const Frame& frame, const cacao::Step& step, const std::string& key,
                std::shared_ptr<actions::CancelToken> cancel, StepDone done);
  void execute(const Frame& frame, const cacao::Step& step, const std::string& key,
               std::shared_ptr<actions::CancelToken> cancel, std::shared_ptr<Completion> c);

  void run_action(const Frame& frame, const cacao::Step& step, const std::string& key,
                  std::shared_ptr<actions::CancelToken> cancel, std::shared_ptr<Completion> c);
  void run_command(const Frame& frame, const cacao::Step& step, const std::string& key,
                   std::size_t index, std::shared_ptr<actions::CancelToken> cancel,
                   std::shared_ptr<Completion> c, std::shared_ptr<StepResult> acc);
  // A command's outcome, its large outputs stored: its out_args and outputs
  // join the step's, then the next command runs (or the step ends).
  void command_done(const Frame& frame, const cacao::Step& step, const std::string& key,
                    std::size_t index, std::shared_ptr<actions::CancelToken> cancel,
                    std::shared_ptr<Completion> c, std::shared_ptr<StepResult> acc,
                    actions::Outcome& o);
  void run_playbook_action(const Frame& frame, const cacao::Step& step, const std::string& key,
                           std::shared_ptr<actions::CancelToken> cancel,
                           std::shared_ptr<Completion> c);
  void run_parallel(const Frame& frame, const cacao::Step& step, const std::string& key,
                    std::shared_ptr<actions::CancelToken> cancel, std::shared_ptr<Completion> c);
  void run_if(const Frame& frame, const cacao::Step& step, const std::string& key,
              std::shared_ptr<actions::CancelToken> cancel, std::shared_ptr<Completion> c);
  void run_while(const Frame& frame, const cacao::Step& step, const std::string& key,
                 std::shared_ptr<actions::CancelToken> cancel, std::shared_ptr<Completion> c,
                 int iteration);
  void run_switch(const Frame& frame, const cacao::Step& step, const std::string& key,
                  std::shared_ptr<actions::CancelToken> cancel, std::shared_ptr<Completion> c);
  // Runs a sub-branch of a composite step and completes `c` with its status.
  void run_branch(const Frame& frame, const std::string& path, const std::string& target,
                  std::shared_ptr<actions::CancelToken> cancel, std::shared_ptr<Completion> c,
                  std::string branch);

  Result<bool> evaluate(const Frame& frame, const cacao::Step& step);

  // Journals the step's end. Returns true when the caller goes on with
  // done(result) at once (write-behind); false when done runs later, once the
  // record is durable (manual answers).
  // `live`: the step is listed in live_ (it was in flight), and leaves it
  // once its end is durable.
  bool finish_step(const cacao::Step& step, const std::string& key, std::int64_t started_ms,
                   StepResult& result, const StepDone& done, bool live);
  store::StepRecord running_record(const cacao::Step& step, const std::string& key,
                                   std::int64_t started_ms) const;
  // Journals that the step waits for a person: its "running" record and the
  // task every node lists (store.h ManualWaitRecord), unless it ended.
  void journal_wait(const cacao::Step& step, const std::string& key,
                    const std::shared_ptr<Completion>& c, const actions::ManualTask& task);
  void clear_live(const std::string& key);
  // Tells EngineOptions::on_progress that this execution changed.
  void progressed() const;
  void finish_execution(Status status);
  // A write-behind journal write failed: the execution is stopped.
  void journal_failed(Status s);

  // Registers `fn` to run when a scope containing `token` is cancelled.
  std::uint64_t add_wake(std::shared_ptr<actions::CancelToken> token, std::function<void()> fn);
  // Cancels `token` and wakes everything waiting under it.
  void cancel_and_wake(const std::shared_ptr<actions::CancelToken>& token);

  std::shared_ptr<Engine::Impl> engine_;
  store::ExecutionRecord rec_;
  Frame main_;
  std::map<std::string, store::StepRecord> journal_;  // finished steps of earlier attempts
  std::shared_ptr<actions::CancelToken> root_;
  std::atomic<bool> finishing_{false};
  std::atomic<bool> lost_{false};      // another node owns the execution now
  std::atomic<bool> deferred_{false};  // the store was away: resumed later here
  // A journal write failed: nothing more of this run is journaled. Steps it
  // cuts short must not be recorded as failed, or a resume would take that
  // end as real and go on past them without running them.
  std::atomic<bool> journal_broken_{false};
  std::string abort_reason_;  // set before root_ is cancelled

  mutable std::mutex live_mu_;
  std::map<std::string, store::StepRecord> live_;  // step key -> in-flight step

  std::mutex wake_mu_;
  std::uint64_t next_wake_ = 1;
  std::map<std::uint64_t, std::pair<std::shared_ptr<actions::CancelToken>, std::function<void()>>>
      wakes_;
};

struct Run::Completion {
  std::atomic<bool> fired{false};
  StepDone done;
  std::uint64_t wake_id = 0;
  Run* run = nullptr;  // the Run outlives its completions
  std::uint64_t vars_version = 0;  // variables' version when the step started
  std::mutex journal_mu;            // orders the step's running and end states
  bool journaled_end = false;       // guarded by journal_mu
  bool live = false;                // in Run::live_; guarded by journal_mu
  std::int64_t started_ms = 0;      // wall clock, for the step's records

  void set_timer(std::shared_ptr<Scheduler::Timer> t) {
    std::lock_guard<std::mutex> lk(mu);
    timer = std::move(t);
  }
  // Fires once; later calls are ignored (a late result after a timeout).
  void fire(StepResult r) {
    if (fired.exchange(true, std::memory_order_acq_rel)) return;
    {
      std::lock_guard<std::mutex> lk(mu);
      if (timer) timer->cancel();
      timer.reset();
    }
    if (wake_id) run->remove_wake(wake_id);
    done(std::move(r));
  }

 private:
  std::mutex mu;
  std::shared_ptr<Scheduler::Timer> timer;  // the delay, then the timeout
};

}  // namespace atio::engine
