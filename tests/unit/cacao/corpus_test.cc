// The real CACAO playbooks of the shared corpus: verdicts, round trip, and
// command types a catalog does not support.
#include <gtest/gtest.h>

#include <iostream>
#include <map>
#include <string>

#include "atio/playbook/cacao/parse.h"
#include "cacao_mutations.h"
#include "cacao_test_support.h"

namespace atio::cacao {
namespace {

using testing::cacao_dir;
using testing::json_files;
using testing::short_name;

// What load() must say about one corpus file: accepted, or rejected with an
// error whose pointer starts with `pointer` and whose message contains `word`.
struct Verdict {
  bool ok;
  std::string pointer;
  std::string word;
};

// Structural load (semantic = false): the OASIS schema and the model only.
const std::map<std::string, Verdict>& structural_verdicts() {
  static const std::map<std::string, Verdict> k = {
      {"v2.0/oasis-tcs/basic-example-1.json", {true, "", ""}},
      {"v2.0/oasis-tcs/spec-3.1-example.json", {true, "", ""}},
      // Action steps without commands/agent, a switch without `switch`.
      {"v2.0/oasis-tcs/layout-extension-example_playbook--aa1898b6-5251-49b4-aeb7-fd5e912583ff.json",
       {false, "/workflow/action--4005472a-0b74-48c6-b04b-45bb8cf2b1ae/commands", "required for an action step"}},
      {"v2.0/soarca/docs/executable-playbooks-example.json",
       {false, "/workflow/action--76fe4c02-6a5d-43ae-8736-433c07ab80b8/agent", "required for an action step"}},
      {"v2.0/soarca/examples/fin-playbook.json",
       {false, "/workflow/action--2fd6bca0-24ed-4d74-8eae-da126a84f7c4/agent", "identifier"}},
      {"v2.0/soarca/examples/http-playbook.json", {true, "", ""}},
      {"v2.0/soarca/examples/manual-playbook.json", {true, "", ""}},
      {"v2.0/soarca/examples/openc2-playbook.json", {true, "", ""}},
      {"v2.0/soarca/examples/powershell-playbook.json", {true, "", ""}},
      {"v2.0/soarca/examples/ssh-playbook.json", {true, "", ""}},
      {"v2.0/soarca/test/changed-playbook.json", {false, "/workflow", "must be a JSON object"}},
      {"v2.0/soarca/test/infinite_playbook.json", {true, "", ""}},
      {"v2.0/soarca/test/integration-api-routes-playbook.json", {true, "", ""}},
      {"v2.0/soarca/test/invalid_email_playbook.json", {true, "", ""}},
      {"v2.0/soarca/test/invalid_playbook.json",
       {false, "/agent_definitions/http-api--7e9174ec-a293-43df-a72d-471c79e276bf/type", "must be 'http-api'"}},
      {"v2.0/soarca/test/missing_step_playbook.json", {true, "", ""}},
      {"v2.0/soarca/test/playbook.json", {true, "", ""}},
  };
  return k;
}

// Full load (semantic = true, catalog unset): every rule. Files rejected by
// the structural load keep their verdict and are not repeated here.
const std::map<std::string, Verdict>& semantic_verdicts() {
  static const std::map<std::string, Verdict> k = {
      // A step loops onto itself: no end step, a cycle without a while step.
      {"v2.0/soarca/test/infinite_playbook.json",
       {false, "/workflow/action--6b23c237-ade8-4d00-9aa1-75999738d557", "cycle"}},
      // on_completion names end--...d558, the end step is ...d557.
      {"v2.0/soarca/test/missing_step_playbook.json",
       {false, "/workflow/action--2190f685-1857-44ac-ad0e-0ded6c6ef3ce/on_completion", "not in workflow"}},
      // The SOARCA test fixtures start at an action step and name a
      // workflow_exception step that is not in the workflow (spec: MUST).
      {"v2.0/soarca/test/playbook.json", {false, "/workflow_exception", "not in workflow"}},
      {"v2.0/soarca/test/integration-api-routes-playbook.json", {false, "/workflow_exception", "not in workflow"}},
      {"v2.0/soarca/test/invalid_email_playbook.json", {false, "/workflow_start", "must name a start step"}},
  };
  return k;
}

std::string describe(const json::FieldErrors& errors) {
  std::string out;
  for (const auto& e : errors) out += "  " + e.pointer + ": " + e.message + "\n";
  return out;
}

void expect_verdict(const std::string& name, const Verdict& want, const Result<Playbook>& got,
                    const json::FieldErrors& errors) {
  if (want.ok) {
    EXPECT_TRUE(got.is_ok()) << name << " was rejected:\n" << describe(errors);
    EXPECT_TRUE(errors.empty()) << name;
    return;
  }
  ASSERT_FALSE(got.is_ok()) << name << " was accepted";
  EXPECT_EQ(got.status().code(), Code::kInvalidArgument);
  bool found = false;
  for (const auto& e : errors) {
    found = found || (e.pointer.rfind(want.pointer, 0) == 0 && e.message.find(want.word) != std::string::npos);
  }
  EXPECT_TRUE(found) << name << ": no error at " << want.pointer << " mentioning '" << want.word
                     << "'; errors:\n" << describe(errors);
}

TEST(CacaoCorpus, EveryPlaybookHasTheExpectedVerdict) {
  const auto files = json_files(cacao_dir() + "/playbooks/v2.0");
  ASSERT_EQ(files.size(), structural_verdicts().size()) << "corpus changed: update the tables";
  for (const std::string& path : files) {
    const std::string name = short_name(path);
    auto doc = json::parse_file(path);
    ASSERT_TRUE(doc.is_ok()) << doc.status().to_string();
    auto want = structural_verdicts().find(name);
    ASSERT_NE(want, structural_verdicts().end()) << "no expected verdict for " << name;

    ValidateOptions structural;
    structural.semantic = false;
    json::FieldErrors errors;
    auto pb = load(doc.value(), structural, &errors);
    expect_verdict(name + " (structural)", want->second, pb, errors);

    ValidateOptions full;
    errors.clear();
    auto pb2 = load(doc.value(), full, &errors);
    auto sem = semantic_verdicts().find(name);
    expect_verdict(name + " (semantic)", sem != semantic_verdicts().end() ? sem->second : want->second, pb2,
                   errors);
  }
}

TEST(CacaoCorpus, LegacyPartialPlaybooksAreRejected) {
  for (const std::string& path : json_files(cacao_dir() + "/playbooks/v1.x-partial")) {
    json::FieldErrors errors;
    auto pb = load_text(testing::read_text(path), ValidateOptions{}, &errors);
    ASSERT_FALSE(pb.is_ok()) << path;
    expect_verdict(short_name(path), {false, "/spec_version", "required for a playbook"}, pb, errors);
    expect_verdict(short_name(path), {false, "/workflow/", "not a workflow step id"}, pb, errors);
  }
}

TEST(CacaoCorpus, RoundTripIsIdentity) {
  int count = 0;
  std::vector<std::string> files = json_files(cacao_dir() + "/playbooks");
  files.push_back(testing::testdata_dir() + "/kitchen-sink.json");
  for (const std::string& path : files) {
    auto doc = json::parse_file(path);
    ASSERT_TRUE(doc.is_ok());
    ValidateOptions structural;
    structural.semantic = false;
    json::FieldErrors errors;
    auto pb = load(doc.value(), structural, &errors);
    if (!pb.is_ok()) continue;
    ++count;
    bj::value exported = export_document(pb.value());
    EXPECT_EQ(exported, doc.value()) << short_name(path) << "\nexported: " << json::dump(exported);
  }
  EXPECT_GE(count, 12);
}

// The contracts of load/export on every mutation of the loadable documents:
// accepted documents export unchanged, a semantic load accepts only what a
// structural load accepts, schema errors always reject.
TEST(CacaoCorpus, LoadAndExportContractsHoldOnMutations) {
  std::vector<std::string> files = json_files(cacao_dir() + "/playbooks/v2.0");
  files.push_back(testing::testdata_dir() + "/kitchen-sink.json");
  std::size_t total = 0, structural_ok = 0, semantic_ok = 0;
  for (const std::string& path : files) {
    auto doc = json::parse_file(path);
    ASSERT_TRUE(doc.is_ok());
    if (!check_schema(doc.value()).empty()) continue;
    for (const auto& m : testing::mutations_of(short_name(path), doc.value())) {
      ++total;
      ValidateOptions structural;
      structural.semantic = false;
      json::FieldErrors errors;
      auto pb = load(m.doc, structural, &errors);
      ASSERT_EQ(pb.is_ok(), errors.empty()) << m.description;
      if (!check_schema(m.doc).empty()) {
        EXPECT_FALSE(pb.is_ok()) << m.description;
      }
      json::FieldErrors semantic_errors;
      auto full = load(m.doc, ValidateOptions{}, &semantic_errors);
      ASSERT_EQ(full.is_ok(), semantic_errors.empty()) << m.description;
      if (full.is_ok()) {
        ++semantic_ok;
        EXPECT_TRUE(pb.is_ok()) << m.description;
      }
      if (!pb.is_ok()) continue;
      ++structural_ok;
      EXPECT_EQ(bj::value(export_document(pb.value())), m.doc) << m.description;
    }
  }
  std::cout << "[contracts] " << total << " mutations, " << structural_ok << " load structurally, "
            << semantic_ok << " pass every rule\n";
  EXPECT_GT(structural_ok, 100u);
  EXPECT_GT(semantic_ok, 50u);
}

TEST(CacaoCorpus, KitchenSinkIsFullyValid) {
  json::FieldErrors errors;
  auto pb = load_text(testing::read_text(testing::testdata_dir() + "/kitchen-sink.json"), ValidateOptions{},
                      &errors);
  ASSERT_TRUE(pb.is_ok()) << describe(errors);
  EXPECT_EQ(pb->steps.size(), 21u);
  EXPECT_EQ(pb->conditions.size(), 2u);
  EXPECT_EQ(pb->agents.size(), 5u);
  EXPECT_EQ(pb->targets.size(), 7u);
  EXPECT_EQ(pb->auth_infos.size(), 3u);
}

CommandCatalog http_and_manual_only(int* checked) {
  CommandCatalog c;
  c.supported = [](std::string_view type) { return type == "http-api" || type == "manual"; };
  c.check = [checked](const Command&, const Playbook&, const Step&, const std::string&,
                      json::FieldErrors*) { ++*checked; };
  return c;
}

TEST(CacaoCorpus, CommandTypesTheCatalogCannotRunAreRejected) {
  const std::string dir = cacao_dir() + "/playbooks/v2.0/";
  struct Case {
    std::string file;
    std::string type;
  };
  for (const Case& c : {Case{"soarca/examples/ssh-playbook.json", "ssh"},
                        Case{"soarca/examples/powershell-playbook.json", "powershell"},
                        Case{"oasis-tcs/basic-example-1.json", "ssh"}}) {
    int checked = 0;
    ValidateOptions options;
    options.commands = http_and_manual_only(&checked);
    json::FieldErrors errors;
    auto pb = load_text(testing::read_text(dir + c.file), options, &errors);
    ASSERT_FALSE(pb.is_ok()) << c.file;
    bool found = false;
    for (const auto& e : errors) {
      found = found || (e.pointer.find("/commands/0/type") != std::string::npos &&
                        e.message == "command type '" + c.type + "' is not supported by atio");
    }
    EXPECT_TRUE(found) << c.file << ":\n" << describe(errors);
  }
  for (const char* file : {"soarca/examples/http-playbook.json", "soarca/examples/manual-playbook.json",
                           "oasis-tcs/spec-3.1-example.json"}) {
    int checked = 0;
    ValidateOptions options;
    options.commands = http_and_manual_only(&checked);
    json::FieldErrors errors;
    auto pb = load_text(testing::read_text(dir + file), options, &errors);
    EXPECT_TRUE(pb.is_ok()) << file << ":\n" << describe(errors);
    EXPECT_EQ(checked, 1) << file << ": catalog.check runs once per supported command";
  }
}

}  // namespace
}  // namespace atio::cacao
