// Commands of action steps: the per-type OASIS command schemas and what this
// atio can run.
#include <string>

#include "atio/playbook/cacao/semantic.h"

namespace atio::cacao::semantic {

namespace {

// commands/<type>.json for the command types of the CACAO vocabulary. Action
// steps only reference command-data.json, so a draft-07 validator never
// applies these; the spec's rules are MUSTs all the same.
void check_command_type(const Command& cmd, const std::string& ptr, json::FieldErrors* errors) {
  auto fail = [&](std::string pointer, std::string message) {
    errors->push_back(json::FieldError{std::move(pointer), std::move(message)});
  };
  const bj::object& o = cmd.raw;
  const std::string& t = cmd.type;
  auto strings = [&](std::initializer_list<std::string_view> keys) {
    for (std::string_view k : keys) {
      if (const bj::value* v = o.if_contains(k); v != nullptr && !v->is_string()) {
        fail(json::pointer_join(ptr, k), "must be a string");
      }
    }
  };
  auto require = [&](std::initializer_list<std::string_view> keys) {
    for (std::string_view k : keys) {
      if (!o.contains(k)) {
        fail(json::pointer_join(ptr, k),
             "is required for " + std::string(t == "http-api" ? "an " : "a ") + t + " command");
      }
    }
  };
  auto headers = [&] {
    const bj::value* h = o.if_contains("headers");
    if (h == nullptr) return;
    const std::string hp = json::pointer_join(ptr, "headers");
    if (!h->is_object()) {
      fail(hp, "must be a JSON object (header name -> list of values)");
      return;
    }
    for (const auto& kv : h->get_object()) {
      const bj::array* values = kv.value().if_array();
      bool ok = values != nullptr;
      if (ok) {
        for (const bj::value& v : *values) ok = ok && v.is_string();
      }
      if (!ok) fail(json::pointer_join(hp, kv.key()), "must be a list of strings");
    }
  };

  if (t == "bash" || t == "caldera-cmd" || t == "manual" || t == "powershell" || t == "ssh") {
    strings({"command", "command_b64"});
    if (!o.contains("command") && !o.contains("command_b64")) {
      fail(ptr, "needs a command or command_b64 property (" + t + " command)");
    }
  } else if (t == "http-api") {
    require({"command"});
    strings({"command", "content", "content_b64"});
    headers();
  } else if (t == "openc2-http") {
    require({"command", "content_b64"});
    strings({"command", "content_b64"});
    headers();
  } else if (t == "elastic" || t == "jupyter" || t == "kestrel" || t == "sigma" || t == "yara") {
    require({"command_b64"});
    strings({"command_b64"});
  }
}

}  // namespace

void check_commands(const Playbook& pb, const CommandCatalog& catalog, json::FieldErrors* errors) {
  for (const Step& s : pb.steps) {
    if (s.kind != StepKind::kAction) continue;
    const std::string base = step_pointer(s.id) + "/commands";
    // s.commands skips entries that are not objects (schema errors), so
    // count positions in the document to point at the right one.
    const bj::object* workflow = json::get_object(pb.doc, "workflow");
    const bj::value* step_doc = workflow != nullptr ? workflow->if_contains(s.id) : nullptr;
    const bj::array* raw = step_doc != nullptr && step_doc->is_object()
                               ? json::get_array(step_doc->get_object(), "commands")
                               : nullptr;
    std::size_t next = 0;
    for (const Command& cmd : s.commands) {
      std::size_t position = next;
      if (raw != nullptr) {
        while (position < raw->size() && !(*raw)[position].is_object()) ++position;
        next = position + 1;
      }
      const std::string ptr = json::pointer_join(base, position);
      check_command_type(cmd, ptr, errors);
      if (json::get_string(cmd.raw, "type") == nullptr) continue;  // schema error
      if (catalog.supported && !catalog.supported(cmd.type)) {
        errors->push_back({ptr + "/type", "command type '" + cmd.type + "' is not supported by atio"});
      } else if (catalog.check) {
        catalog.check(cmd, pb, s, ptr, errors);
      }
    }
  }
}

}  // namespace atio::cacao::semantic
