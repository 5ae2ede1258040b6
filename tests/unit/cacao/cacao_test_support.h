// Test support for the CACAO tests: corpus files and the Python schema
// oracle. Header-only because tests/CMakeLists.txt globs only *_test.cc into
// cacao_tests.
#pragma once

#include <boost/json/serialize.hpp>

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "atio/core/json.h"

#include "support/python_oracle.h"

namespace atio::cacao::testing {

namespace bj = boost::json;
namespace fs = std::filesystem;

inline std::string corpus_dir() { return ATIO_CORPUS_DIR; }
inline std::string cacao_dir() { return corpus_dir() + "/cacao2"; }
inline std::string testdata_dir() { return std::string(ATIO_SOURCE_DIR) + "/tests/unit/cacao/testdata"; }

// Every *.json under `dir`, sorted.
inline std::vector<std::string> json_files(const std::string& dir) {
  std::vector<std::string> out;
  for (const auto& e : fs::recursive_directory_iterator(dir)) {
    if (e.is_regular_file() && e.path().extension() == ".json") out.push_back(e.path().string());
  }
  std::sort(out.begin(), out.end());
  return out;
}

// Path relative to the cacao corpus (or the file name), for messages.
inline std::string short_name(const std::string& path) {
  const std::string base = cacao_dir() + "/playbooks/";
  if (path.rfind(base, 0) == 0) return path.substr(base.size());
  return fs::path(path).filename().string();
}

inline std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// Runs tests/tools/cacao_schema_oracle.py (Python jsonschema, draft-07, the
// official schemas) on one JSON document per entry. Returns "valid",
// "invalid" or "error" per document, or an empty vector with *why set when
// the oracle cannot run.
inline std::vector<std::string> run_oracle(const std::vector<std::string>& docs, std::string* why) {
  return atio::testing::run_python_oracle("cacao_schema_oracle.py",
                                          "--schemas '" + cacao_dir() + "/schemas/v2.0'", docs, why);
}

}  // namespace atio::cacao::testing
