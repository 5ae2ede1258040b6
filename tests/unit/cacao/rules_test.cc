// Individual schema and semantic rules on small playbooks written here.
#include <gtest/gtest.h>

#include <string>

#include "atio/playbook/cacao/parse.h"
#include "atio/playbook/expr/condition.h"

namespace atio::cacao {
namespace {

namespace bj = boost::json;

constexpr char kStart[] = "start--00000000-0000-4000-8000-000000000001";
constexpr char kAction[] = "action--00000000-0000-4000-8000-000000000002";
constexpr char kEnd[] = "end--00000000-0000-4000-8000-000000000003";
constexpr char kAgent[] = "individual--00000000-0000-4000-8000-0000000000a1";

// start -> action -> end, one agent, one variable.
bj::object minimal() {
  auto doc = json::parse(R"({
    "type": "playbook",
    "spec_version": "cacao-2.0",
    "id": "playbook--00000000-0000-4000-8000-000000000000",
    "name": "minimal",
    "created_by": "identity--00000000-0000-4000-8000-0000000000f0",
    "created": "2024-01-01T00:00:00.000Z",
    "modified": "2024-01-01T00:00:00.000Z",
    "playbook_variables": {"__ip__": {"type": "ipv4-addr", "value": "10.0.0.1"}},
    "workflow_start": "start--00000000-0000-4000-8000-000000000001",
    "workflow": {
      "start--00000000-0000-4000-8000-000000000001": {
        "type": "start", "on_completion": "action--00000000-0000-4000-8000-000000000002"},
      "action--00000000-0000-4000-8000-000000000002": {
        "type": "action",
        "name": "block",
        "commands": [{"type": "http-api", "command": "POST /block HTTP/1.1"}],
        "agent": "individual--00000000-0000-4000-8000-0000000000a1",
        "in_args": ["__ip__"],
        "on_completion": "end--00000000-0000-4000-8000-000000000003"},
      "end--00000000-0000-4000-8000-000000000003": {"type": "end"}
    },
    "agent_definitions": {
      "individual--00000000-0000-4000-8000-0000000000a1": {"type": "individual", "name": "analyst"}
    }
  })");
  return doc.value().as_object();
}

bj::object& step(bj::object& doc, const std::string& id) { return doc["workflow"].as_object()[id].as_object(); }

json::FieldErrors errors_of(const bj::value& doc, ValidateOptions options = {}) {
  json::FieldErrors errors;
  auto r = load(doc, options, &errors);
  EXPECT_EQ(r.is_ok(), errors.empty());
  return errors;
}

std::string describe(const json::FieldErrors& errors) {
  std::string out;
  for (const auto& e : errors) out += "  " + e.pointer + ": " + e.message + "\n";
  return out;
}

// True when some error sits exactly at `pointer` and mentions `word`.
::testing::AssertionResult has(const json::FieldErrors& errors, const std::string& pointer,
                               const std::string& word) {
  for (const auto& e : errors) {
    if (e.pointer == pointer && e.message.find(word) != std::string::npos) return ::testing::AssertionSuccess();
  }
  return ::testing::AssertionFailure() << "no error at " << pointer << " with '" << word << "' in:\n"
                                       << describe(errors);
}

std::string step_ptr(const std::string& id) { return "/workflow/" + id; }

TEST(CacaoRules, MinimalPlaybookLoadsIntoTheTypedModel) {
  json::FieldErrors errors;
  auto pb = load(minimal(), ValidateOptions{}, &errors);
  ASSERT_TRUE(pb.is_ok()) << describe(errors);
  EXPECT_EQ(pb->name, "minimal");
  ASSERT_EQ(pb->steps.size(), 3u);
  EXPECT_EQ(pb->steps[0].id, kStart);
  EXPECT_EQ(pb->steps[1].kind, StepKind::kAction);
  EXPECT_EQ(pb->step_index.at(kEnd), 2u);
  const Step* action = pb->find_step(kAction);
  ASSERT_NE(action, nullptr);
  ASSERT_EQ(action->commands.size(), 1u);
  EXPECT_EQ(action->commands[0].type, "http-api");
  EXPECT_EQ(action->commands[0].command, "POST /block HTTP/1.1");
  EXPECT_EQ(action->agent, kAgent);
  EXPECT_EQ(action->in_args, std::vector<std::string>{"__ip__"});
  EXPECT_EQ(pb->agents.at(kAgent).name, "analyst");
  ASSERT_EQ(pb->playbook_variables.count("__ip__"), 1u);
  EXPECT_EQ(pb->playbook_variables.at("__ip__").type, "ipv4-addr");
  EXPECT_EQ(*pb->playbook_variables.at("__ip__").value, bj::value("10.0.0.1"));
  EXPECT_EQ(bj::value(pb->doc), bj::value(minimal()));
}

TEST(CacaoRules, MissingCommandsIsASchemaError) {
  bj::object doc = minimal();
  step(doc, kAction).erase("commands");
  auto errors = check_schema(doc);
  ASSERT_EQ(errors.size(), 1u) << describe(errors);
  EXPECT_EQ(errors[0].pointer, step_ptr(kAction) + "/commands");
  EXPECT_EQ(errors[0].message, "is required for an action step");
}

TEST(CacaoRules, AllErrorsAreReportedAtOnceSortedByPointer) {
  bj::object doc = minimal();
  doc.erase("name");
  doc["priority"] = 101;
  doc["created"] = "2024-01-01 00:00:00";
  step(doc, kAction)["on_completion"] = "end--00000000-0000-4000-8000-0000000000ff";  // dangling
  json::FieldErrors errors;
  auto r = load(doc, ValidateOptions{}, &errors);
  ASSERT_FALSE(r.is_ok());
  EXPECT_EQ(r.status().code(), Code::kInvalidArgument);
  EXPECT_NE(r.status().message().find("errors"), std::string::npos) << r.status().message();
  EXPECT_TRUE(has(errors, "/created", "timestamp"));
  EXPECT_TRUE(has(errors, "/name", "is required for a playbook"));
  EXPECT_TRUE(has(errors, "/priority", "between 0 and 100"));
  EXPECT_TRUE(has(errors, step_ptr(kAction) + "/on_completion", "not in workflow"));
  EXPECT_TRUE(std::is_sorted(errors.begin(), errors.end(),
                             [](const auto& a, const auto& b) { return a.pointer < b.pointer; }));
}

TEST(CacaoRules, StartAndEndStepsMayNotUseSomeOnProperties) {
  bj::object doc = minimal();
  step(doc, kEnd)["on_completion"] = kStart;
  step(doc, kStart)["on_success"] = kAction;
  auto errors = check_schema(doc);
  EXPECT_TRUE(has(errors, step_ptr(kEnd) + "/on_completion", "must not be used on an end step"));
  EXPECT_TRUE(has(errors, step_ptr(kStart) + "/on_success", "must not be used on a start step"));
}

TEST(CacaoRules, OnCompletionWithOnSuccessIsSemanticOnly) {
  // The schema's anyOf lets this through (its if/then branch holds for every
  // non-end step); the spec forbids it.
  bj::object doc = minimal();
  step(doc, kAction)["on_success"] = kEnd;
  EXPECT_TRUE(check_schema(doc).empty());
  EXPECT_TRUE(has(errors_of(doc), step_ptr(kAction) + "/on_completion", "together with on_success"));
  ValidateOptions structural;
  structural.semantic = false;
  EXPECT_TRUE(errors_of(doc, structural).empty());
}

TEST(CacaoRules, SchemaTypesRangesAndFormats) {
  bj::object doc = minimal();
  step(doc, kAction)["delay"] = 0;
  step(doc, kAction)["targets"] = bj::array();
  step(doc, kAction)["agent"] = "Individual--00000000-0000-4000-8000-0000000000a1";
  doc["severity"] = 2.0;  // an integer for JSON Schema
  doc["impact"] = 1.5;
  doc["labels"] = bj::array{1};
  doc["spec_version"] = "cacao-1.0";
  auto errors = check_schema(doc);
  EXPECT_TRUE(has(errors, step_ptr(kAction) + "/delay", "at least 1"));
  EXPECT_TRUE(has(errors, step_ptr(kAction) + "/targets", "at least 1 item"));
  EXPECT_TRUE(has(errors, step_ptr(kAction) + "/agent", "identifier"));
  EXPECT_TRUE(has(errors, "/impact", "integer"));
  EXPECT_TRUE(has(errors, "/labels/0", "string"));
  EXPECT_TRUE(has(errors, "/spec_version", "'cacao-2.0'"));
  for (const auto& e : errors) EXPECT_NE(e.pointer, "/severity");
}

TEST(CacaoRules, StepTypeMustMatchTheKey) {
  bj::object doc = minimal();
  step(doc, kEnd)["type"] = "action";
  EXPECT_TRUE(has(check_schema(doc), step_ptr(kEnd) + "/type", "must be 'end'"));
}

TEST(CacaoRules, ConditionalStepsNeedTheirProperties) {
  bj::object doc = minimal();
  auto& wf = doc["workflow"].as_object();
  wf["parallel--00000000-0000-4000-8000-000000000010"] = bj::object{{"type", "parallel"}, {"next_steps", bj::array{kEnd}}};
  wf["if-condition--00000000-0000-4000-8000-000000000011"] = bj::object{{"type", "if-condition"}, {"on_true", kEnd}};
  wf["switch-condition--00000000-0000-4000-8000-000000000012"] =
      bj::object{{"type", "switch-condition"}, {"switch", "__ip__:value"}, {"cases", bj::object{{"a", "not-a-step"}}}};
  wf["playbook-action--00000000-0000-4000-8000-000000000013"] = bj::object{{"type", "playbook-action"}};
  auto errors = check_schema(doc);
  EXPECT_TRUE(has(errors, "/workflow/parallel--00000000-0000-4000-8000-000000000010/next_steps", "at least 2"));
  EXPECT_TRUE(has(errors, "/workflow/if-condition--00000000-0000-4000-8000-000000000011/condition",
                  "is required for an if-condition step"));
  EXPECT_TRUE(has(errors, "/workflow/switch-condition--00000000-0000-4000-8000-000000000012/cases/a",
                  "step identifier"));
  EXPECT_TRUE(has(errors, "/workflow/playbook-action--00000000-0000-4000-8000-000000000013/playbook_id",
                  "is required for a playbook-action step"));
}

TEST(CacaoRules, DefinitionsFollowTheirSchemas) {
  bj::object doc = minimal();
  doc["agent_definitions"].as_object()["ssh--00000000-0000-4000-8000-0000000000a2"] =
      bj::object{{"type", "ssh"}, {"name", "host"}, {"address", bj::object{{"ipv4", bj::array{"999.1.1.1"}}, {"vlan", bj::array{4096}}}}};
  doc["authentication_info_definitions"] = bj::object{
      {"oauth2--00000000-0000-4000-8000-0000000000b1", bj::object{{"type", "oauth2"}, {"token", "t"}}}};
  doc["signatures"] = bj::array{bj::object{{"type", "jss"}}};
  auto errors = check_schema(doc);
  const std::string ssh = "/agent_definitions/ssh--00000000-0000-4000-8000-0000000000a2";
  EXPECT_TRUE(has(errors, ssh + "/address/ipv4/0", "IPv4"));
  EXPECT_TRUE(has(errors, ssh + "/address/vlan/0", "between 0 and 4095"));
  EXPECT_TRUE(has(errors, "/authentication_info_definitions/oauth2--00000000-0000-4000-8000-0000000000b1/oauth_header",
                  "is required"));
  EXPECT_TRUE(has(errors, "/signatures/0", "exactly one of public_key"));
  EXPECT_TRUE(has(errors, "/signatures/0/signee", "is required for a signature"));
}

TEST(CacaoRules, DanglingReferencesAndStartStep) {
  bj::object doc = minimal();
  doc["workflow_start"] = kAction;
  doc["workflow_exception"] = "end--00000000-0000-4000-8000-0000000000ee";
  auto errors = errors_of(doc);
  EXPECT_TRUE(has(errors, "/workflow_start", "must name a start step, not an action step"));
  EXPECT_TRUE(has(errors, "/workflow_exception", "not in workflow"));
  EXPECT_TRUE(has(errors, step_ptr(kStart), "not reachable"));
}

TEST(CacaoRules, UnreachableStepAndMissingNextStep) {
  bj::object doc = minimal();
  doc["workflow"].as_object()["action--00000000-0000-4000-8000-000000000020"] =
      bj::object{{"type", "action"}, {"commands", bj::array{bj::object{{"type", "manual"}, {"command", "x"}}}},
                 {"agent", kAgent}};
  auto errors = errors_of(doc);
  EXPECT_TRUE(has(errors, "/workflow/action--00000000-0000-4000-8000-000000000020", "not reachable"));
  EXPECT_TRUE(has(errors, "/workflow/action--00000000-0000-4000-8000-000000000020", "on_completion or on_success"));
}

TEST(CacaoRules, CycleWithoutWhileIsAnError) {
  bj::object doc = minimal();
  step(doc, kAction)["on_completion"] = kAction;
  auto errors = errors_of(doc);
  EXPECT_TRUE(has(errors, step_ptr(kAction), "cycle that does not pass through a while-condition"));
  EXPECT_TRUE(has(errors, "/workflow_start", "no end step"));
  EXPECT_TRUE(has(errors, step_ptr(kEnd), "not reachable"));
}

TEST(CacaoRules, CycleThroughWhileIsAllowed) {
  // start -> while (on_true: body) -> end; body succeeds back into the while
  // step and fails into the branch's own end step.
  bj::object doc = minimal();
  const std::string w = "while-condition--00000000-0000-4000-8000-000000000030";
  const std::string branch_end = "end--00000000-0000-4000-8000-000000000031";
  auto& wf = doc["workflow"].as_object();
  step(doc, kStart)["on_completion"] = w;
  wf[w] = bj::object{{"type", "while-condition"}, {"condition", "__ip__:value = '10.0.0.1'"},
                     {"on_true", kAction}, {"on_completion", kEnd}};
  step(doc, kAction).erase("on_completion");
  step(doc, kAction)["on_success"] = w;
  step(doc, kAction)["on_failure"] = branch_end;
  wf[branch_end] = bj::object{{"type", "end"}};
  json::FieldErrors errors;
  auto pb = load(doc, ValidateOptions{}, &errors);
  ASSERT_TRUE(pb.is_ok()) << describe(errors);
  ASSERT_EQ(pb->conditions.count(w), 1u);
  EXPECT_NE(pb->conditions.at(w), nullptr);
}

TEST(CacaoRules, WhileBodyMayLinkBackToItsWhileStep) {
  // The body's last step names the while step again: that ends the
  // iteration (tests/cases/engine/while_back_link.json runs this shape).
  bj::object doc = minimal();
  const std::string w = "while-condition--00000000-0000-4000-8000-000000000032";
  const std::string inc = "action--00000000-0000-4000-8000-000000000033";
  auto& wf = doc["workflow"].as_object();
  step(doc, kStart)["on_completion"] = w;
  wf[w] = bj::object{{"type", "while-condition"}, {"condition", "__ip__:value = '10.0.0.1'"},
                     {"on_true", inc}, {"on_completion", kAction}};
  wf[inc] = bj::object{{"type", "action"}, {"commands", bj::array{bj::object{{"type", "manual"}, {"command", "x"}}}},
                       {"agent", kAgent}, {"on_completion", w}};
  json::FieldErrors errors;
  EXPECT_TRUE(load(doc, ValidateOptions{}, &errors).is_ok()) << describe(errors);
  // A while step whose body is itself has no iteration at all.
  wf[w].as_object()["on_true"] = w;
  errors = errors_of(doc);
  EXPECT_TRUE(has(errors, "/workflow/" + w + "/on_true", "never reaches an end step"));
  // An if branch that links back to its if step is a cycle, not a finished branch.
  const std::string c = "if-condition--00000000-0000-4000-8000-000000000034";
  wf[w].as_object()["on_true"] = inc;
  step(doc, kStart)["on_completion"] = c;
  wf[c] = bj::object{{"type", "if-condition"}, {"condition", "__ip__:value = '10.0.0.1'"},
                     {"on_true", "action--00000000-0000-4000-8000-000000000035"}, {"on_completion", w}};
  wf["action--00000000-0000-4000-8000-000000000035"] =
      bj::object{{"type", "action"}, {"commands", bj::array{bj::object{{"type", "manual"}, {"command", "y"}}}},
                 {"agent", kAgent}, {"on_completion", c}};
  errors = errors_of(doc);
  EXPECT_TRUE(has(errors, "/workflow/" + c + "/on_true", "never reaches an end step"));
  EXPECT_TRUE(has(errors, "/workflow/" + c, "cycle"));
}

TEST(CacaoRules, BranchesMustReachAnEndStep) {
  bj::object doc = minimal();
  const std::string p = "parallel--00000000-0000-4000-8000-000000000040";
  const std::string a2 = "action--00000000-0000-4000-8000-000000000041";
  auto& wf = doc["workflow"].as_object();
  step(doc, kStart)["on_completion"] = p;
  wf[p] = bj::object{{"type", "parallel"}, {"next_steps", bj::array{kAction, a2}}, {"on_completion", kEnd}};
  wf[a2] = bj::object{{"type", "action"}, {"commands", bj::array{bj::object{{"type", "manual"}, {"command", "x"}}}},
                      {"agent", kAgent}, {"on_completion", p}};
  auto errors = errors_of(doc);
  EXPECT_TRUE(has(errors, "/workflow/" + p + "/next_steps/1", "never reaches an end step"));
  EXPECT_TRUE(has(errors, "/workflow/" + p, "cycle"));
  for (const auto& e : errors) EXPECT_NE(e.pointer, "/workflow/" + p + "/next_steps/0");
}

TEST(CacaoRules, ConditionsAreParsed) {
  bj::object doc = minimal();
  const std::string c = "if-condition--00000000-0000-4000-8000-000000000050";
  step(doc, kStart)["on_completion"] = c;
  doc["workflow"].as_object()[c] =
      bj::object{{"type", "if-condition"}, {"condition", "__ip__:value ==="}, {"on_true", kAction}};
  auto errors = errors_of(doc);
  EXPECT_TRUE(has(errors, "/workflow/" + c + "/condition", "is not a valid condition"));
  EXPECT_TRUE(has(errors, "/workflow/" + c, "on_completion or on_success"));
  EXPECT_TRUE(expr::Condition::parse("__ip__:value = '10.0.0.1'").is_ok());
}

TEST(CacaoRules, UnsupportedCommandTypesAreErrorsAndCheckSeesSupportedOnes) {
  bj::object doc = minimal();
  step(doc, kAction)["commands"] = bj::array{bj::object{{"type", "http-api"}, {"command", "GET / HTTP/1.1"}},
                                             bj::object{{"type", "bash"}, {"command", "ls"}}};
  std::vector<std::string> checked;
  ValidateOptions options;
  options.commands.supported = [](std::string_view t) { return t == "http-api"; };
  options.commands.check = [&](const Command& cmd, const Playbook&, const Step& s, const std::string& ptr,
                               json::FieldErrors* errors) {
    checked.push_back(ptr);
    EXPECT_EQ(s.id, kAction);
    errors->push_back({ptr + "/command", "catalog says no to " + cmd.command});
  };
  auto errors = errors_of(doc, options);
  EXPECT_TRUE(has(errors, step_ptr(kAction) + "/commands/1/type", "command type 'bash' is not supported by atio"));
  EXPECT_TRUE(has(errors, step_ptr(kAction) + "/commands/0/command", "catalog says no to GET / HTTP/1.1"));
  EXPECT_EQ(checked, std::vector<std::string>{step_ptr(kAction) + "/commands/0"});
}

TEST(CacaoRules, CommandTypeSchemasAreSemanticRules) {
  bj::object doc = minimal();
  step(doc, kAction)["commands"] = bj::array{bj::object{{"type", "http-api"}},
                                             bj::object{{"type", "ssh"}},
                                             bj::object{{"type", "yara"}, {"command", "rule x {}"}}};
  EXPECT_TRUE(check_schema(doc).empty());  // playbook.json only applies command-data.json
  auto errors = errors_of(doc);
  EXPECT_TRUE(has(errors, step_ptr(kAction) + "/commands/0/command", "is required for an http-api command"));
  EXPECT_TRUE(has(errors, step_ptr(kAction) + "/commands/1", "command or command_b64"));
  EXPECT_TRUE(has(errors, step_ptr(kAction) + "/commands/2/command_b64", "is required for a yara command"));
}

TEST(CacaoRules, DefinitionsAndVariablesMustExist) {
  bj::object doc = minimal();
  step(doc, kAction)["agent"] = "individual--00000000-0000-4000-8000-0000000000ee";
  step(doc, kAction)["targets"] = bj::array{"ssh--00000000-0000-4000-8000-0000000000ef"};
  step(doc, kAction)["out_args"] = bj::array{"__nowhere__"};
  doc["agent_definitions"].as_object()["http-api--00000000-0000-4000-8000-0000000000a2"] =
      bj::object{{"type", "http-api"}, {"name", "api"}, {"address", bj::object{{"dname", bj::array{"x"}}}},
                 {"authentication_info", "http-basic--00000000-0000-4000-8000-0000000000b9"}};
  auto errors = errors_of(doc);
  EXPECT_TRUE(has(errors, step_ptr(kAction) + "/agent", "not in agent_definitions"));
  EXPECT_TRUE(has(errors, step_ptr(kAction) + "/targets/0", "not in target_definitions"));
  EXPECT_TRUE(has(errors, step_ptr(kAction) + "/out_args/0", "'__nowhere__'"));
  EXPECT_TRUE(has(errors, "/agent_definitions/http-api--00000000-0000-4000-8000-0000000000a2/authentication_info",
                  "not in authentication_info_definitions"));
}

TEST(CacaoRules, MustsTheSchemaLeavesOut) {
  bj::object doc = minimal();
  doc["playbook_variables"].as_object()["ip"] = bj::object{{"type", "string"}};  // not __ip__ form
  step(doc, kAction)["timeout"] = -5;
  doc["modified"] = "2023-12-31T23:59:59.999Z";
  doc["valid_from"] = "2024-01-01T00:00:00Z";
  doc["valid_until"] = "2024-01-01T00:00:00.000Z";
  EXPECT_TRUE(check_schema(doc).empty()) << describe(check_schema(doc));
  auto errors = errors_of(doc);
  EXPECT_TRUE(has(errors, "/playbook_variables/ip", "not a variable name"));
  EXPECT_TRUE(has(errors, step_ptr(kAction) + "/timeout", "at least 0"));
  EXPECT_TRUE(has(errors, "/modified", "earlier than created"));
  EXPECT_TRUE(has(errors, "/valid_until", "later than valid_from"));
}

TEST(CacaoRules, WorkflowKeysMustBeStepIdsEvenStructurally) {
  bj::object doc = minimal();
  auto& wf = doc["workflow"].as_object();
  bj::value moved = wf.at(kEnd);
  wf.erase(kEnd);
  wf["step-3"] = moved;
  step(doc, kAction)["on_completion"] = "step-3";
  ValidateOptions structural;
  structural.semantic = false;
  auto errors = errors_of(doc, structural);
  EXPECT_TRUE(has(errors, "/workflow/step-3", "not a workflow step id"));
}

TEST(CacaoRules, LoadTextReportsSyntaxErrorsWithAnEmptyPointer) {
  json::FieldErrors errors;
  auto r = load_text("{\"type\": \"playbook\",", ValidateOptions{}, &errors);
  ASSERT_FALSE(r.is_ok());
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].pointer, "");
  EXPECT_NE(errors[0].message.find("line 1"), std::string::npos) << errors[0].message;
  errors.clear();
  EXPECT_FALSE(load_text("[]", ValidateOptions{}, &errors).is_ok());
  EXPECT_TRUE(has(errors, "", "JSON object"));
}

TEST(CacaoRules, ExportWritesTypedEditsOverTheDocument) {
  json::FieldErrors errors;
  auto pb = load(minimal(), ValidateOptions{}, &errors);
  ASSERT_TRUE(pb.is_ok()) << describe(errors);
  Playbook edited = pb.value();
  edited.name = "renamed";
  Step& action = edited.steps[edited.step_index.at(kAction)];
  action.name = "";
  action.timeout_ms = 5000;
  action.commands[0].command = "POST /unblock HTTP/1.1";
  action.targets = {kAgent};
  edited.playbook_variables["__ip__"].value = bj::value("10.0.0.2");
  edited.agents.at(kAgent).name = "lead";
  bj::object out = export_document(edited);
  EXPECT_EQ(out.at("name"), "renamed");
  const bj::object& s = out.at("workflow").at(kAction).as_object();
  EXPECT_EQ(s.at("name"), "");
  EXPECT_EQ(s.at("timeout"), 5000);
  EXPECT_EQ(s.at("commands").at(0).at("command"), "POST /unblock HTTP/1.1");
  EXPECT_EQ(s.at("commands").at(0).at("type"), "http-api");
  EXPECT_EQ(s.at("targets"), (bj::array{kAgent}));
  EXPECT_EQ(out.at("playbook_variables").at("__ip__").at("value"), "10.0.0.2");
  EXPECT_EQ(out.at("agent_definitions").at(kAgent).at("name"), "lead");
  EXPECT_EQ(out.at("created"), minimal().at("created"));
  // Removing a step from the typed model removes it from the export.
  edited.steps.pop_back();
  EXPECT_FALSE(export_document(edited).at("workflow").as_object().contains(kEnd));
  // And the unedited playbook exports to the document it came from.
  EXPECT_EQ(bj::value(export_document(pb.value())), bj::value(minimal()));
}

TEST(CacaoRules, VariableValuesMustFitTheirDeclaredType) {
  bj::object doc = minimal();
  auto& vars = doc["playbook_variables"].as_object();
  vars["__n__"] = bj::object{{"type", "integer"}, {"value", "12abc"}};
  vars["__f__"] = bj::object{{"type", "float"}, {"value", "1.5"}};
  vars["__b__"] = bj::object{{"type", "bool"}, {"value", "yes"}};
  vars["__later__"] = bj::object{{"type", "long"}, {"value", ""}};  // no value yet: fine
  auto errors = errors_of(doc);
  EXPECT_TRUE(has(errors, "/playbook_variables/__n__/value", "whole number"));
  EXPECT_TRUE(has(errors, "/playbook_variables/__b__/value", "true or false"));
  EXPECT_EQ(errors.size(), 2u) << describe(errors);
}

}  // namespace
}  // namespace atio::cacao
