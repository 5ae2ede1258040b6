// The CACAO `manual` command type: a person does something and answers.
// The step waits on a ManualBoard without holding a worker; the answer and
// who gave it become the step's outputs, and the first out_arg (if any)
// receives the answer's response. The step's timeout takes the failure path.
#pragma once

#include "atio/actions/action.h"
#include "atio/actions/manual/manual_board.h"

namespace atio::actions {

class ManualCommand final : public CommandType {
 public:
  explicit ManualCommand(ManualBoard& board) : board_(board) {}
  std::string_view name() const override { return "manual"; }
  void start(Invocation invocation, Done done) override;

 private:
  ManualBoard& board_;
};

}  // namespace atio::actions
