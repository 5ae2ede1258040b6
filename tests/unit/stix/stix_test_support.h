// Test support for the STIX validator: the corpus files of STIX content and
// the OASIS-schema oracle (tests/tools/stix_schema_oracle.py).
#pragma once

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "support/python_oracle.h"

namespace atio::stix::testing {

namespace fs = std::filesystem;

inline std::string corpus() { return ATIO_CORPUS_DIR; }

// Every STIX file of the corpus: stix-bundles/ (all folders) and the OASIS
// examples and validator vectors. The Attack Flow JSON *schema* is not STIX
// content and is left out.
inline std::vector<std::string> stix_files() {
  std::vector<std::string> out;
  for (const char* dir :
       {"/stix-bundles", "/stix21-schemas/examples", "/stix21-schemas/validator-test-examples"}) {
    for (const auto& e : fs::recursive_directory_iterator(corpus() + dir)) {
      if (!e.is_regular_file() || e.path().extension() != ".json") continue;
      if (e.path().filename() == "attack-flow-schema-2.0.0.json") continue;
      out.push_back(e.path().string());
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

inline std::string short_name(const std::string& path) {
  return path.substr(std::min(path.size(), corpus().size() + 1));
}

inline std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// Runs the oracle over `docs` (one JSON text per line). Returns one verdict
// line per document ("valid", "invalid\t<paths>", "noschema", "error"), or
// nothing with `why` set when the oracle cannot run.
inline std::vector<std::string> run_oracle(const std::vector<std::string>& docs, std::string* why) {
  return atio::testing::run_python_oracle(
      "stix_schema_oracle.py", "--explain --schemas '" + corpus() + "/stix21-schemas/schemas'",
      docs, why);
}

}  // namespace atio::stix::testing
