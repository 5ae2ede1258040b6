// The CACAO 2.0 playbook model.
//
// A Playbook keeps the document it was parsed from (`doc`, verbatim: unknown
// properties, extensions, data markings and signatures are exported exactly as
// they came) and typed views of everything atio reads or validates: metadata,
// variables, workflow steps of all eight kinds, agent/target/authentication
// definitions. Export writes `doc` back after applying edits made through the
// typed API (see serialize.h), so an exported document is equivalent to the
// imported one.
#pragma once

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace atio::expr {
class Condition;
}

namespace atio::cacao {

namespace bj = boost::json;

// The closed set of CACAO 2.0 workflow step kinds. Every switch over it lists
// all eight (the build uses -Werror=switch), so a kind nobody handles fails to
// compile.
enum class StepKind {
  kStart,
  kEnd,
  kAction,
  kPlaybookAction,
  kParallel,
  kIfCondition,
  kWhileCondition,
  kSwitchCondition,
};

// "start", "end", "action", ... as written in documents.
const char* step_kind_name(StepKind kind);
// Returns false for a type that is not one of the eight.
bool step_kind_from_name(std::string_view name, StepKind* out);

// A CACAO variable (playbook_variables, step_variables).
struct Variable {
  std::string type;                 // CACAO variable type: "string", "integer", ...
  std::optional<bj::value> value;   // string or null in documents; absent when not given
  std::string description;
  bool constant = false;
  bool external = false;
};
// Key is the full variable name including the underscores: "__severity__".
using Variables = std::map<std::string, Variable>;

// One entry of an action step's `commands` array. `raw` is the whole command
// object; command types read their own properties from it (headers, content,
// content_b64, ...).
struct Command {
  std::string type;     // "http-api", "manual", "x-atio-lua", "bash", ...
  std::string command;  // the `command` property, "" when absent
  bj::object raw;
};

struct Step {
  std::string id;    // key in `workflow`, e.g. "action--<uuid>"
  StepKind kind = StepKind::kEnd;
  std::string name;
  std::string description;
  std::optional<std::int64_t> delay_ms;    // CACAO delay, milliseconds
  std::optional<std::int64_t> timeout_ms;  // CACAO timeout, milliseconds
  Variables step_variables;
  std::string owner;
  std::string on_completion;  // "" when absent
  std::string on_success;
  std::string on_failure;

  // action
  std::vector<Command> commands;
  std::string agent;
  std::vector<std::string> targets;
  // action and playbook-action
  std::vector<std::string> in_args;   // variable names, e.g. "__ip__"
  std::vector<std::string> out_args;

  // playbook-action
  std::string playbook_id;
  std::string playbook_version;

  // parallel
  std::vector<std::string> next_steps;

  // if-condition, while-condition
  std::string condition;  // STIX comparison expression as written
  std::string on_true;
  std::string on_false;   // if-condition only

  // switch-condition: case value -> step id, in document order; the key
  // "default" is the fallback branch.
  std::string switch_on;
  std::vector<std::pair<std::string, std::string>> cases;
};

// agent_definitions / target_definitions entry.
struct AgentTarget {
  std::string id;
  std::string type;  // "http-api", "ssh", "individual", ...
  std::string name;
  bj::object raw;    // address, port, authentication_info, category, ...
};

// authentication_info_definitions entry.
struct AuthInfo {
  std::string id;
  std::string type;  // "http-basic", "oauth2", "user-auth"
  bj::object raw;    // user_id/username, password, token, oauth_header, kms...
};

struct Playbook {
  std::string id;            // "playbook--<uuid>"
  std::string name;
  std::string description;
  std::string spec_version;  // "cacao-2.0"
  std::string created_by;
  std::string created;
  std::string modified;      // the version of this playbook
  std::vector<std::string> playbook_types;
  Variables playbook_variables;
  std::string workflow_start;
  std::string workflow_exception;  // "" when absent
  // Steps in document order; `step_index` maps id -> position.
  std::vector<Step> steps;
  std::map<std::string, std::size_t> step_index;
  std::map<std::string, AgentTarget> agents;
  std::map<std::string, AgentTarget> targets;
  std::map<std::string, AuthInfo> auth_infos;

  // Conditions of if/while steps, parsed once by validate(): step id -> condition.
  std::map<std::string, std::shared_ptr<const expr::Condition>> conditions;

  // The document as imported (or as last serialised).
  bj::object doc;

  const Step* find_step(std::string_view step_id) const;
};

}  // namespace atio::cacao
