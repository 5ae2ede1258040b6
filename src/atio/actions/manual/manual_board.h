// Manual steps waiting for an analyst. The `manual` command type puts a task
// here and returns without holding a worker; the API lists tasks and answers
// them, which completes the step. Thread-safe.
#pragma once

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "atio/actions/action.h"

namespace atio::actions {

struct ManualTask {
  std::string execution_id;
  std::string step_key;
  std::string step_id;
  std::string step_name;
  std::string playbook_id;
  std::string command;      // what the analyst is asked to do
  std::string description;  // the step's description
  bj::object in_args;       // context the analyst sees
  std::int64_t created_at_ms = 0;
};

struct ManualAnswer {
  bool success = true;      // false takes the step's failure path
  bj::value response;       // what the analyst answered (any JSON)
  std::string answered_by;  // API key or user name
};

// The task a `manual` command asks, from its invocation (ManualCommand, and
// the engine's journal of the wait).
ManualTask manual_task(const Invocation& inv);
// The task as stored for every node to list (store.h ManualWaitRecord::task)
// and back; the execution, step key and time are columns of their own.
bj::object stored_task(const ManualTask& t);
ManualTask task_from_stored(std::string execution_id, std::string step_key,
                            std::int64_t created_at_ms, const bj::object& task);

class ManualBoard {
 public:
  // Registers a waiting task; `done` runs when it is answered. A task whose
  // cancel token is cancelled (timeout, abort) disappears from the board.
  void add(ManualTask task, std::shared_ptr<CancelToken> cancel, Done done);
  // Waiting tasks, oldest first; only those of `execution_id` when not empty.
  std::vector<ManualTask> list(const std::string& execution_id = "");
  // How many tasks are waiting (the atio_manual_steps_waiting gauge).
  std::size_t waiting();
  // Completes the task. kNotFound when no such task is waiting.
  Status answer(const std::string& execution_id, const std::string& step_key,
                const ManualAnswer& answer);

 private:
  struct Entry {
    ManualTask task;
    std::shared_ptr<CancelToken> cancel;
    Done done;
  };
  void purge_cancelled_locked();

  std::mutex mu_;
  std::map<std::pair<std::string, std::string>, Entry> waiting_;
};

}  // namespace atio::actions
