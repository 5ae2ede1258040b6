#include "atio/actions/manual/manual_command.h"

#include <chrono>

namespace atio::actions {

void ManualCommand::start(Invocation inv, Done done) {
  ManualTask t;
  t.execution_id = inv.execution_id;
  t.step_key = inv.step_key;
  t.step_id = inv.step_id;
  t.step_name = inv.step ? inv.step->name : "";
  t.description = inv.step ? inv.step->description : "";
  t.playbook_id = inv.playbook ? inv.playbook->id : "";
  t.command = inv.command.command;
  t.in_args = inv.in_args;
  t.created_at_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                        std::chrono::system_clock::now().time_since_epoch())
                        .count();
  std::vector<std::string> out_args = inv.step ? inv.step->out_args : std::vector<std::string>{};
  board_.add(std::move(t), inv.cancel,
             [out_args, done = std::move(done)](Outcome o) {
               if (!out_args.empty()) {
                 auto it = o.outputs.find("response");
                 if (it != o.outputs.end()) o.out_args[out_args.front()] = it->value();
               }
               done(std::move(o));
             });
}

}  // namespace atio::actions
