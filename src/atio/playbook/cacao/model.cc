#include "atio/playbook/cacao/model.h"

namespace atio::cacao {

const char* step_kind_name(StepKind kind) {
  switch (kind) {
    case StepKind::kStart: return "start";
    case StepKind::kEnd: return "end";
    case StepKind::kAction: return "action";
    case StepKind::kPlaybookAction: return "playbook-action";
    case StepKind::kParallel: return "parallel";
    case StepKind::kIfCondition: return "if-condition";
    case StepKind::kWhileCondition: return "while-condition";
    case StepKind::kSwitchCondition: return "switch-condition";
  }
  return "?";
}

bool step_kind_from_name(std::string_view name, StepKind* out) {
  static constexpr StepKind kAll[] = {
      StepKind::kStart,        StepKind::kEnd,         StepKind::kAction,
      StepKind::kPlaybookAction, StepKind::kParallel,  StepKind::kIfCondition,
      StepKind::kWhileCondition, StepKind::kSwitchCondition};
  for (StepKind k : kAll) {
    if (name == step_kind_name(k)) {
      *out = k;
      return true;
    }
  }
  return false;
}

const Step* Playbook::find_step(std::string_view step_id) const {
  auto it = step_index.find(std::string(step_id));
  return it == step_index.end() ? nullptr : &steps[it->second];
}

}  // namespace atio::cacao
