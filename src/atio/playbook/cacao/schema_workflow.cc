// workflows/*.json and commands/command-data.json.
#include <array>
#include <string>

#include "atio/playbook/cacao/model.h"
#include "atio/playbook/cacao/schema_checker.h"

namespace atio::cacao::schema {

namespace {

constexpr std::array kKinds = {
    StepKind::kStart,          StepKind::kEnd,           StepKind::kAction,
    StepKind::kPlaybookAction, StepKind::kParallel,      StepKind::kIfCondition,
    StepKind::kWhileCondition, StepKind::kSwitchCondition,
};

std::string owner_of(StepKind kind) {
  std::string name = step_kind_name(kind);
  const char* article = (kind == StepKind::kAction || kind == StepKind::kIfCondition ||
                         kind == StepKind::kEnd)
                            ? "an "
                            : "a ";
  return article + name + " step";
}

// commands/command-data.json. Action steps refer only to this schema, not to
// the per-type command schemas (commands/http-api.json, ...): those are
// applied by the semantic rules (see semantic_commands.cc).
void check_command(Checker& c, const bj::value& v, const std::string& ptr) {
  const bj::object* o = c.object(v, ptr);
  if (o == nullptr) return;
  c.required(*o, ptr, {"type"}, "a command");
  for (std::string_view k : {"type", "description", "version", "playbook_activity"}) {
    c.member(*o, ptr, k, [&](const bj::value& m, const std::string& p) { c.string(m, p); });
  }
  c.member(*o, ptr, "external_references",
           [&](const bj::value& m, const std::string& p) { c.external_references(m, p, 0); });
}

// switch-condition.json: each case value must match exactly one of these
// (unanchored) patterns; note "playbook--", not "playbook-action--", which
// "action--" matches anyway.
void check_case_target(Checker& c, const bj::value& v, const std::string& ptr) {
  static const std::array<Pattern, 8> kTargets = [] {
    const std::string uuid =
        "--[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[1-5][0-9a-fA-F]{3}-[89abAB][0-9a-fA-F]{3}-[0-9a-fA-F]{12}$";
    return std::array<Pattern, 8>{
        Pattern("action" + uuid),   Pattern("end" + uuid),
        Pattern("if-condition" + uuid), Pattern("parallel" + uuid),
        Pattern("playbook" + uuid), Pattern("start" + uuid),
        Pattern("switch-condition" + uuid), Pattern("while-condition" + uuid)};
  }();
  if (!v.is_string()) {
    c.fail(ptr, "must be a string (the step id of the case's branch)");
    return;
  }
  int matches = 0;
  for (const Pattern& p : kTargets) matches += p.search(v.get_string()) ? 1 : 0;
  if (matches != 1) c.fail(ptr, "must be a workflow step identifier (<step type>--<uuid>)");
}

void check_step_type(Checker& c, StepKind kind, const bj::value& v, const std::string& ptr) {
  if (!c.string(v, ptr)) return;
  StepKind actual;
  if (!step_kind_from_name(v.get_string(), &actual)) {
    c.fail(ptr,
           "must be a workflow step type (start, end, action, playbook-action, parallel, "
           "if-condition, while-condition, switch-condition)");
  } else if (actual != kind) {
    c.fail(ptr, "must be '" + std::string(step_kind_name(kind)) + "' for a step whose id starts with '" +
                    step_kind_name(kind) + "--'");
  }
}

// workflows/workflow-step.json: the properties every step has.
void check_common(Checker& c, StepKind kind, const bj::object& o, const std::string& ptr) {
  c.required(o, ptr, {"type"}, "a workflow step");
  c.member(o, ptr, "type", [&](const bj::value& m, const std::string& p) { check_step_type(c, kind, m, p); });
  c.member(o, ptr, "name", [&](const bj::value& m, const std::string& p) { c.string(m, p); });
  c.member(o, ptr, "description", [&](const bj::value& m, const std::string& p) { c.string(m, p); });
  c.member(o, ptr, "external_references",
           [&](const bj::value& m, const std::string& p) { c.external_references(m, p, 1); });
  c.member(o, ptr, "delay", [&](const bj::value& m, const std::string& p) { c.integer(m, p, 1.0); });
  c.member(o, ptr, "timeout", [&](const bj::value& m, const std::string& p) { c.integer(m, p); });
  c.member(o, ptr, "step_variables", [&](const bj::value& m, const std::string& p) { c.variables(m, p); });
  for (std::string_view k : {"owner", "on_completion", "on_success", "on_failure"}) {
    c.member(o, ptr, k, [&](const bj::value& m, const std::string& p) { c.identifier(m, p); });
  }
  c.member(o, ptr, "step_extensions", [&](const bj::value& m, const std::string& p) { c.extensions(m, p); });
  // The schema's anyOf over on_completion/on_success/on_failure never fails on
  // its own: its first branch is an if/then on type == "end" without an else,
  // so it holds for every step of another type, and end steps are already
  // forbidden all three below. "on_completion excludes on_success/on_failure"
  // is therefore a semantic rule (semantic_graph.cc), as the spec states it.
}

void check_args(Checker& c, const bj::object& o, const std::string& ptr) {
  for (std::string_view k : {"in_args", "out_args"}) {
    c.member(o, ptr, k, [&](const bj::value& m, const std::string& p) { c.string_list(m, p, 1); });
  }
}

void forbid(Checker& c, const bj::object& o, const std::string& ptr,
            std::initializer_list<std::string_view> keys, std::string_view owner) {
  for (std::string_view k : keys) {
    if (o.contains(k)) c.fail(json::pointer_join(ptr, k), "must not be used on " + std::string(owner));
  }
}

void check_step(Checker& c, StepKind kind, const bj::value& v, const std::string& ptr) {
  const bj::object* o = c.object(v, ptr);
  if (o == nullptr) return;
  check_common(c, kind, *o, ptr);
  const std::string owner = owner_of(kind);
  auto string_member = [&](std::string_view k) {
    c.member(*o, ptr, k, [&](const bj::value& m, const std::string& p) { c.string(m, p); });
  };
  auto identifier_member = [&](std::string_view k) {
    c.member(*o, ptr, k, [&](const bj::value& m, const std::string& p) { c.identifier(m, p); });
  };
  switch (kind) {
    case StepKind::kStart:
      forbid(c, *o, ptr, {"on_success", "on_failure"}, owner);
      break;
    case StepKind::kEnd:
      forbid(c, *o, ptr, {"on_completion", "on_success", "on_failure"}, owner);
      break;
    case StepKind::kAction:
      c.required(*o, ptr, {"commands", "agent"}, owner);
      c.member(*o, ptr, "commands", [&](const bj::value& m, const std::string& p) {
        const bj::array* a = c.array(m, p, 1);
        if (a == nullptr) return;
        for (std::size_t i = 0; i < a->size(); ++i) check_command(c, (*a)[i], json::pointer_join(p, i));
      });
      identifier_member("agent");
      c.member(*o, ptr, "targets",
               [&](const bj::value& m, const std::string& p) { c.identifier_list(m, p, 1); });
      check_args(c, *o, ptr);
      break;
    case StepKind::kPlaybookAction:
      c.required(*o, ptr, {"playbook_id"}, owner);
      identifier_member("playbook_id");
      c.member(*o, ptr, "playbook_version",
               [&](const bj::value& m, const std::string& p) { c.timestamp(m, p); });
      check_args(c, *o, ptr);
      break;
    case StepKind::kParallel:
      c.required(*o, ptr, {"next_steps"}, owner);
      c.member(*o, ptr, "next_steps",
               [&](const bj::value& m, const std::string& p) { c.identifier_list(m, p, 2); });
      break;
    case StepKind::kIfCondition:
      c.required(*o, ptr, {"condition", "on_true"}, owner);
      string_member("condition");
      identifier_member("on_true");
      identifier_member("on_false");
      break;
    case StepKind::kWhileCondition:
      c.required(*o, ptr, {"condition", "on_true"}, owner);
      string_member("condition");
      identifier_member("on_true");
      break;
    case StepKind::kSwitchCondition:
      c.required(*o, ptr, {"switch", "cases"}, owner);
      string_member("switch");
      c.member(*o, ptr, "cases", [&](const bj::value& m, const std::string& p) {
        const bj::object* cases = c.object(m, p);
        if (cases == nullptr) return;
        // The key pattern "^[a-zA-Z0-9_-]{0,250}" matches every key (it may
        // match the empty prefix), so every case value is checked.
        for (const auto& kv : *cases) check_case_target(c, kv.value(), json::pointer_join(p, kv.key()));
      });
      break;
  }
}

}  // namespace

void check_workflow(Checker& c, const bj::value& workflow, const std::string& ptr) {
  const bj::object* o = c.object(workflow, ptr);
  if (o == nullptr) return;
  for (const auto& kv : *o) {
    for (StepKind kind : kKinds) {
      if (is_keyed_id(step_kind_name(kind), kv.key())) {
        check_step(c, kind, kv.value(), json::pointer_join(ptr, kv.key()));
        break;
      }
    }
  }
}

}  // namespace atio::cacao::schema
