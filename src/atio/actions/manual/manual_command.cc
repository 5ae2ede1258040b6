#include "atio/actions/manual/manual_command.h"

namespace atio::actions {

void ManualCommand::start(Invocation inv, Done done) {
  ManualTask t = manual_task(inv);
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
