// The step kinds: what each of the eight CACAO step types does when it runs.
#include "atio/engine/engine_impl.h"

#include "atio/engine/large_outputs.h"
#include "atio/playbook/expr/condition.h"

namespace atio::engine {

namespace {

bj::object in_args_of(const Frame& frame, const cacao::Step& step) {
  bj::object args;
  for (const auto& name : step.in_args) {
    cacao::Variable v;
    if (frame.vars->get(name, &step, &v) && v.value) args[name] = *v.value;
  }
  return args;
}

StepResult failed(Status s) {
  StepResult r;
  r.status = std::move(s);
  return r;
}

}  // namespace

void Run::run_action(const Frame& frame, const cacao::Step& step, const std::string& key,
                     std::shared_ptr<actions::CancelToken> cancel, std::shared_ptr<Completion> c) {
  auto acc = std::make_shared<StepResult>();
  run_command(frame, step, key, 0, std::move(cancel), std::move(c), std::move(acc));
}

// Commands of an action step run one after the other; the first failure ends
// the step. Outputs are the last command's, plus every command's under
// "commands" when there are several.
void Run::run_command(const Frame& frame, const cacao::Step& step, const std::string& key,
                      std::size_t index, std::shared_ptr<actions::CancelToken> cancel,
                      std::shared_ptr<Completion> c, std::shared_ptr<StepResult> acc) {
  if (index >= step.commands.size()) {
    c->fire(std::move(*acc));
    return;
  }
  const cacao::Command& cmd = step.commands[index];
  actions::CommandType* type = engine_->registry.find(cmd.type);
  if (!type) {
    c->fire(failed(Status(Code::kInvalidArgument,
                          "command type '" + cmd.type + "' is not supported by atio")));
    return;
  }
  actions::Invocation inv;
  inv.execution_id = rec_.id;
  inv.step_id = step.id;
  inv.step_key = key;
  inv.idempotency_key = rec_.id + ":" + key;
  if (step.commands.size() > 1) inv.idempotency_key += ":" + std::to_string(index);
  inv.playbook = frame.playbook.get();
  inv.step = &step;
  inv.command = cmd;
  if (type->substitutes_variables()) {
    inv.command.command = frame.vars->substitute(cmd.command, &step);
    bj::value raw = cmd.raw;
    frame.vars->substitute_all(raw, &step);
    inv.command.raw = std::move(raw.get_object());
  }
  inv.in_args = in_args_of(frame, step);
  // The journal keeps what the step got: its in_args, and each command as run
  // when variables were substituted in it (a script runs as the playbook
  // says, so the playbook holds it already).
  if (index == 0 && !inv.in_args.empty()) acc->inputs["in_args"] = inv.in_args;
  if (type->substitutes_variables()) {
    if (step.commands.size() == 1) {
      acc->inputs["command"] = type->journal_view(inv.command);
    } else {
      auto& all = acc->inputs["commands"];
      if (!all.is_array()) all = bj::array();
      all.get_array().push_back(type->journal_view(inv.command));
    }
  }
  if (step.timeout_ms && *step.timeout_ms > 0) inv.timeout = std::chrono::milliseconds(*step.timeout_ms);
  inv.cancel = cancel;

  if (cmd.type == "manual") journal_wait(step, key, c, actions::manual_task(inv));

  auto self = shared_from_this();
  Frame f = frame;
  const cacao::Step* sp = &step;
  type->start(std::move(inv), [self, f, sp, key, index, cancel, c, acc](actions::Outcome o) {
    // Continue on a worker: the outcome may arrive on the HTTP client thread.
    // (Held by a shared_ptr: an Outcome may own files, and a posted task
    // must be copyable.)
    auto held = std::make_shared<actions::Outcome>(std::move(o));
    self->engine_->scheduler.post([self, f, sp, key, index, cancel, c, acc, held]() mutable {
      if (c->fired.load()) return;
      Engine::Impl& e = *self->engine_;
      if (!has_large_outputs(*held, e.options.large_output_bytes)) {
        return self->command_done(f, *sp, key, index, cancel, c, acc, *held);
      }
      // Stored before the step goes on, so its end record (written behind)
      // never refers to bytes that are not durable.
      LargeOutputTarget target;
      target.execution_id = self->rec_.id;
      target.step_key = key;
      target.owner = e.options.node_id;
      target.threshold = e.options.large_output_bytes;
      target.now_ms = now_ms();
      auto post = [self](std::function<void()> task) {
        self->engine_->scheduler.post(std::move(task));
      };
      store_large_outputs(
          e.store, post, std::move(target), held, [c] { return c->fired.load(); },
          [self, f, sp, key, index, cancel, c, acc, held](Status s) {
            if (c->fired.load()) return;
            if (!s.is_ok()) {
              // As for a journal write: another node's now, or the store is away.
              if (store::is_ownership_lost(s) || s.code() == Code::kUnavailable) {
                self->journal_failed(s);
              }
              held->status = std::move(s);
            }
            self->command_done(f, *sp, key, index, cancel, c, acc, *held);
          });
    });
  });
}

void Run::command_done(const Frame& f, const cacao::Step& step, const std::string& key,
                       std::size_t index, std::shared_ptr<actions::CancelToken> cancel,
                       std::shared_ptr<Completion> c, std::shared_ptr<StepResult> acc,
                       actions::Outcome& o) {
  const cacao::Step* sp = &step;
  if (sp->commands[index].type == "manual" && index + 1 < sp->commands.size()) {
    // Answered, and the step goes on with its next command: no longer
    // waiting for a person (the step's end deletes the wait otherwise).
    engine_->store.submit({store::DeleteManualWait{rec_.id, key}}, nullptr);
  }
  for (const auto& kv : o.out_args) {
    std::string name(kv.key());
    f.vars->set(name, kv.value());
    acc->variables[name] = kv.value();
  }
  if (sp->commands.size() > 1) {
    auto& all = acc->outputs["commands"];
    if (!all.is_array()) all = bj::array();
    all.get_array().push_back(o.outputs);
    for (const auto& kv : o.outputs) acc->outputs[kv.key()] = kv.value();
  } else {
    acc->outputs = std::move(o.outputs);
  }
  if (!o.status.is_ok()) {
    acc->status = std::move(o.status);
    c->fire(std::move(*acc));
    return;
  }
  run_command(f, *sp, key, index + 1, cancel, c, acc);
}

void Run::run_playbook_action(const Frame& frame, const cacao::Step& step, const std::string& key,
                              std::shared_ptr<actions::CancelToken> cancel,
                              std::shared_ptr<Completion> c) {
  if (frame.depth + 1 > engine_->options.max_playbook_depth) {
    c->fire(failed(Status(Code::kFailed, "sub-playbooks nest deeper than the limit of " +
                                             std::to_string(engine_->options.max_playbook_depth))));
    return;
  }
  auto sub = engine_->playbooks.get(step.playbook_id);
  if (!sub.is_ok()) {
    c->fire(failed(sub.status().with_context("playbook " + step.playbook_id)));
    return;
  }
  auto vars = VariableScope::create((*sub)->playbook_variables, in_args_of(frame, step));
  if (!vars.is_ok()) {
    c->fire(failed(vars.status().with_context("playbook " + step.playbook_id)));
    return;
  }
  Frame child{*sub, *vars, frame.depth + 1};
  auto self = shared_from_this();
  const cacao::Step* sp = &step;
  Frame parent = frame;
  walk(child, new_branch(key + "/"), child.playbook->workflow_start, cancel,
       [self, c, child, parent, sp](Status s) {
         StepResult r;
         r.status = std::move(s);
         // out_args flow back even after a failure: they may explain it.
         for (const auto& name : sp->out_args) {
           cacao::Variable v;
           if (child.vars->get(name, nullptr, &v) && v.value) {
             parent.vars->set(name, *v.value);
             r.variables[name] = *v.value;
           }
         }
         c->fire(std::move(r));
       });
}

void Run::run_parallel(const Frame& frame, const cacao::Step& step, const std::string& key,
                       std::shared_ptr<actions::CancelToken> cancel,
                       std::shared_ptr<Completion> c) {
  struct Join {
    std::mutex mu;
    std::size_t left;
    Status first_error;
  };
  auto join = std::make_shared<Join>();
  join->left = step.next_steps.size();
  if (join->left == 0) {
    c->fire(StepResult{});
    return;
  }
  auto self = shared_from_this();
  for (std::size_t i = 0; i < step.next_steps.size(); ++i) {
    std::string path = key + "/" + std::to_string(i) + "/";
    std::string target = step.next_steps[i];
    // Each branch starts as its own task, so branches really overlap.
    engine_->scheduler.post([self, frame, path, target, cancel, c, join] {
      self->walk(frame, new_branch(path), target, cancel,
                 [self, frame, c, join](Status s) {
                   bool last;
                   Status err;
                   {
                     std::lock_guard<std::mutex> lk(join->mu);
                     if (!s.is_ok() && join->first_error.is_ok()) join->first_error = s;
                     last = --join->left == 0;
                     err = join->first_error;
                   }
                   if (!last) return;
                   StepResult r;
                   r.status = err;
                   r.variables = frame.vars->changed_since(c->vars_version);
                   c->fire(std::move(r));
                 });
    });
  }
}

Result<bool> Run::evaluate(const Frame& frame, const cacao::Step& step) {
  auto it = frame.playbook->conditions.find(step.id);
  if (it == frame.playbook->conditions.end() || !it->second) {
    return Status(Code::kInternal, "condition of step " + step.id + " was not parsed");
  }
  // Copies are taken under the scope's lock; evaluation needs stable values.
  std::map<std::string, cacao::Variable, std::less<>> cache;
  for (const auto& name : it->second->variables()) {
    cacao::Variable v;
    if (frame.vars->get(name, &step, &v)) cache.emplace(name, std::move(v));
  }
  return it->second->evaluate([&cache](std::string_view name) -> const cacao::Variable* {
    auto f = cache.find(name);
    return f == cache.end() ? nullptr : &f->second;
  });
}

void Run::run_branch(const Frame& frame, const std::string& path, const std::string& target,
                     std::shared_ptr<actions::CancelToken> cancel, std::shared_ptr<Completion> c,
                     std::string branch) {
  walk(frame, new_branch(path), target, cancel,
       [frame, c, branch](Status s) {
         StepResult r;
         r.status = std::move(s);
         r.branch = branch;
         r.variables = frame.vars->changed_since(c->vars_version);
         c->fire(std::move(r));
       });
}

void Run::run_if(const Frame& frame, const cacao::Step& step, const std::string& key,
                 std::shared_ptr<actions::CancelToken> cancel, std::shared_ptr<Completion> c) {
  auto v = evaluate(frame, step);
  if (!v.is_ok()) {
    c->fire(failed(v.status().with_context("condition")));
    return;
  }
  std::string branch = *v ? "true" : "false";
  const std::string& target = *v ? step.on_true : step.on_false;
  if (target.empty()) {
    StepResult r;
    r.branch = branch;
    c->fire(std::move(r));
    return;
  }
  run_branch(frame, key + "/" + branch + "/", target, std::move(cancel), std::move(c), branch);
}

void Run::run_while(const Frame& frame, const cacao::Step& step, const std::string& key,
                    std::shared_ptr<actions::CancelToken> cancel, std::shared_ptr<Completion> c,
                    int iteration) {
  if (c->fired.load()) return;
  if (cancel->cancelled()) {
    c->fire(failed(Status(Code::kAborted, "cancelled")));
    return;
  }
  auto v = evaluate(frame, step);
  if (!v.is_ok()) {
    c->fire(failed(v.status().with_context("condition")));
    return;
  }
  if (!*v) {
    StepResult r;
    r.branch = std::to_string(iteration);  // iterations run
    r.outputs = {{"iterations", iteration}};
    r.variables = frame.vars->changed_since(c->vars_version);
    c->fire(std::move(r));
    return;
  }
  if (iteration >= engine_->options.max_while_iterations) {
    c->fire(failed(Status(Code::kFailed, "while-condition still true after " +
                                             std::to_string(iteration) +
                                             " iterations, the configured limit")));
    return;
  }
  auto self = shared_from_this();
  const cacao::Step* sp = &step;
  // A body that links back to this step instead of ending counts as ended.
  walk(frame, new_branch(key + "/" + std::to_string(iteration) + "/", step.id), step.on_true,
       cancel, [self, frame, sp, key, cancel, c, iteration](Status s) {
         if (!s.is_ok()) {
           c->fire(failed(std::move(s)));
           return;
         }
         self->engine_->scheduler.post([self, frame, sp, key, cancel, c, iteration] {
           self->run_while(frame, *sp, key, cancel, c, iteration + 1);
         });
       });
}

void Run::run_switch(const Frame& frame, const cacao::Step& step, const std::string& key,
                     std::shared_ptr<actions::CancelToken> cancel,
                     std::shared_ptr<Completion> c) {
  std::string name = step.switch_on;
  if (auto p = name.find(":value"); p != std::string::npos) name.resize(p);
  cacao::Variable var;
  if (!frame.vars->get(name, &step, &var)) {
    c->fire(failed(Status(Code::kInvalidArgument, "switch variable " + name + " is not defined")));
    return;
  }
  const std::string value = var.value ? value_text(*var.value) : "";
  const std::pair<std::string, std::string>* match = nullptr;
  for (const auto& kv : step.cases) {
    if (kv.first == value) match = &kv;
  }
  if (!match) {
    for (const auto& kv : step.cases) {
      if (kv.first == "default") match = &kv;
    }
  }
  if (!match) {
    StepResult r;
    r.outputs = {{"value", value}, {"matched", false}};
    c->fire(std::move(r));
    return;
  }
  run_branch(frame, key + "/" + match->first + "/", match->second, std::move(cancel),
             std::move(c), match->first);
}

}  // namespace atio::engine
