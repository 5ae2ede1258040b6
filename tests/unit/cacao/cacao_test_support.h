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
  const std::string script = std::string(ATIO_SOURCE_DIR) + "/tests/tools/cacao_schema_oracle.py";
  const fs::path input = fs::temp_directory_path() /
                         ("cacao_oracle_" + std::to_string(::getpid()) + ".jsonl");
  {
    std::ofstream out(input, std::ios::binary);
    for (const std::string& d : docs) out << d << '\n';
  }
  const std::string cmd = "/usr/bin/python3 '" + script + "' --schemas '" + cacao_dir() +
                          "/schemas/v2.0' < '" + input.string() + "' 2>&1";
  std::vector<std::string> verdicts;
  std::string output;
  if (FILE* p = ::popen(cmd.c_str(), "r")) {
    char buf[4096];
    while (std::fgets(buf, sizeof buf, p) != nullptr) output += buf;
    int rc = ::pclose(p);
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

}  // namespace atio::cacao::testing
