// Command types: what an action step's commands run.
//
// One class per command type (http-api, manual, x-atio-lua, ...), registered
// in one place (builtin.cc). A command type validates its command objects when
// a playbook is validated, and runs them asynchronously: start() returns at
// once and calls `done` exactly once, from any thread. Nothing here may block
// an engine worker on outside I/O.
#pragma once

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "atio/core/json.h"
#include "atio/core/status.h"
#include "atio/core/unique_fd.h"
#include "atio/playbook/cacao/model.h"

namespace atio::actions {

namespace bj = boost::json;

// Shared by an invocation and whoever may cancel it (abort, step timeout).
// Tokens form a tree: a token is cancelled when it or any ancestor is, so
// aborting an execution or timing out a parallel step cancels everything
// below it. Thread-safe.
class CancelToken {
 public:
  CancelToken() = default;
  explicit CancelToken(std::shared_ptr<const CancelToken> parent) : parent_(std::move(parent)) {}

  void cancel() { cancelled_.store(true, std::memory_order_release); }
  bool cancelled() const {
    for (const CancelToken* t = this; t != nullptr; t = t->parent_.get()) {
      if (t->cancelled_.load(std::memory_order_acquire)) return true;
    }
    return false;
  }

 private:
  std::shared_ptr<const CancelToken> parent_;
  std::atomic<bool> cancelled_{false};
};

// Everything a command type gets to run one command.
struct Invocation {
  std::string execution_id;
  std::string step_id;          // the CACAO step id
  std::string step_key;         // this run of the step within the execution
  std::string idempotency_key;  // execution id + step key: stable across resumes
  const cacao::Playbook* playbook = nullptr;  // valid until done is called
  const cacao::Step* step = nullptr;
  // The command with `__name__:value` references already substituted in its
  // string properties when the type asks for it (substitutes_variables()).
  cacao::Command command;
  // in_args of the step: variable name -> current value (typed JSON).
  bj::object in_args;
  // 0 means no timeout beyond the command type's own default.
  std::chrono::milliseconds timeout{0};
  std::shared_ptr<CancelToken> cancel;
};

// An output too large to hold in memory, e.g. a script's stdout of 50 MB:
// a file the command wrote. The engine stores its bytes outside the
// execution row, reading from offset 0, and puts a reference to them in the
// step's outputs under `name`.
struct FileOutput {
  std::string name;        // key in the step's outputs, e.g. "stdout"
  UniqueFd fd;             // readable; the engine owns it from here on
  std::string media_type;  // e.g. "text/plain", "application/json"
};

struct Outcome {
  Status status;  // OK on success; kFailed/kTimeout/kUnavailable... otherwise
  // What the step shows as its outputs (http: status, headers, body).
  bj::object outputs;
  // Values for the step's out_args: variable name -> value.
  bj::object out_args;
  // Outputs kept in files rather than in `outputs` (none for most commands).
  std::vector<FileOutput> files;
};

using Done = std::function<void(Outcome)>;

class CommandType {
 public:
  virtual ~CommandType() = default;
  // The CACAO command type this handles, e.g. "http-api".
  virtual std::string_view name() const = 0;
  // Whether the engine substitutes `__name__:value` in the command's string
  // properties before start(). False for scripts, whose inputs arrive as
  // in_args instead (no code injection through variables).
  virtual bool substitutes_variables() const { return true; }
  // Checks one command object at playbook validation; appends errors under
  // `pointer` (e.g. "/workflow/action--1/commands/0").
  virtual void validate(const cacao::Command& cmd, const cacao::Playbook& playbook,
                        const cacao::Step& step, const std::string& pointer,
                        json::FieldErrors* errors) const {}
  // The command as the journal records it among a step's inputs (after
  // substitution): the command object, less what must not be stored, such
  // as credentials in headers.
  virtual bj::object journal_view(const cacao::Command& cmd) const { return cmd.raw; }
  // Runs one command. Returns at once; calls done exactly once.
  virtual void start(Invocation invocation, Done done) = 0;
};

}  // namespace atio::actions
