// Walking one execution's CACAO workflow.
//
// Semantics (CACAO 2.0): a branch runs step after step until it reaches an
// end step. A step that succeeds follows on_success, else on_completion; a
// step that fails follows on_failure, else on_completion; with neither the
// branch fails. Composite steps (parallel, if/while/switch-condition,
// playbook-action) run their sub-branches to their end steps and then
// continue with their own on_* links. Every step's end is journaled durably
// before the walk goes on; on resume, steps already finished are replayed
// from the journal instead of run.
#include "atio/engine/engine_impl.h"

#include <chrono>
#include <string_view>

#include "atio/metrics/metrics.h"
#include "atio/playbook/expr/condition.h"

namespace atio::engine {

namespace {

// A journal write that failed so: the run stops without an end of its own.
bool stops_run(const Status& s) {
  return store::is_ownership_lost(s) || s.code() == Code::kUnavailable;
}

}  // namespace


namespace {

// A step that asks a person parks its run: it gives its run slot back while
// it waits, and its wait is journaled (Run::journal_wait) so that it shows
// across restarts and on every node. Other steps in flight are only listed
// live (Engine::live_steps): if atio dies, they run again anyway.
bool asks_person(const cacao::Step& step) {
  for (const auto& cmd : step.commands) {
    if (cmd.type == "manual") return true;
  }
  return false;
}

// The command_type label of a step's duration: its commands' type ("" for a
// step without commands); several types joined with '+', in order.
std::string_view command_type_label(const cacao::Step& step, std::string* joined) {
  if (step.commands.empty()) return {};
  const std::string& first = step.commands.front().type;
  bool same = true;
  for (const auto& c : step.commands) same = same && c.type == first;
  if (same) return first;
  for (std::size_t i = 0; i < step.commands.size(); ++i) {
    const std::string& type = step.commands[i].type;
    bool earlier = false;
    for (std::size_t j = 0; j < i; ++j) earlier = earlier || step.commands[j].type == type;
    if (earlier) continue;
    if (!joined->empty()) *joined += '+';
    *joined += type;
  }
  return *joined;
}

std::string step_key(Branch& branch, const std::string& step_id) {
  int n = branch.counters[step_id]++;
  std::string key = branch.path + step_id;
  if (n > 0) key += "#" + std::to_string(n);
  return key;
}

}  // namespace

Run::Run(std::shared_ptr<Engine::Impl> engine, store::ExecutionRecord rec, Frame main,
         std::vector<store::StepRecord> journal)
    : engine_(std::move(engine)),
      rec_(std::move(rec)),
      main_(std::move(main)),
      root_(std::make_shared<actions::CancelToken>()) {
  for (auto& s : journal) {
    if (s.status == store::StepStatus::kSucceeded || s.status == store::StepStatus::kFailed) {
      journal_.emplace(s.step_key, std::move(s));
    }
  }
}

void Run::start() {
  auto self = shared_from_this();
  if (rec_.status == store::ExecutionStatus::kPending) {
    engine_->store.submit({store::MarkExecutionRunning{rec_.id, engine_->options.node_id}},
                          [self](Status s) {
                            if (stops_run(s)) self->journal_failed(std::move(s));
                          });
  }
  walk(main_, new_branch(""), main_.playbook->workflow_start, root_,
       [self](Status s) {
         if (s.is_ok() || self->root_->cancelled() || self->main_.playbook->workflow_exception.empty()) {
           self->finish_execution(std::move(s));
           return;
         }
         // An unhandled failure runs the workflow_exception branch; the
         // execution still ends as failed with the original error.
         self->walk(self->main_, new_branch("exception/"),
                    self->main_.playbook->workflow_exception, self->root_,
                    [self, s](Status) { self->finish_execution(s); });
       });
}

void Run::abort(const std::string& why) {
  {
    std::lock_guard<std::mutex> lk(wake_mu_);
    if (abort_reason_.empty()) abort_reason_ = why;
  }
  cancel_and_wake(root_);
}

void Run::shutdown() {
  decltype(wakes_) dropped;
  {
    std::lock_guard<std::mutex> lk(wake_mu_);
    dropped.swap(wakes_);
  }
}

void Run::walk(Frame frame, std::shared_ptr<Branch> branch, std::string step_id,
               std::shared_ptr<actions::CancelToken> cancel, BranchDone done) {
  if (cancel->cancelled()) {
    done(Status(Code::kAborted, "cancelled"));
    return;
  }
  if (!branch->stop_at.empty() && step_id == branch->stop_at) {
    done(Status());
    return;
  }
  const cacao::Step* step = frame.playbook->find_step(step_id);
  if (!step) {
    done(Status(Code::kInternal, "step " + step_id + " does not exist in playbook " +
                                     frame.playbook->id));
    return;
  }
  std::string key = step_key(*branch, step_id);
  auto self = shared_from_this();
  run_step(frame, *step, key, cancel,
           [self, frame, branch, step, cancel, done](StepResult r) {
             if (step->kind == cacao::StepKind::kEnd) {
               done(Status());
               return;
             }
             const std::string* next = nullptr;
             if (r.status.is_ok()) {
               next = !step->on_success.empty() ? &step->on_success : &step->on_completion;
             } else if (r.status.code() != Code::kAborted || !cancel->cancelled()) {
               next = !step->on_failure.empty() ? &step->on_failure : &step->on_completion;
             }
             if (!next || next->empty()) {
               done(r.status.is_ok()
                        ? Status(Code::kInternal, "step " + step->id + " has no next step")
                        : std::move(r.status).with_context("step " + step->id));
               return;
             }
             // Go on inline while the stack is shallow (no task switch per
             // step); past a few levels, post, so long workflows never grow
             // the stack.
             thread_local int depth = 0;
             if (depth < 16) {
               ++depth;
               self->walk(frame, branch, *next, cancel, done);
               --depth;
               return;
             }
             self->engine_->scheduler.post([self, frame, branch, n = *next, cancel, done] {
               self->walk(frame, branch, n, cancel, done);
             });
           });
}

void Run::run_step(const Frame& frame, const cacao::Step& step, const std::string& key,
                   std::shared_ptr<actions::CancelToken> parent, StepDone done) {
  // Replay: a step finished by an earlier attempt is not run again.
  auto j = journal_.find(key);
  if (j != journal_.end()) {
    const store::StepRecord& rec = j->second;
    StepResult r;
    if (rec.status == store::StepStatus::kFailed) r.status = Status(Code::kFailed, rec.error);
    r.branch = rec.branch;
    r.outputs = rec.outputs;
    r.variables = rec.variables;
    for (const auto& kv : rec.variables) frame.vars->set(std::string(kv.key()), kv.value());
    done(std::move(r));
    return;
  }

  auto self = shared_from_this();
  auto cancel = std::make_shared<actions::CancelToken>(parent);
  const std::int64_t started = now_ms();
  const auto started_steady = std::chrono::steady_clock::now();  // for the duration metric
  auto c = std::make_shared<Completion>();
  c->run = this;
  c->started_ms = started;
  c->vars_version = frame.vars->version();
  Completion* cp = c.get();  // c->done must not own c
  // A run waiting for a person gives its run slot back meanwhile.
  const bool parks = asks_person(step);
  if (parks) engine_->park();
  c->done = [self, cp, step = &step, key, started, started_steady, done, parks](StepResult r) {
    if (parks) self->engine_->unpark();
    if (metrics::Metrics* m = self->engine_->options.metrics) {
      std::string joined;
      m->step_finished(cacao::step_kind_name(step->kind), command_type_label(*step, &joined),
                       std::chrono::duration<double>(std::chrono::steady_clock::now() -
                                                     started_steady)
                           .count());
    }
    bool go_on;
    {
      // Under journal_mu, so a "running" record can never follow the end.
      std::lock_guard<std::mutex> lk(cp->journal_mu);
      cp->journaled_end = true;
      go_on = self->finish_step(*step, key, started, r, done, cp->live);
    }
    if (go_on) done(std::move(r));
  };
  // Timeout and cancellation race the step; whichever comes first wins.
  c->wake_id = add_wake(cancel, [c, self] {
    StepResult r;
    std::string reason;
    {
      std::lock_guard<std::mutex> lk(self->wake_mu_);
      reason = self->abort_reason_;
    }
    r.status = Status(Code::kAborted, reason.empty() ? "cancelled" : reason);
    c->fire(std::move(r));
  });

  auto body = [self, frame, step = &step, key, cancel, c, started] {
    if (c->fired.load()) return;
    if (step->timeout_ms && *step->timeout_ms > 0) {
      c->set_timer(self->engine_->scheduler.after(
          std::chrono::milliseconds(*step->timeout_ms), [self, c, cancel, step] {
            if (c->fired.load()) return;
            StepResult r;
            r.status = Status(Code::kTimeout, "step timed out after " +
                                                  std::to_string(*step->timeout_ms) + " ms");
            c->fire(std::move(r));
            self->cancel_and_wake(cancel);  // stop whatever still runs below it
          }));
    }
    self->execute(frame, *step, key, cancel, c);
    // A step still in flight when execute() returns (an outside call, a
    // manual wait, sub-branches) is listed live until its end is durable;
    // one that already ended (a Lua transform, a condition) is not: its end
    // record holds its start time. (A manual wait is journaled as well, by
    // journal_wait.)
    std::lock_guard<std::mutex> lk(c->journal_mu);
    if (!c->journaled_end && step->kind != cacao::StepKind::kStart &&
        step->kind != cacao::StepKind::kEnd) {
      c->live = true;
      store::StepRecord rec = self->running_record(*step, key, started);
      {
        std::lock_guard<std::mutex> live_lk(self->live_mu_);
        self->live_[key] = std::move(rec);
      }
      self->progressed();
    }
  };

  if (step.delay_ms && *step.delay_ms > 0) {
    c->set_timer(engine_->scheduler.after(std::chrono::milliseconds(*step.delay_ms), body));
  } else {
    body();
  }
}

void Run::execute(const Frame& frame, const cacao::Step& step, const std::string& key,
                  std::shared_ptr<actions::CancelToken> cancel, std::shared_ptr<Completion> c) {
  switch (step.kind) {
    case cacao::StepKind::kStart:
    case cacao::StepKind::kEnd:
      c->fire(StepResult{});
      return;
    case cacao::StepKind::kAction:
      run_action(frame, step, key, cancel, c);
      return;
    case cacao::StepKind::kPlaybookAction:
      run_playbook_action(frame, step, key, cancel, c);
      return;
    case cacao::StepKind::kParallel:
      run_parallel(frame, step, key, cancel, c);
      return;
    case cacao::StepKind::kIfCondition:
      run_if(frame, step, key, cancel, c);
      return;
    case cacao::StepKind::kWhileCondition:
      run_while(frame, step, key, cancel, c, 0);
      return;
    case cacao::StepKind::kSwitchCondition:
      run_switch(frame, step, key, cancel, c);
      return;
  }
}

store::StepRecord Run::running_record(const cacao::Step& step, const std::string& key,
                                      std::int64_t started_ms) const {
  store::StepRecord rec;
  rec.execution_id = rec_.id;
  rec.step_key = key;
  rec.step_id = step.id;
  rec.step_type = cacao::step_kind_name(step.kind);
  rec.status = store::StepStatus::kRunning;
  rec.started_at_ms = started_ms;
  return rec;
}

void Run::journal_wait(const cacao::Step& step, const std::string& key,
                       const std::shared_ptr<Completion>& c, const actions::ManualTask& task) {
  // Not awaited: if the process dies first, the person is simply asked again.
  std::lock_guard<std::mutex> lk(c->journal_mu);
  if (c->journaled_end || journal_broken_.load()) return;
  store::ManualWaitRecord wait;
  wait.execution_id = rec_.id;
  wait.step_key = key;
  wait.task = actions::stored_task(task);
  wait.created_at_ms = task.created_at_ms;
  auto self = shared_from_this();
  engine_->store.submit({store::PutStep{running_record(step, key, c->started_ms),
                                        engine_->options.node_id},
                         store::PutManualWait{std::move(wait)}},
                        [self](Status s) {
                          if (stops_run(s)) self->journal_failed(std::move(s));
                        });
}

void Run::progressed() const {
  if (engine_->options.on_progress) engine_->options.on_progress(rec_.id);
}

void Run::clear_live(const std::string& key) {
  std::lock_guard<std::mutex> lk(live_mu_);
  live_.erase(key);
}

std::vector<store::StepRecord> Run::live_steps() const {
  std::vector<store::StepRecord> out;
  std::lock_guard<std::mutex> lk(live_mu_);
  out.reserve(live_.size());
  for (const auto& [key, rec] : live_) out.push_back(rec);
  return out;
}

bool Run::finish_step(const cacao::Step& step, const std::string& key, std::int64_t started_ms,
                      StepResult& result, const StepDone& done, bool live) {
  if (journal_broken_.load()) {
    // The run is stopping (journal_failed): this step's end is not written,
    // so whoever resumes the execution runs the step again.
    if (live) clear_live(key);
    return true;
  }
  store::StepRecord rec;
  rec.execution_id = rec_.id;
  rec.step_key = key;
  rec.step_id = step.id;
  rec.step_type = cacao::step_kind_name(step.kind);
  rec.status = result.status.is_ok() ? store::StepStatus::kSucceeded : store::StepStatus::kFailed;
  rec.started_at_ms = started_ms;
  rec.finished_at_ms = now_ms();
  rec.inputs = std::move(result.inputs);
  rec.outputs = std::move(result.outputs);  // only the journal needs them now
  rec.variables = std::move(result.variables);
  rec.branch = result.branch;
  rec.error = result.status.is_ok() ? "" : result.status.to_string();
  auto self = shared_from_this();
  // Write-behind: the journal is a single FIFO, so what is durable is a
  // prefix of what happened, and a step whose end is lost to a crash runs
  // again with the same idempotency key. A write that fails stops the run and
  // nothing of it is written after (journal_broken_); an end already queued
  // behind the failed write may still land, and is a real end. Only a manual answer waits: a person
  // should not be asked twice.
  const bool wait = asks_person(step);
  // A live step stays listed as running until its end is durable, so a
  // reader never misses it.
  std::string live_key = live ? key : std::string();
  if (!wait) {
    engine_->store.submit({store::PutStep{std::move(rec), engine_->options.node_id}},
                          [self, live_key](Status s) {
      if (!s.is_ok()) self->journal_failed(std::move(s));
      if (!live_key.empty()) self->clear_live(live_key);
      self->progressed();
    });
    return true;
  }
  engine_->store.submit({store::PutStep{std::move(rec), engine_->options.node_id},
                         store::DeleteManualWait{rec_.id, key}},
                        [self, live_key, result = std::move(result), done](Status s) mutable {
                          if (!live_key.empty()) self->clear_live(live_key);
                          self->progressed();
                          if (stops_run(s)) self->journal_failed(s);
                          if (!s.is_ok()) {
                            result.status = std::move(s).with_context("journal");
                          }
                          self->engine_->scheduler.post(
                              [done, result = std::move(result)]() mutable { done(std::move(result)); });
                        });
  return false;
}

void Run::journal_failed(Status s) {
  // Without a journal the execution cannot promise to resume: stop it. When
  // another node took it over (this node's lease ran out), it stops here
  // without an end of its own: the new owner resumes it from the journal.
  // When the store is away, it stops without an end too, and this node
  // resumes it from the journal once the store is back (resume_deferred).
  journal_broken_.store(true);
  if (store::is_ownership_lost(s)) {
    lost_.store(true);
  } else if (s.code() == Code::kUnavailable) {
    deferred_.store(true);
  }
  {
    std::lock_guard<std::mutex> lk(wake_mu_);
    if (abort_reason_.empty()) abort_reason_ = "journal write failed: " + s.to_string();
  }
  cancel_and_wake(root_);
}

void Run::finish_execution(Status status) {
  if (finishing_.exchange(true)) return;
  if (lost_.load() || deferred_.load()) {
    engine_->dropped(rec_.id, rec_.playbook_id, true, deferred_.load());
    return;
  }
  store::ExecutionStatus st = store::ExecutionStatus::kSucceeded;
  std::string error;
  if (root_->cancelled()) {
    st = store::ExecutionStatus::kAborted;
    std::lock_guard<std::mutex> lk(wake_mu_);
    error = abort_reason_.empty() ? "aborted" : abort_reason_;
  } else if (!status.is_ok()) {
    st = store::ExecutionStatus::kFailed;
    error = status.to_string();
  }
  // The engine's runs table keeps this Run until finished() removes it.
  engine_->end_execution({rec_.id, st, error, rec_.playbook_id}, true);
}

std::uint64_t Run::add_wake(std::shared_ptr<actions::CancelToken> token, std::function<void()> fn) {
  std::uint64_t id;
  bool already = false;
  {
    std::lock_guard<std::mutex> lk(wake_mu_);
    id = next_wake_++;
    already = token->cancelled();
    if (!already) wakes_.emplace(id, std::make_pair(std::move(token), fn));
  }
  if (already) engine_->scheduler.post(std::move(fn));
  return id;
}

void Run::remove_wake(std::uint64_t id) {
  std::lock_guard<std::mutex> lk(wake_mu_);
  wakes_.erase(id);
}

void Run::cancel_and_wake(const std::shared_ptr<actions::CancelToken>& token) {
  token->cancel();
  std::vector<std::function<void()>> fns;
  {
    std::lock_guard<std::mutex> lk(wake_mu_);
    for (auto it = wakes_.begin(); it != wakes_.end();) {
      if (it->second.first->cancelled()) {
        fns.push_back(std::move(it->second.second));
        it = wakes_.erase(it);
      } else {
        ++it;
      }
    }
  }
  for (auto& fn : fns) engine_->scheduler.post(std::move(fn));
}

}  // namespace atio::engine
