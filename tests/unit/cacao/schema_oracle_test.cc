// check_schema() against the reference: Python jsonschema (Draft7Validator)
// on the official OASIS schemas, via tests/tools/cacao_schema_oracle.py.
// The verdicts are never written down here: every document is judged by both
// and they must agree.
#include <gtest/gtest.h>

#include <boost/json/serialize.hpp>

#include <algorithm>
#include <iostream>
#include <set>
#include <string>
#include <vector>

#include "atio/playbook/cacao/parse.h"
#include "cacao_mutations.h"
#include "cacao_test_support.h"

namespace atio::cacao {
namespace {

using testing::cacao_dir;
using testing::json_files;
using testing::short_name;

struct Case {
  std::string description;
  bj::value doc;
  bool mutation = false;
};

std::string first_errors(const json::FieldErrors& errors) {
  std::string out;
  for (std::size_t i = 0; i < errors.size() && i < 3; ++i) {
    out += (i ? "; " : "") + errors[i].pointer + ": " + errors[i].message;
  }
  return out;
}

// Judges `cases` with the oracle and check_schema; returns the oracle's
// verdicts. Fails the test on every disagreement.
std::vector<std::string> compare(const std::vector<Case>& cases, int* disagreements) {
  std::vector<std::string> texts;
  texts.reserve(cases.size());
  for (const Case& c : cases) texts.push_back(bj::serialize(c.doc));
  std::string why;
  std::vector<std::string> oracle = testing::run_oracle(texts, &why);
  if (oracle.empty()) {
    ADD_FAILURE() << "the schema oracle did not run (needs /usr/bin/python3 with python3-jsonschema): "
                  << why;
    return oracle;
  }
  for (std::size_t i = 0; i < cases.size(); ++i) {
    const json::FieldErrors errors = check_schema(cases[i].doc);
    const std::string atio = errors.empty() ? "valid" : "invalid";
    if (oracle[i] != atio) {
      ++*disagreements;
      ADD_FAILURE() << cases[i].description << ": oracle says " << oracle[i] << ", check_schema says "
                    << atio << (errors.empty() ? "" : " (" + first_errors(errors) + ")");
    }
  }
  return oracle;
}

TEST(CacaoSchemaOracle, AgreesOnCorpusAndMutations) {
  // 1. Every corpus document (v2.0, v1.x partial) and the kitchen sink.
  std::vector<Case> base;
  std::vector<std::string> files = json_files(cacao_dir() + "/playbooks");
  files.push_back(testing::testdata_dir() + "/kitchen-sink.json");
  for (const std::string& path : files) {
    auto doc = json::parse_file(path);
    ASSERT_TRUE(doc.is_ok()) << doc.status().to_string();
    base.push_back({short_name(path), std::move(doc).value()});
  }
  int disagreements = 0;
  const std::vector<std::string> verdicts = compare(base, &disagreements);
  ASSERT_EQ(verdicts.size(), base.size());

  // 2. Deterministic mutations of every document the oracle calls valid, an
  // evenly spaced sample of each document's (the kitchen sink, which has
  // every schema family, gets the largest share). The Python oracle costs a
  // few milliseconds per document, so the sample keeps the test near 10 s.
  constexpr std::size_t kKitchenSinkSample = 1500;
  constexpr std::size_t kCorpusSample = 120;
  std::vector<Case> mutated;
  std::set<std::string> seen;
  for (std::size_t i = 0; i < base.size(); ++i) {
    if (verdicts[i] != "valid") continue;
    std::vector<testing::Mutation> all = testing::mutations_of(base[i].description, base[i].doc);
    const std::size_t want =
        std::min(all.size(), base[i].description == "kitchen-sink.json" ? kKitchenSinkSample : kCorpusSample);
    for (std::size_t k = 0; k < all.size(); ++k) {
      // Keeps exactly `want` of all.size(), evenly spread.
      if ((k * want) / all.size() == ((k + 1) * want) / all.size()) continue;
      if (seen.insert(bj::serialize(all[k].doc)).second) {
        mutated.push_back({all[k].description, std::move(all[k].doc), true});
      }
    }
  }
  const std::vector<std::string> mutation_verdicts = compare(mutated, &disagreements);
  std::size_t invalid = 0;
  for (const std::string& v : mutation_verdicts) invalid += v == "invalid" ? 1 : 0;

  std::cout << "[schema oracle] " << base.size() << " corpus documents, " << mutated.size()
            << " mutations (" << invalid << " invalid, " << mutated.size() - invalid
            << " valid per the oracle), " << disagreements << " disagreements\n";
  EXPECT_EQ(disagreements, 0);
  // The mutations must exercise both verdicts substantially.
  EXPECT_GT(mutated.size(), 500u);
  EXPECT_GT(invalid, mutated.size() / 4);
  EXPECT_GT(mutated.size() - invalid, 50u);
}

}  // namespace
}  // namespace atio::cacao
