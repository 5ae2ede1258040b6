#include "atio/actions/manual/manual_board.h"

#include <algorithm>
#include <chrono>

#include "atio/core/clock.h"
#include "atio/core/ids.h"
#include "atio/core/json.h"

namespace atio::actions {

ManualTask manual_task(const Invocation& inv) {
  ManualTask t;
  t.execution_id = inv.execution_id;
  t.step_key = inv.step_key;
  t.step_id = inv.step_id;
  t.step_name = inv.step ? inv.step->name : "";
  t.description = inv.step ? inv.step->description : "";
  t.playbook_id = inv.playbook ? inv.playbook->id : "";
  t.command = inv.command.command;
  t.in_args = inv.in_args;
  t.created_at_ms = wall_ms();
  return t;
}

bj::object stored_task(const ManualTask& t) {
  return bj::object{{"step_id", t.step_id},         {"step_name", t.step_name},
                    {"playbook_id", t.playbook_id}, {"command", t.command},
                    {"description", t.description}, {"in_args", t.in_args}};
}

ManualTask task_from_stored(std::string execution_id, std::string step_key,
                            std::int64_t created_at_ms, const bj::object& task) {
  auto text = [&task](const char* name) {
    const bj::value* v = task.if_contains(name);
    return v && v->is_string() ? std::string(v->get_string()) : std::string();
  };
  ManualTask t;
  t.execution_id = std::move(execution_id);
  t.step_key = std::move(step_key);
  t.step_id = text("step_id");
  t.step_name = text("step_name");
  t.playbook_id = text("playbook_id");
  t.command = text("command");
  t.description = text("description");
  if (const bj::value* v = task.if_contains("in_args"); v && v->is_object()) {
    t.in_args = v->get_object();
  }
  t.created_at_ms = created_at_ms;
  return t;
}

void ManualBoard::add(ManualTask task, std::shared_ptr<CancelToken> cancel, Done done) {
  std::lock_guard<std::mutex> lk(mu_);
  purge_cancelled_locked();
  auto key = std::make_pair(task.execution_id, task.step_key);
  waiting_[key] = Entry{std::move(task), std::move(cancel), std::move(done)};
}

void ManualBoard::purge_cancelled_locked() {
  for (auto it = waiting_.begin(); it != waiting_.end();) {
    if (it->second.cancel && it->second.cancel->cancelled()) {
      it = waiting_.erase(it);
    } else {
      ++it;
    }
  }
}

std::vector<ManualTask> ManualBoard::list(const std::string& execution_id) {
  std::lock_guard<std::mutex> lk(mu_);
  purge_cancelled_locked();
  std::vector<ManualTask> out;
  for (const auto& kv : waiting_) {
    if (execution_id.empty() || kv.first.first == execution_id) out.push_back(kv.second.task);
  }
  std::sort(out.begin(), out.end(), [](const ManualTask& a, const ManualTask& b) {
    return a.created_at_ms < b.created_at_ms;
  });
  return out;
}

std::size_t ManualBoard::waiting() {
  std::lock_guard<std::mutex> lk(mu_);
  purge_cancelled_locked();
  return waiting_.size();
}

Status ManualBoard::answer(const std::string& execution_id, const std::string& step_key,
                           const ManualAnswer& answer) {
  Entry entry;
  {
    std::lock_guard<std::mutex> lk(mu_);
    purge_cancelled_locked();
    auto it = waiting_.find(std::make_pair(execution_id, step_key));
    if (it == waiting_.end()) {
      return Status(Code::kNotFound, "no manual step " + step_key + " is waiting in execution " +
                                         execution_id);
    }
    entry = std::move(it->second);
    waiting_.erase(it);
  }
  Outcome o;
  auto now = std::chrono::system_clock::now();
  o.outputs = {{"response", answer.response},
               {"answered_by", answer.answered_by},
               {"answered_at", format_timestamp(now)},
               {"success", answer.success}};
  if (!answer.success) {
    o.status = Status(Code::kFailed, "the analyst " + answer.answered_by +
                                         " answered that the manual step failed");
  }
  entry.done(std::move(o));
  return Status();
}

}  // namespace atio::actions
