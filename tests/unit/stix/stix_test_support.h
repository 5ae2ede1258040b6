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
  const std::string script = std::string(ATIO_SOURCE_DIR) + "/tests/tools/stix_schema_oracle.py";
  const fs::path input =
      fs::temp_directory_path() / ("stix_oracle_" + std::to_string(::getpid()) + ".jsonl");
  {
    std::ofstream out(input, std::ios::binary);
    for (const std::string& d : docs) out << d << '\n';
  }
  const std::string cmd = "/usr/bin/python3 '" + script + "' --explain --schemas '" + corpus() +
                          "/stix21-schemas/schemas' < '" + input.string() + "' 2>&1";
  std::vector<std::string> verdicts;
  std::string output;
  if (FILE* p = ::popen(cmd.c_str(), "r")) {
    char buf[65536];
    std::size_t n;
    while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) output.append(buf, n);
    const int rc = ::pclose(p);
    if (rc != 0) *why = "oracle exited with " + std::to_string(rc) + ": " + output.substr(0, 500);
  } else {
    *why = "cannot run " + cmd;
  }
  fs::remove(input);
  std::size_t start = 0;
  while (start < output.size()) {
    std::size_t end = output.find('\n', start);
    if (end == std::string::npos) end = output.size();
    verdicts.push_back(output.substr(start, end - start));
    start = end + 1;
  }
  if (why->empty() && verdicts.size() != docs.size()) {
    *why = "oracle printed " + std::to_string(verdicts.size()) + " verdicts for " +
           std::to_string(docs.size()) + " documents: " + output.substr(0, 500);
  }
  if (!why->empty()) verdicts.clear();
  return verdicts;
}

}  // namespace atio::stix::testing
