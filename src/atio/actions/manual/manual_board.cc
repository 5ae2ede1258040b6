#include "atio/actions/manual/manual_board.h"

#include <algorithm>
#include <chrono>

#include "atio/core/ids.h"

namespace atio::actions {

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
