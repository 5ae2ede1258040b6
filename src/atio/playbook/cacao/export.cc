// export_document(): the imported document with the typed fields written over
// it. A typed field is written only where it differs from what the document
// already says, so unknown properties, key order and number spellings of an
// unedited playbook survive, and export_document(load(d)) == d.
#include <cmath>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "atio/playbook/cacao/parse.h"

namespace atio::cacao {

namespace {

void put_string(bj::object& o, std::string_view key, const std::string& value) {
  const bj::value* cur = o.if_contains(key);
  if (cur == nullptr) {
    if (!value.empty()) o[key] = value;
    return;
  }
  if (cur->is_string() ? cur->get_string() == value : value.empty()) return;
  o[key] = value;
}

std::vector<std::string> string_items(const bj::value* v) {
  std::vector<std::string> out;
  if (v != nullptr && v->is_array()) {
    for (const bj::value& item : v->get_array()) {
      if (item.is_string()) out.emplace_back(item.get_string());
    }
  }
  return out;
}

void put_strings(bj::object& o, std::string_view key, const std::vector<std::string>& values) {
  const bj::value* cur = o.if_contains(key);
  if (cur == nullptr ? values.empty() : string_items(cur) == values) return;
  bj::array a;
  for (const std::string& s : values) a.emplace_back(s);
  o[key] = std::move(a);
}

void put_bool(bj::object& o, std::string_view key, bool value) {
  const bj::value* cur = o.if_contains(key);
  // A non-boolean reads as false; leave it unless the typed value is true.
  if (cur == nullptr || !cur->is_bool() ? !value : cur->get_bool() == value) return;
  o[key] = value;
}

std::optional<std::int64_t> whole(const bj::value* v) {
  if (v == nullptr) return std::nullopt;
  if (v->is_int64()) return v->get_int64();
  if (v->is_uint64() && v->get_uint64() <= static_cast<std::uint64_t>(INT64_MAX)) {
    return static_cast<std::int64_t>(v->get_uint64());
  }
  if (v->is_double() && std::isfinite(v->get_double()) &&
      v->get_double() == std::floor(v->get_double()) && std::fabs(v->get_double()) < 9.2e18) {
    return static_cast<std::int64_t>(v->get_double());
  }
  return std::nullopt;
}

void put_int(bj::object& o, std::string_view key, std::optional<std::int64_t> value) {
  const bj::value* cur = o.if_contains(key);
  if (whole(cur) == value) return;
  if (!value) {
    if (cur != nullptr && whole(cur)) o.erase(key);
    return;
  }
  o[key] = *value;
}

// Rebuilds a dictionary from typed entries: entries keep their document
// position and unknown properties; write(entry, object) applies typed fields.
template <typename Map, typename Write>
void put_dict(bj::object& o, std::string_view key, const Map& entries, Write write) {
  const bj::value* cur = o.if_contains(key);
  const bj::object* old = cur != nullptr ? cur->if_object() : nullptr;
  if (cur != nullptr && old == nullptr && entries.empty()) return;  // not ours to fix
  bj::object out;
  if (old != nullptr) {
    for (const auto& kv : *old) {
      auto it = entries.find(std::string(kv.key()));
      if (it == entries.end()) {
        // Entries that are not objects were never in the typed model (the
        // schema does not check keys outside its patterns): keep them.
        if (!kv.value().is_object()) out[kv.key()] = kv.value();
        continue;
      }
      bj::object entry = kv.value().is_object() ? kv.value().get_object() : bj::object();
      write(it->second, entry);
      out[kv.key()] = std::move(entry);
    }
  }
  for (const auto& [id, value] : entries) {
    if (out.contains(id)) continue;
    bj::object entry;
    write(value, entry);
    out[id] = std::move(entry);
  }
  if (old != nullptr ? out == *old : out.empty()) return;
  o[key] = std::move(out);
}

void write_variable(const Variable& v, bj::object& o) {
  put_string(o, "type", v.type);
  put_string(o, "description", v.description);
  const bj::value* cur = o.if_contains("value");
  if (v.value) {
    if (cur == nullptr || *cur != *v.value) o["value"] = *v.value;
  } else if (cur != nullptr) {
    o.erase("value");
  }
  put_bool(o, "constant", v.constant);
  put_bool(o, "external", v.external);
}

void put_variables(bj::object& o, std::string_view key, const Variables& vars) {
  put_dict(o, key, vars, write_variable);
}

void put_commands(bj::object& o, const std::vector<Command>& commands) {
  bj::array a;
  for (const Command& c : commands) {
    bj::object entry = c.raw;
    put_string(entry, "type", c.type);
    put_string(entry, "command", c.command);
    a.emplace_back(std::move(entry));
  }
  const bj::value* cur = o.if_contains("commands");
  if (cur == nullptr ? a.empty() : *cur == bj::value(a)) return;
  o["commands"] = std::move(a);
}

void put_cases(bj::object& o, const std::vector<std::pair<std::string, std::string>>& cases) {
  const bj::value* cur = o.if_contains("cases");
  std::vector<std::pair<std::string, std::string>> old;
  if (cur != nullptr && cur->is_object()) {
    for (const auto& kv : cur->get_object()) {
      if (kv.value().is_string()) old.emplace_back(kv.key(), kv.value().get_string());
    }
  }
  if (cur == nullptr ? cases.empty() : old == cases) return;
  bj::object out;
  for (const auto& [value, target] : cases) out[value] = target;
  o["cases"] = std::move(out);
}

void write_step(const Step& s, bj::object& o) {
  put_string(o, "type", step_kind_name(s.kind));
  put_string(o, "name", s.name);
  put_string(o, "description", s.description);
  put_int(o, "delay", s.delay_ms);
  put_int(o, "timeout", s.timeout_ms);
  put_variables(o, "step_variables", s.step_variables);
  put_string(o, "owner", s.owner);
  put_string(o, "on_completion", s.on_completion);
  put_string(o, "on_success", s.on_success);
  put_string(o, "on_failure", s.on_failure);
  switch (s.kind) {
    case StepKind::kStart:
    case StepKind::kEnd:
      break;
    case StepKind::kAction:
      put_commands(o, s.commands);
      put_string(o, "agent", s.agent);
      put_strings(o, "targets", s.targets);
      put_strings(o, "in_args", s.in_args);
      put_strings(o, "out_args", s.out_args);
      break;
    case StepKind::kPlaybookAction:
      put_string(o, "playbook_id", s.playbook_id);
      put_string(o, "playbook_version", s.playbook_version);
      put_strings(o, "in_args", s.in_args);
      put_strings(o, "out_args", s.out_args);
      break;
    case StepKind::kParallel:
      put_strings(o, "next_steps", s.next_steps);
      break;
    case StepKind::kIfCondition:
      put_string(o, "condition", s.condition);
      put_string(o, "on_true", s.on_true);
      put_string(o, "on_false", s.on_false);
      break;
    case StepKind::kWhileCondition:
      put_string(o, "condition", s.condition);
      put_string(o, "on_true", s.on_true);
      break;
    case StepKind::kSwitchCondition:
      put_string(o, "switch", s.switch_on);
      put_cases(o, s.cases);
      break;
  }
}

// `raw` is the definition as the typed model holds it (address, port, ...).
void write_agent_target(const AgentTarget& a, bj::object& o) {
  o = a.raw;
  put_string(o, "type", a.type);
  put_string(o, "name", a.name);
}

void write_auth_info(const AuthInfo& a, bj::object& o) {
  o = a.raw;
  put_string(o, "type", a.type);
}

}  // namespace

bj::object export_document(const Playbook& pb) {
  bj::object doc = pb.doc;
  put_string(doc, "id", pb.id);
  put_string(doc, "name", pb.name);
  put_string(doc, "description", pb.description);
  put_string(doc, "spec_version", pb.spec_version);
  put_string(doc, "created_by", pb.created_by);
  put_string(doc, "created", pb.created);
  put_string(doc, "modified", pb.modified);
  put_strings(doc, "playbook_types", pb.playbook_types);
  put_variables(doc, "playbook_variables", pb.playbook_variables);
  put_string(doc, "workflow_start", pb.workflow_start);
  put_string(doc, "workflow_exception", pb.workflow_exception);

  // Steps in their typed order; a step's document object keeps whatever the
  // typed model does not cover (step_extensions, external_references, ...).
  const bj::value* wf = doc.if_contains("workflow");
  const bj::object* old = wf != nullptr ? wf->if_object() : nullptr;
  if (old != nullptr || !pb.steps.empty()) {
    bj::object out;
    for (const Step& s : pb.steps) {
      const bj::value* prev = old != nullptr ? old->if_contains(s.id) : nullptr;
      bj::object entry = prev != nullptr && prev->is_object() ? prev->get_object() : bj::object();
      write_step(s, entry);
      out[s.id] = std::move(entry);
    }
    if (old == nullptr || out != *old) doc["workflow"] = std::move(out);
  }

  put_dict(doc, "agent_definitions", pb.agents, write_agent_target);
  put_dict(doc, "target_definitions", pb.targets, write_agent_target);
  put_dict(doc, "authentication_info_definitions", pb.auth_infos, write_auth_info);
  return doc;
}

}  // namespace atio::cacao
