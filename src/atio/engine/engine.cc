#include "atio/engine/engine.h"

#include <algorithm>
#include <chrono>
#include <map>
#include <future>

#include "atio/core/ids.h"
#include "atio/engine/engine_impl.h"
#include "atio/metrics/metrics.h"

namespace atio::engine {

std::int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

void Engine::Impl::launch(store::ExecutionRecord rec, std::vector<store::StepRecord> journal) {
  auto pb = playbooks.get(rec.playbook_id);
  Status err;
  std::shared_ptr<VariableScope> vars;
  if (!pb.is_ok()) {
    err = pb.status().with_context("playbook " + rec.playbook_id);
  } else {
    auto v = VariableScope::create((*pb)->playbook_variables, rec.variables);
    if (v.is_ok()) {
      vars = *v;
    } else {
      err = v.status();
    }
  }
  if (!err.is_ok()) {
    // The execution cannot start; record why instead of leaving it pending.
    ExecutionOutcome o{rec.id, store::ExecutionStatus::kFailed, err.to_string(), rec.playbook_id};
    auto self = shared_from_this();
    {
      std::lock_guard<std::mutex> lk(mu);
      runs.emplace(rec.id, nullptr);
      if (reserved) --reserved;
    }
    end_execution(o, true);
    return;
  }
  auto run = std::make_shared<Run>(shared_from_this(), std::move(rec),
                                   Frame{*pb, vars, 0}, std::move(journal));
  {
    std::lock_guard<std::mutex> lk(mu);
    runs[run->id()] = run;
    if (reserved) --reserved;
  }
  scheduler.post([run] { run->start(); });
}

void Engine::Impl::finished(const ExecutionOutcome& outcome, bool held_slot) {
  std::vector<std::function<void(const ExecutionOutcome&)>> ls;
  std::function<void(const ExecutionOutcome&)> waiter;
  {
    std::lock_guard<std::mutex> lk(mu);
    ls = listeners;
    auto it = waiters.find(outcome.id);
    if (it != waiters.end()) {
      waiter = std::move(it->second);
      waiters.erase(it);
    }
  }
  if (options.metrics) {
    options.metrics->execution_finished(outcome.playbook_id, store::to_string(outcome.status));
  }
  // Listeners run before the execution stops counting as active, so
  // wait_idle() returns only after every listener has seen every end.
  for (auto& l : ls) l(outcome);
  if (waiter) waiter(outcome);
  if (options.on_progress) options.on_progress(outcome.id);
  release(outcome.id, held_slot, false);
}

void Engine::Impl::release(const std::string& id, bool held_slot, bool resume_later) {
  {
    std::lock_guard<std::mutex> lk(mu);
    runs.erase(id);
    if (resume_later) deferred.push_back(id);
    if (held_slot) {
      if (slots) --slots;
    } else if (reserved) {
      --reserved;
    }
  }
  pump();
  idle_cv.notify_all();
}

void Engine::Impl::end_execution(ExecutionOutcome outcome, bool held_slot) {
  auto self = shared_from_this();
  store.submit({store::FinishExecution{outcome.id, outcome.status, outcome.error, now_ms(),
                                        options.node_id}},
               [self, outcome, held_slot](Status s) {
                 // Taken over: the new owner ends it. The store away: ended
                 // when this node resumes it.
                 if (store::is_ownership_lost(s) || s.code() == Code::kUnavailable) {
                   const bool later = !store::is_ownership_lost(s);
                   self->scheduler.post([self, outcome, held_slot, later] {
                     self->dropped(outcome.id, outcome.playbook_id, held_slot, later);
                   });
                   return;
                 }
                 ExecutionOutcome o = outcome;
                 if (!s.is_ok()) {
                   o.status = store::ExecutionStatus::kFailed;
                   o.error = "journal: " + s.to_string();
                 }
                 // Off the store's completer thread.
                 self->scheduler.post([self, o, held_slot] { self->finished(o, held_slot); });
               });
}

void Engine::Impl::dropped(const std::string& id, const std::string& playbook_id,
                           bool held_slot, bool resume_later) {
  // A waiter of an execution this node resumes later keeps waiting for its
  // end (or its timeout); one taken over hears it runs on elsewhere.
  std::function<void(const ExecutionOutcome&)> waiter;
  if (!resume_later) {
    std::lock_guard<std::mutex> lk(mu);
    auto it = waiters.find(id);
    if (it != waiters.end()) {
      waiter = std::move(it->second);
      waiters.erase(it);
    }
  }
  if (waiter) {
    waiter({id, store::ExecutionStatus::kRunning, "continues on another node", playbook_id});
  }
  if (options.on_progress) options.on_progress(id);
  release(id, held_slot, resume_later);
}

void Engine::Impl::adopt(const std::vector<std::string>& ids) {
  for (const auto& id : ids) {
    {
      std::lock_guard<std::mutex> lk(mu);
      if (runs.count(id) || stopped) continue;
      if (slots >= options.max_running_executions || !queued.empty()) {
        queued.push_back(id);  // read back from the store when a slot frees (pump)
        continue;
      }
      ++slots;
      ++reserved;
    }
    load_and_launch(id);
  }
}

void Engine::Impl::load_and_launch(const std::string& id) {
  auto self = shared_from_this();
  scheduler.post([self, id] {
    // Read back from the store: a queued execution holds no memory here.
    auto rec = self->store.get_execution(id);
    auto steps = self->store.get_steps(id);
    if (!rec.is_ok() || !steps.is_ok()) {
      // The store is away: still this node's, resumed once it is back.
      std::lock_guard<std::mutex> lk(self->mu);
      if (self->slots) --self->slots;
      if (self->reserved) --self->reserved;
      self->deferred.push_back(id);
      return;
    }
    if (!*rec || store::is_terminal((*rec)->status) ||
        (!self->options.node_id.empty() && (*rec)->owner != self->options.node_id)) {
      // Gone, ended or another node's by now (taken while it waited in this
      // node's queue): nothing to run here; its slot goes back.
      {
        std::lock_guard<std::mutex> lk(self->mu);
        if (self->reserved) --self->reserved;
      }
      if (*rec && !store::is_terminal((*rec)->status)) {
        self->dropped(id, (*rec)->playbook_id, true, false);
      } else {
        self->release(id, true, false);
      }
      return;
    }
    self->launch(std::move(**rec), std::move(steps).value());
  });
}

void Engine::Impl::pump() {
  std::vector<std::string> next;
  {
    std::lock_guard<std::mutex> lk(mu);
    while (!stopped && slots < options.max_running_executions && !queued.empty()) {
      next.push_back(std::move(queued.front()));
      queued.pop_front();
      ++slots;
      ++reserved;
    }
  }
  for (auto& id : next) load_and_launch(id);
}

void Engine::Impl::park() {
  {
    std::lock_guard<std::mutex> lk(mu);
    if (slots) --slots;
  }
  pump();
}

void Engine::Impl::unpark() {
  std::lock_guard<std::mutex> lk(mu);
  ++slots;
}

Engine::Engine(EngineOptions options, store::Store& store, actions::Registry& registry,
               PlaybookSource& playbooks, actions::ManualBoard& manual_board)
    : impl_(std::make_shared<Impl>(options, store, registry, playbooks, manual_board)) {}

Engine::~Engine() { stop(); }

void Engine::start(const std::string& playbook_id, std::vector<bj::object> variables,
                   bj::object trigger,
                   std::function<void(Result<std::vector<std::string>>)> done, WithOps with) {
  auto pb = impl_->playbooks.get(playbook_id);
  if (!pb.is_ok()) {
    done(pb.status());
    return;
  }
  const std::size_t n = variables.size();
  std::size_t run_now = 0;
  {
    std::lock_guard<std::mutex> lk(impl_->mu);
    if (impl_->stopped) {
      done(Status(Code::kUnavailable, "the engine is stopping"));
      return;
    }
    if (impl_->runs.size() + impl_->reserved + impl_->queued.size() + n >
        impl_->options.max_active_executions) {
      done(Status(Code::kResourceExhausted,
                  "too many executions running or queued (limit " +
                      std::to_string(impl_->options.max_active_executions) + ")"));
      return;
    }
    impl_->reserved += n;
    // Those that get a slot now run right after the commit; the others wait
    // in the queue behind what already waits.
    while (run_now < n && impl_->queued.empty() &&
           impl_->slots < impl_->options.max_running_executions) {
      ++impl_->slots;
      ++run_now;
    }
  }
  std::vector<store::WriteOp> ops;
  std::vector<store::ExecutionRecord> recs;
  std::vector<std::string> ids;
  ops.reserve(n);
  const std::int64_t now = now_ms();
  for (auto& vars : variables) {
    store::ExecutionRecord rec;
    rec.id = uuid_v7();
    rec.playbook_id = playbook_id;
    rec.playbook_version = (*pb)->modified;
    // One that starts right after the commit is stored as running, which
    // saves marking it so a moment later.
    rec.status = recs.size() < run_now ? store::ExecutionStatus::kRunning
                                       : store::ExecutionStatus::kPending;
    rec.variables = std::move(vars);
    rec.trigger = trigger;
    rec.created_at_ms = now;
    rec.owner = impl_->options.node_id;
    ids.push_back(rec.id);
    ops.push_back(store::InsertExecution{rec});
    recs.push_back(std::move(rec));
  }
  if (with) {
    for (auto& op : with(ids)) ops.push_back(std::move(op));
  }
  auto impl = impl_;
  impl_->store.submit(std::move(ops), [impl, recs = std::move(recs), ids = std::move(ids), n,
                                       run_now, playbook_id,
                                       done = std::move(done)](Status s) mutable {
    if (!s.is_ok()) {
      {
        std::lock_guard<std::mutex> lk(impl->mu);
        impl->reserved -= n;
        impl->slots -= run_now;
      }
      impl->pump();
      done(std::move(s));
      return;
    }
    if (impl->options.metrics) impl->options.metrics->executions_started(playbook_id, n);
    // Stored: from here on the executions survive a crash. Queue those that
    // wait before answering, so that an abort sent on the answer finds them;
    // then answer, then start the others on the workers (this runs on the
    // store's completer thread).
    if (run_now < n) {
      std::lock_guard<std::mutex> lk(impl->mu);
      impl->reserved -= n - run_now;
      for (std::size_t i = run_now; i < n; ++i) impl->queued.push_back(ids[i]);
    }
    done(ids);
    for (std::size_t i = 0; i < run_now; ++i) {
      impl->scheduler.post(
          [impl, rec = std::move(recs[i])]() mutable { impl->launch(std::move(rec), {}); });
    }
    if (run_now < n) impl->pump();
  });
}

void Engine::start_and_wait(const std::string& playbook_id, std::vector<bj::object> variables,
                            bj::object trigger, std::chrono::milliseconds timeout,
                            std::function<void(Result<std::vector<ExecutionOutcome>>)> done,
                            WithOps with) {
  // Shared by the executions' waiters and the timer; answers once.
  struct Wait {
    std::mutex mu;
    std::vector<ExecutionOutcome> outcomes;
    std::map<std::string, std::size_t> index;
    std::size_t left = 0;
    bool answered = false;
    std::shared_ptr<Scheduler::Timer> timer;
    std::function<void(Result<std::vector<ExecutionOutcome>>)> done;
  };
  auto w = std::make_shared<Wait>();
  w->done = std::move(done);
  auto answer = [](const std::shared_ptr<Wait>& w) {
    std::vector<ExecutionOutcome> out;
    {
      std::lock_guard<std::mutex> lk(w->mu);
      if (w->answered) return;
      w->answered = true;
      out = w->outcomes;
      if (w->timer) w->timer->cancel();
      w->timer.reset();
    }
    w->done(std::move(out));
  };
  auto impl = impl_;
  start(playbook_id, std::move(variables), std::move(trigger),
        [impl, w, timeout, answer](Result<std::vector<std::string>> ids) {
          if (!ids.is_ok()) {
            w->done(ids.status());
            return;
          }
          {
            std::lock_guard<std::mutex> lk(w->mu);
            for (const auto& id : *ids) {
              w->index.emplace(id, w->outcomes.size());
              w->outcomes.push_back({id, store::ExecutionStatus::kRunning, ""});
            }
            w->left = ids->size();
          }
          // Registered before the executions are launched (that follows this
          // callback), so no end can be missed.
          {
            std::lock_guard<std::mutex> lk(impl->mu);
            for (const auto& id : *ids) {
              impl->waiters[id] = [w, answer](const ExecutionOutcome& o) {
                bool all;
                {
                  std::lock_guard<std::mutex> lk(w->mu);
                  w->outcomes[w->index.at(o.id)] = o;
                  all = --w->left == 0;
                }
                if (all) answer(w);
              };
            }
          }
          auto timer = impl->scheduler.after(timeout, [w, answer] { answer(w); });
          std::lock_guard<std::mutex> lk(w->mu);
          if (w->answered) {
            timer->cancel();
          } else {
            w->timer = std::move(timer);
          }
        },
        std::move(with));
}

Result<std::vector<std::string>> Engine::start_sync(const std::string& playbook_id,
                                                    std::vector<bj::object> variables,
                                                    bj::object trigger) {
  std::promise<Result<std::vector<std::string>>> p;
  auto f = p.get_future();
  start(playbook_id, std::move(variables), std::move(trigger),
        [&p](Result<std::vector<std::string>> r) { p.set_value(std::move(r)); });
  return f.get();
}

Status Engine::resume_unfinished() {
  ATIO_ASSIGN_OR_RETURN(auto recs, impl_->store.unfinished_executions());
  std::vector<std::string> ids;
  ids.reserve(recs.size());
  for (const auto& rec : recs) ids.push_back(rec.id);
  impl_->adopt(ids);  // oldest first; those beyond the run slots queue
  return Status();
}

Result<std::size_t> Engine::claim_orphans(std::int64_t stale_before_ms) {
  if (impl_->options.node_id.empty()) {
    return Status(Code::kInternal, "claiming executions needs the engine's node id");
  }
  std::size_t total = 0;
  for (;;) {
    auto claimed = std::make_shared<std::vector<std::string>>();
    const std::int64_t limit = 500;
    ATIO_RETURN_IF_ERROR(impl_->store.write(
        {store::ClaimExecutions{impl_->options.node_id, stale_before_ms, limit, claimed}}));
    impl_->adopt(*claimed);
    total += claimed->size();
    if (static_cast<std::int64_t>(claimed->size()) < limit) return total;
  }
}

Result<std::size_t> Engine::steal_backlog(std::int64_t created_before_ms) {
  if (impl_->options.node_id.empty()) {
    return Status(Code::kInternal, "taking executions needs the engine's node id");
  }
  std::int64_t free_slots = 0;
  {
    std::lock_guard<std::mutex> lk(impl_->mu);
    if (impl_->stopped || !impl_->queued.empty()) return std::size_t{0};
    if (impl_->slots < impl_->options.max_running_executions) {
      free_slots = static_cast<std::int64_t>(impl_->options.max_running_executions - impl_->slots);
    }
  }
  if (free_slots == 0) return std::size_t{0};
  auto claimed = std::make_shared<std::vector<std::string>>();
  ATIO_RETURN_IF_ERROR(impl_->store.write(
      {store::StealBacklog{impl_->options.node_id, created_before_ms, free_slots, claimed}}));
  impl_->adopt(*claimed);
  return claimed->size();
}

std::size_t Engine::resume_deferred() {
  std::vector<std::string> ids;
  {
    std::lock_guard<std::mutex> lk(impl_->mu);
    ids.swap(impl_->deferred);
  }
  impl_->adopt(ids);
  return ids.size();
}

Status Engine::abort(const std::string& execution_id, const std::string& who) {
  std::shared_ptr<Run> run;
  bool was_queued = false;
  {
    std::lock_guard<std::mutex> lk(impl_->mu);
    auto q = std::find(impl_->queued.begin(), impl_->queued.end(), execution_id);
    if (q != impl_->queued.end()) {
      // Never started: it ends aborted without running a step.
      impl_->queued.erase(q);
      ++impl_->reserved;  // active until its end is durable
      was_queued = true;
    }
  }
  if (was_queued) {
    // A queued execution is kept as its id only; its playbook (for the
    // metrics) is read back, outside the lock.
    ExecutionOutcome o{execution_id, store::ExecutionStatus::kAborted, "aborted by " + who, ""};
    if (auto rec = impl_->store.get_execution(execution_id); rec.is_ok() && *rec) {
      o.playbook_id = (*rec)->playbook_id;
    }
    impl_->end_execution(std::move(o), false);
    return Status();
  }
  {
    std::lock_guard<std::mutex> lk(impl_->mu);
    auto it = impl_->runs.find(execution_id);
    if (it == impl_->runs.end() || !it->second) {
      return Status(Code::kNotFound, "execution " + execution_id + " is not running");
    }
    run = it->second;
  }
  run->abort("aborted by " + who);
  return Status();
}

void merge_live_steps(std::vector<store::StepRecord>& journal,
                      std::vector<store::StepRecord> live) {
  std::sort(live.begin(), live.end(), [](const auto& a, const auto& b) {
    return a.started_at_ms < b.started_at_ms;
  });
  std::map<std::string, std::size_t> at;
  for (std::size_t i = 0; i < journal.size(); ++i) at.emplace(journal[i].step_key, i);
  for (auto& l : live) {
    auto it = at.find(l.step_key);
    if (it == at.end()) {
      journal.push_back(std::move(l));
      continue;
    }
    auto& j = journal[it->second];
    if (j.status != store::StepStatus::kSucceeded && j.status != store::StepStatus::kFailed) {
      j = std::move(l);
    }
  }
}

std::vector<store::StepRecord> Engine::live_steps(const std::string& execution_id) const {
  std::shared_ptr<Run> run;
  {
    std::lock_guard<std::mutex> lk(impl_->mu);
    auto it = impl_->runs.find(execution_id);
    if (it == impl_->runs.end() || !it->second) return {};
    run = it->second;
  }
  return run->live_steps();
}

void Engine::on_finished(std::function<void(const ExecutionOutcome&)> listener) {
  std::lock_guard<std::mutex> lk(impl_->mu);
  impl_->listeners.push_back(std::move(listener));
}

std::size_t Engine::active() const {
  std::lock_guard<std::mutex> lk(impl_->mu);
  return impl_->runs.size() + impl_->reserved + impl_->queued.size();
}

std::size_t Engine::queued() const {
  std::lock_guard<std::mutex> lk(impl_->mu);
  return impl_->queued.size();
}

void Engine::heartbeat(std::function<void()> reached) {
  impl_->scheduler.post(std::move(reached));  // the scheduler drops it once stopped
}

void Engine::wait_idle() {
  std::unique_lock<std::mutex> lk(impl_->mu);
  impl_->idle_cv.wait(lk, [this] {
    return impl_->runs.empty() && impl_->reserved == 0 && impl_->queued.empty();
  });
}

void Engine::stop() {
  {
    std::lock_guard<std::mutex> lk(impl_->mu);
    if (impl_->stopped) return;
    impl_->stopped = true;
  }
  // Break Run <-> Impl cycles; unfinished runs resume from the store later.
  std::map<std::string, std::shared_ptr<Run>> runs;
  {
    std::lock_guard<std::mutex> lk(impl_->mu);
    runs.swap(impl_->runs);
  }
  for (auto& [id, run] : runs) {
    if (run) run->shutdown();
  }
  runs.clear();
  impl_->scheduler.stop();
}

}  // namespace atio::engine
