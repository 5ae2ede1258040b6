// The command types' validate() on the real CACAO corpus: every schema-valid
// playbook passes, through the same catalog the validator uses.
#include <gtest/gtest.h>

#include "atio/actions/http/http_api_command.h"
#include "atio/actions/lua/lua_command.h"
#include "atio/actions/registry.h"
#include "atio/core/json.h"
#include "atio/playbook/cacao/parse.h"

namespace atio::actions {
namespace {

TEST(CorpusValidate, SchemaValidPlaybooksPassCommandChecks) {
  HttpClient client;
  Registry registry;
  registry.add(std::make_unique<HttpApiCommand>(client));
  registry.add(std::make_unique<LuaCommand>());
  cacao::ValidateOptions options;
  options.commands = registry.catalog();
  options.commands.supported = nullptr;  // only this test's types are registered

  // The files cacao2/PROVENANCE.md lists as schema-valid (some are broken
  // on purpose in other ways, e.g. missing steps; their commands are fine).
  const char* files[] = {
      "oasis-tcs/basic-example-1.json",
      "oasis-tcs/spec-3.1-example.json",
      "soarca/examples/http-playbook.json",
      "soarca/examples/manual-playbook.json",
      "soarca/examples/openc2-playbook.json",
      "soarca/examples/powershell-playbook.json",
      "soarca/examples/ssh-playbook.json",
      "soarca/test/playbook.json",
      "soarca/test/infinite_playbook.json",
      "soarca/test/missing_step_playbook.json",
      "soarca/test/invalid_email_playbook.json",
      "soarca/test/integration-api-routes-playbook.json",
  };
  int http_api_commands = 0;
  for (const char* file : files) {
    auto doc = json::parse_file(std::string(ATIO_CORPUS_DIR) + "/cacao2/playbooks/v2.0/" + file);
    ASSERT_TRUE(doc.is_ok()) << doc.status().to_string();
    json::FieldErrors errors;
    auto pb = cacao::load(doc.value(), options, &errors);
    for (const auto& e : errors) {
      EXPECT_EQ(e.pointer.find("/commands/"), std::string::npos)
          << file << ": " << e.pointer << ": " << e.message;
    }
    for (const auto& [id, step] : doc->at("workflow").as_object()) {
      if (const auto* commands = step.as_object().if_contains("commands")) {
        for (const auto& c : commands->as_array()) http_api_commands += c.at("type") == "http-api";
      }
    }
  }
  EXPECT_GT(http_api_commands, 10);
}

}  // namespace
}  // namespace atio::actions
